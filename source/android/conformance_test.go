package android_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/source"
	"github.com/lifeboat-backup/lifeboat/source/sourcetest"
)

// use points this test's adb client at the phone's own adb server.
func use(t *testing.T, p *fakeadb.Phone) {
	t.Helper()
	for _, kv := range p.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

// TestConformance runs the source suite against a fake phone through the
// real adb: the suite's files are photos under /sdcard/DCIM.
func TestConformance(t *testing.T) {
	var root string
	mtime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	write := func(t *testing.T, name string, data []byte, mt time.Time) {
		p := filepath.Join(root, "DCIM", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Error(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Error(err)
		}
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Error(err)
		}
	}
	sourcetest.Run(t, sourcetest.Harness{
		New: func(t *testing.T, files []sourcetest.File) source.Source {
			root = t.TempDir()
			for _, f := range files {
				write(t, f.Name, f.Data, mtime)
			}
			p := fakeadb.Start(t, fakeadb.Options{Root: root})
			use(t, p)
			s, err := source.Parse("android://", source.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		Path: func(name string) string { return "DCIM/" + name },
		Remove: func(t *testing.T, name string) {
			if err := os.Remove(filepath.Join(root, "DCIM", filepath.FromSlash(name))); err != nil {
				t.Error(err)
			}
		},
		Change: func(t *testing.T, name string, data []byte) { write(t, name, data, mtime.Add(time.Second)) },
		Large: func(t *testing.T, name string, size int64) {
			p := filepath.Join(root, "DCIM", filepath.FromSlash(name))
			f, err := os.Create(p)
			if err == nil {
				err = f.Truncate(size)
				f.Close()
			}
			if err != nil {
				t.Error(err)
			}
		},
		RawNames: true,
	})
}
