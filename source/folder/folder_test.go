package folder_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/source"
	"github.com/lifeboat-backup/lifeboat/source/sourcetest"
)

// TestConformance runs the source suite against a folder on disk.
func TestConformance(t *testing.T) {
	var dir string
	mtime := time.Date(2025, 11, 2, 8, 0, 0, 123456789, time.UTC)
	// write may run on backup's goroutines (Change): t.Error only.
	write := func(t *testing.T, name string, data []byte, at time.Time) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Error(err)
			return
		}
		// In place, as an editor that rewrites a file does: the inode stays.
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			t.Error(err)
			return
		}
		defer f.Close()
		if _, err := f.WriteAt(data, 0); err != nil {
			t.Error(err)
		}
		f.Truncate(int64(len(data)))
		if err := os.Chtimes(p, at, at); err != nil {
			t.Error(err)
		}
	}
	sourcetest.Run(t, sourcetest.Harness{
		New: func(t *testing.T, files []sourcetest.File) source.Source {
			dir = filepath.Join(t.TempDir(), "phone")
			for _, f := range files {
				write(t, f.Name, f.Data, mtime)
			}
			s, err := source.Parse(dir, source.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		Remove: func(t *testing.T, name string) {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				t.Error(err)
			}
		},
		Change: func(t *testing.T, name string, data []byte) { write(t, name, data, mtime.Add(time.Second)) },
		Break: func(t *testing.T, name string) {
			if os.Geteuid() == 0 {
				t.Skip("root reads a file of mode 000")
			}
			os.Chmod(filepath.Join(dir, filepath.FromSlash(name)), 0)
		},
		Large: func(t *testing.T, name string, size int64) {
			f, err := os.Create(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Truncate(size); err != nil {
				t.Fatal(err)
			}
		},
		RawNames: true,
	})
}
