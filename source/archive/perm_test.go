package archive_test

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"testing"
)

// TestZipPermissions: an entry made on MS-DOS or Windows (MS-DOS
// attributes) carries no Unix permissions and reads as unzip makes it
// under umask 022, never world-writable: 0644, 0444 when read-only, 0755
// for a folder. A Unix entry keeps its own bits, and one whose bits are
// all 0 reads as 0644.
func TestZipPermissions(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, h := range []*zip.FileHeader{
		{Name: "dos/plain.jpg"},                      // version made by 0: MS-DOS
		{Name: "dos/readonly.jpg", ExternalAttrs: 1}, // MS-DOS read-only
		{Name: "dos/folder/", ExternalAttrs: 0x10},   // MS-DOS folder
		{Name: "ntfs/plain.jpg", CreatorVersion: 11 << 8},
		{Name: "unix/private.jpg", CreatorVersion: 3 << 8, ExternalAttrs: (0o100600) << 16},
		{Name: "unix/nobits.jpg", CreatorVersion: 3 << 8},
	} {
		h.Modified = when
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("x"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	tree := openTree(t, file(t, "perm.zip", buf.Bytes()))
	for name, want := range map[string]fs.FileMode{
		"dos/plain.jpg":    0o644,
		"dos/readonly.jpg": 0o444,
		"dos/folder":       fs.ModeDir | 0o755,
		"ntfs/plain.jpg":   0o644,
		"unix/private.jpg": 0o600,
		"unix/nobits.jpg":  0o644,
	} {
		fi, err := tree.Lstat(name)
		if err != nil || fi.Mode() != want {
			t.Errorf("%s: mode %v (%v), want %v", name, modeOf(fi), err, want)
		}
	}
}

func modeOf(fi fs.FileInfo) fs.FileMode {
	if fi == nil {
		return 0
	}
	return fi.Mode()
}
