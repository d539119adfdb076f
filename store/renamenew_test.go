package store

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestRenameNew: both ways of giving a file a name only if it is free
// (renameat2 here, the hard link of NFS and other systems) refuse a taken
// name and leave it as it was.
func TestRenameNew(t *testing.T) {
	for name, fn := range map[string]func(string, string) error{"renameNew": renameNew, "linkNew": linkNew} {
		dir := t.TempDir()
		src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
		os.WriteFile(src, []byte("new"), 0o600)
		if err := fn(src, dst); err != nil {
			t.Fatalf("%s to a free name: %v", name, err)
		}
		if _, err := os.Stat(src); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s left the source: %v", name, err)
		}
		os.WriteFile(src, []byte("second"), 0o600)
		if err := fn(src, dst); !errors.Is(err, fs.ErrExist) {
			t.Errorf("%s to a taken name: %v, want fs.ErrExist", name, err)
		}
		if b, _ := os.ReadFile(dst); string(b) != "new" {
			t.Errorf("%s changed the taken name: %q", name, b)
		}
	}
}
