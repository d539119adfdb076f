package archive_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/source/archive"
)

// TestUnsafeNames: names that would leave the tree are left out and
// named; leading slashes are dropped; a zip's backslashes are separators,
// a tar's are bytes of the name.
func TestUnsafeNames(t *testing.T) {
	long := "d/" + strings.Repeat("x", archive.MaxNameLen)
	z := file(t, "names.zip", zipBytes(t,
		zent{name: "../evil.txt", data: "1"},
		zent{name: "a/../../evil.txt", data: "2"},
		zent{name: "/abs/x.txt", data: "3"},
		zent{name: `win\dir\y.txt`, data: "4"},
		zent{name: `..\evil2.txt`, data: "5"},
		zent{name: "nul\x00.txt", data: "6"},
		zent{name: long, data: "7"},
		zent{name: "./ok//fine.txt", data: "8"},
	))
	tree := openTree(t, z)
	for _, p := range all(t, tree) {
		if strings.Contains(p, "..") || strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\x00\\") || len(p) > archive.MaxNameLen {
			t.Errorf("the tree holds %q, which is not a safe path", p)
		}
	}
	for name, want := range map[string]string{"abs/x.txt": "3", "win/dir/y.txt": "4", "ok/fine.txt": "8"} {
		if got, err := read(t, tree, name); got != want || err != nil {
			t.Errorf("%s reads %q, %v; want %q", name, got, err, want)
		}
	}
	probs := problems(tree)
	for _, name := range []string{"../evil.txt", "a/../../evil.txt", "../evil2.txt", "nul\x00.txt", long[:archive.MaxNameLen] + "..."} {
		if !errors.Is(probs[name], archive.ErrName) {
			t.Errorf("%.40q: problem %v, want ErrName", name, probs[name])
		}
	}
	if len(probs) != 5 {
		t.Errorf("%d problems, want 5: %v", len(probs), probs)
	}

	tr := file(t, "names.tar", tarBytes(t,
		tent{hdr: tar.Header{Name: "../up.txt"}, data: "1"},
		tent{hdr: tar.Header{Name: `back\slash.txt`}, data: "2"},
		tent{hdr: tar.Header{Name: long}, data: "3"},
		tent{hdr: tar.Header{Name: "/etc/passwd"}, data: "4"},
	))
	tree = openTree(t, tr)
	if got, _ := read(t, tree, `back\slash.txt`); got != "2" {
		t.Errorf("a tar's backslash name reads %q, want it kept as a name", got)
	}
	if got, _ := read(t, tree, "etc/passwd"); got != "4" {
		t.Errorf("an absolute tar name reads %q, want it below the root", got)
	}
	probs = problems(tree)
	if !errors.Is(probs["../up.txt"], archive.ErrName) || !errors.Is(probs[long[:archive.MaxNameLen]+"..."], archive.ErrName) || len(probs) != 2 {
		t.Errorf("tar problems %v, want ../up.txt and the long name", probs)
	}
}

// TestConflicts: the first entry at a path wins, in a zip and a tar; a
// later duplicate, a file where a folder is, and an entry below a file
// are named.
func TestConflicts(t *testing.T) {
	z := file(t, "dup.zip", zipBytes(t,
		zent{name: "dup.txt", data: "first"},
		zent{name: "dup.txt", data: "second"},
		zent{name: "f", data: "a file"},
		zent{name: "f/under.txt", data: "below a file"},
		zent{name: "d/e.txt", data: "in a folder"},
		zent{name: "d", data: "a file where a folder is"},
		zent{name: "d/", mode: fs.ModeDir | 0o755},
	))
	tar := file(t, "dup.tar", tarBytes(t,
		tent{hdr: tar.Header{Name: "dup.txt"}, data: "first"},
		tent{hdr: tar.Header{Name: "dup.txt"}, data: "second"},
		tent{hdr: tar.Header{Name: "f"}, data: "a file"},
		tent{hdr: tar.Header{Name: "f/under.txt"}, data: "below a file"},
		tent{hdr: tar.Header{Name: "d/e.txt"}, data: "in a folder"},
		tent{hdr: tar.Header{Name: "d"}, data: "a file where a folder is"},
		tent{hdr: tar.Header{Name: "d/", Typeflag: tar.TypeDir, Mode: 0o755}},
	))
	for _, p := range []string{z, tar} {
		tree := openTree(t, p)
		if got, _ := read(t, tree, "dup.txt"); got != "first" {
			t.Errorf("%s: dup.txt reads %q, want the first entry's", p, got)
		}
		if got, _ := read(t, tree, "f"); got != "a file" {
			t.Errorf("%s: f reads %q", p, got)
		}
		if fi, err := tree.Lstat("d"); err != nil || !fi.IsDir() {
			t.Errorf("%s: d is %v %v, want the folder its first entry implied", p, fi, err)
		}
		if got, _ := read(t, tree, "d/e.txt"); got != "in a folder" {
			t.Errorf("%s: d/e.txt reads %q", p, got)
		}
		probs := problems(tree)
		for _, name := range []string{"dup.txt", "f/under.txt", "d"} {
			if !errors.Is(probs[name], archive.ErrConflict) {
				t.Errorf("%s: %s: problem %v, want ErrConflict", p, name, probs[name])
			}
		}
		if len(probs) != 3 {
			t.Errorf("%s: problems %v, want 3", p, probs)
		}
	}
}

// TestSymlinks: a symlink stays a symlink with its target, never
// followed, in a zip and a tar.
func TestSymlinks(t *testing.T) {
	z := file(t, "link.zip", zipBytes(t,
		zent{name: "passwd", data: "../../../etc/passwd", mode: fs.ModeSymlink | 0o777},
		zent{name: "real.txt", data: "real"},
		zent{name: "alias", data: "real.txt", mode: fs.ModeSymlink | 0o777},
	))
	tr := file(t, "link.tar", tarBytes(t,
		tent{hdr: tar.Header{Name: "passwd", Typeflag: tar.TypeSymlink, Linkname: "../../../etc/passwd"}},
		tent{hdr: tar.Header{Name: "real.txt"}, data: "real"},
		tent{hdr: tar.Header{Name: "alias", Typeflag: tar.TypeSymlink, Linkname: "real.txt"}},
		tent{hdr: tar.Header{Name: "hard", Typeflag: tar.TypeLink, Linkname: "real.txt"}},
	))
	for _, p := range []string{z, tr} {
		tree := openTree(t, p)
		for name, target := range map[string]string{"passwd": "../../../etc/passwd", "alias": "real.txt"} {
			fi, err := tree.Lstat(name)
			if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
				t.Errorf("%s: %s is %v %v, want a symlink", p, name, fi, err)
			}
			if got, err := tree.Readlink(name); got != target || err != nil {
				t.Errorf("%s: %s points to %q %v, want %q", p, name, got, err, target)
			}
			if _, err := tree.Open(name); err == nil {
				t.Errorf("%s: opening the symlink %s succeeded; a symlink is never followed", p, name)
			}
		}
	}
	if got, err := read(t, openTree(t, tr), "hard"); got != "real" || err != nil {
		t.Errorf("a tar hard link reads %q %v, want its target's bytes", got, err)
	}
}

// patchZipSize sets the uncompressed size of name in a zip's central
// directory.
func patchZipSize(t *testing.T, b []byte, name string, size uint32) []byte {
	t.Helper()
	b = bytes.Clone(b)
	for i := 0; ; i++ {
		j := bytes.Index(b[i:], []byte("PK\x01\x02"))
		if j < 0 {
			t.Fatalf("%s not in the central directory", name)
		}
		i += j
		n := int(binary.LittleEndian.Uint16(b[i+28:]))
		if string(b[i+46:i+46+n]) == name {
			binary.LittleEndian.PutUint32(b[i+24:], size)
			return b
		}
	}
}

// TestLyingSizes: an entry whose bytes are more or fewer than its header
// says fails alone; the tree reports the declared size, and a bomb is
// read no further than it.
func TestLyingSizes(t *testing.T) {
	bomb := strings.Repeat("\x00", 16<<20)
	b := zipBytes(t, zent{name: "bomb", data: bomb}, zent{name: "short", data: "twelve bytes"}, zent{name: "ok", data: "fine"})
	b = patchZipSize(t, b, "bomb", 1<<20)
	b = patchZipSize(t, b, "short", 100)
	tree := openTree(t, file(t, "lie.zip", b))
	if fi, err := tree.Lstat("bomb"); err != nil || fi.Size() != 1<<20 {
		t.Errorf("bomb: %v %v, want its declared 1 MiB", fi, err)
	}
	f, err := tree.Open("bomb")
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, f)
	f.Close()
	if err == nil || n > 1<<20 {
		t.Errorf("a bomb declaring 1 MiB gave %d bytes, error %v; want at most 1 MiB and an error", n, err)
	}
	if got, err := read(t, tree, "short"); err == nil {
		t.Errorf("an entry of 12 bytes declaring 100 read %q with no error", got)
	}
	if got, err := read(t, tree, "ok"); got != "fine" || err != nil {
		t.Errorf("ok beside lying entries: %q %v", got, err)
	}

	// A tar whose first header says 32767 bytes where 100 follow.
	tb := tarBytes(t, tent{hdr: tar.Header{Name: "a"}, data: strings.Repeat("a", 100)}, tent{hdr: tar.Header{Name: "b"}, data: "b"})
	copy(tb[124:136], fmt.Sprintf("%011o\x00", 32767))
	copy(tb[148:156], "        ")
	sum := 0
	for _, c := range tb[:512] {
		sum += int(c)
	}
	copy(tb[148:156], fmt.Sprintf("%06o\x00 ", sum))
	for _, name := range []string{"lie.tar", "lie.tgz"} {
		data := tb
		if name == "lie.tgz" {
			data = gz(t, tb)
		}
		tree := openTree(t, file(t, name, data))
		if got, err := read(t, tree, "a"); !errors.Is(err, archive.ErrSize) {
			t.Errorf("%s: a tar entry cut short read %d bytes, %v; want ErrSize", name, len(got), err)
		}
		if probs := problems(tree); len(probs) != 1 {
			t.Errorf("%s: problems %v, want the break named", name, probs)
		}
	}
}

// TestEncrypted: an encrypted zip entry fails alone.
func TestEncrypted(t *testing.T) {
	b := zipBytes(t,
		zent{raw: &zip.FileHeader{Name: "secret.txt", Method: zip.Store, Flags: 1, Modified: when, CompressedSize64: 4, UncompressedSize64: 4}, data: "\x01\x02\x03\x04"},
		zent{name: "plain.txt", data: "plain"})
	tree := openTree(t, file(t, "enc.zip", b))
	if _, err := read(t, tree, "secret.txt"); !errors.Is(err, archive.ErrEncrypted) {
		t.Errorf("encrypted entry: %v, want ErrEncrypted", err)
	}
	if got, err := read(t, tree, "plain.txt"); got != "plain" || err != nil {
		t.Errorf("plain.txt beside it: %q %v", got, err)
	}
}

// TestFoldersAndTimes: folders that paths imply exist; entries keep the
// archive's mtimes to the second (zip) or the nanosecond (PAX tar).
func TestFoldersAndTimes(t *testing.T) {
	tree := openTree(t, file(t, "deep.zip", zipBytes(t, zent{name: "a/b/c.txt", data: "c"})))
	for _, d := range []string{"a", "a/b"} {
		if fi, err := tree.Lstat(d); err != nil || !fi.IsDir() {
			t.Errorf("%s: %v %v, want an implied folder", d, fi, err)
		}
	}
	if list, err := tree.ReadDir("a"); err != nil || len(list) != 1 || list[0].Name() != "b" {
		t.Errorf("readdir a: %v %v", list, err)
	}
	if fi, _ := tree.Lstat("a/b/c.txt"); fi == nil || !fi.ModTime().Equal(when) {
		t.Errorf("zip mtime %v, want %v", fi, when)
	}
	ns := when.Add(123456789)
	tree = openTree(t, file(t, "t.tar", tarBytes(t, tent{hdr: tar.Header{Name: "x", ModTime: ns, Format: tar.FormatPAX}, data: "x"})))
	if fi, _ := tree.Lstat("x"); fi == nil || !fi.ModTime().Equal(ns) {
		t.Errorf("tar mtime %v, want %v", fi, ns)
	}
}

// TestNotAnArchive: a file named like an archive whose bytes are none is
// refused whole; one named .zip holding a tar is read as a tar.
func TestNotAnArchive(t *testing.T) {
	for _, name := range []string{"junk.zip", "junk.tar", "junk.tgz"} {
		if _, err := archive.OpenTree(file(t, name, []byte("just some text, not an archive"))); !errors.Is(err, archive.ErrFormat) {
			t.Errorf("a text file named %s: %v, want ErrFormat", name, err)
		}
	}
	tree := openTree(t, file(t, "mislabeled.zip", tarBytes(t, tent{hdr: tar.Header{Name: "in.txt"}, data: "tar inside"})))
	if got, err := read(t, tree, "in.txt"); got != "tar inside" || err != nil {
		t.Errorf("a tar named .zip: %q %v", got, err)
	}
	for name, want := range map[string]bool{"a.zip": true, "A.ZIP": true, "b.tar": true, "c.TGZ": true, "d.tar.gz": true, "e.gz": false, "f.zipx": false, "zip": false} {
		if archive.IsArchive(name) != want {
			t.Errorf("IsArchive(%q) = %v", name, !want)
		}
	}
}

// TestRewrittenInPlace: an archive overwritten in place while its tree is
// open fails the entries read after it, rather than reading other bytes.
func TestRewrittenInPlace(t *testing.T) {
	p := file(t, "live.tar", tarBytes(t, tent{hdr: tar.Header{Name: "a"}, data: "first version"}))
	tree := openTree(t, p)
	if got, err := read(t, tree, "a"); got != "first version" || err != nil {
		t.Fatalf("a: %q %v", got, err)
	}
	if err := os.WriteFile(p, tarBytes(t, tent{hdr: tar.Header{Name: "b"}, data: "x"}, tent{hdr: tar.Header{Name: "a"}, data: "second"}), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := read(t, tree, "a"); !errors.Is(err, archive.ErrChanged) {
		t.Errorf("a after the archive was rewritten: %q %v, want ErrChanged", got, err)
	}
}

// TestReadAfterClose: an entry read after Close fails, and does not take
// the tgz cursor another reader was given.
func TestReadAfterClose(t *testing.T) {
	p := file(t, "c.tgz", gz(t, tarBytes(t, tent{hdr: tar.Header{Name: "a"}, data: "aaaa"}, tent{hdr: tar.Header{Name: "b"}, data: "bbbb"})))
	tree := openTree(t, p)
	f, err := tree.Open("a")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if got, err := read(t, tree, "b"); got != "bbbb" || err != nil {
		t.Fatalf("b: %q %v", got, err)
	}
	if n, err := f.Read(make([]byte, 4)); n != 0 || !errors.Is(err, fs.ErrClosed) {
		t.Errorf("read after close: %d, %v; want fs.ErrClosed", n, err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
}
