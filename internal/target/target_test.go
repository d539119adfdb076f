package target

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestPrepareIn: a per-source folder is opened through the target's root;
// a link planted in its place (to outside or inside), or a file, is
// refused and nothing is written through it.
func TestPrepareIn(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	os.Mkdir(filepath.Join(dir, "inside"), 0o700)
	os.Mkdir(filepath.Join(dir, "full"), 0o700)
	os.WriteFile(filepath.Join(dir, "full", "x"), nil, 0o600)
	os.WriteFile(filepath.Join(dir, "file"), nil, 0o600)
	os.Symlink(outside, filepath.Join(dir, "out"))
	os.Symlink("inside", filepath.Join(dir, "in"))
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	for _, c := range []struct {
		name      string
		overwrite bool
		want      error
	}{
		{"out", true, ErrNotFolder},
		{"in", true, ErrNotFolder},
		{"file", true, ErrNotFolder},
		{"full", false, ErrNotEmpty},
	} {
		if sub, _, err := PrepareIn(root, c.name, c.overwrite); !errors.Is(err, c.want) {
			if sub != nil {
				sub.Close()
			}
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	sub, created, err := PrepareIn(root, "new", false)
	if err != nil || !created {
		t.Fatalf("new: %v %v", created, err)
	}
	defer sub.Close()
	if err := sub.WriteFile("f", []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "new", "f")); err != nil {
		t.Error(err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("written outside: %v", entries)
	}
	if sub, _, err := PrepareIn(root, "full", true); err != nil {
		t.Errorf("full with overwrite: %v", err)
	} else {
		sub.Close()
	}
}
