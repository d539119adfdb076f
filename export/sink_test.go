package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/export"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// TestZipSinkSameBytes: an export into a zip stream holds the same files,
// byte for byte, as the same export into a folder, and no others.
func TestZipSinkSameBytes(t *testing.T) {
	e := testrepo.New(t)
	res := e.Backup(t, filepath.Join(testrepo.ModuleRoot(t), "testdata", "phone"))
	r := e.Open(t, repo.AccessRead)
	opts := export.Options{Contacts: true, Calendars: true, Photos: true, ByDate: true}
	dirOpts := opts
	dirOpts.Target = filepath.Join(t.TempDir(), "kit")
	want, err := export.Run(context.Background(), r, res.Snapshot, dirOpts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	opts.Sink = export.ZipSink{W: zw}
	got, err := export.Run(context.Background(), r, res.Snapshot, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if len(got.Files) != len(want.Files) || got.Photos != want.Photos || got.Contacts != want.Contacts {
		t.Fatalf("zip export %+v, folder export %+v", got, want)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(want.Files) || len(zr.File) == 0 {
		t.Fatalf("zip holds %d entries, the folder %d files", len(zr.File), len(want.Files))
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		disk, err := os.ReadFile(filepath.Join(dirOpts.Target, filepath.FromSlash(f.Name)))
		if err != nil {
			t.Errorf("%s: in the zip, not in the folder: %v", f.Name, err)
			continue
		}
		if !bytes.Equal(b, disk) {
			t.Errorf("%s: %d bytes in the zip, %d in the folder, not the same", f.Name, len(b), len(disk))
		}
	}
}
