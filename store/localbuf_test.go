package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// A small object (a lock file, a snapshot) is written through a buffer
// sized to it: the 1 MiB one a pack gets stayed in directio's pool for
// the rest of the run, a fifth of an unchanged re-run's live heap.
func TestSmallObjectSmallBuffer(t *testing.T) {
	root := filepath.Join(t.TempDir(), "repo")
	if err := os.Mkdir(root, 0o700); err != nil {
		t.Fatal(err)
	}
	l := NewLocal(root)
	var s Store = l
	if _, ok := s.(Putter); !ok {
		t.Fatal("Local is not a Putter: Save would take Create's directWrite buffer")
	}
	ctx := context.Background()
	big, err := l.Create(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer big.Abort()
	small, err := l.create(ctx, 300)
	if err != nil {
		t.Fatal(err)
	}
	defer small.Abort()
	if !small.w.Direct() {
		t.Skip("this file system refuses O_DIRECT: no buffer either way")
	}
	if n := cap(big.(*localWriter).AvailableBuffer()); n != directWrite {
		t.Errorf("Create's buffer: %d bytes, want %d", n, directWrite)
	}
	if n := cap(small.AvailableBuffer()); n > 4096 {
		t.Errorf("a 300-byte object's buffer: %d bytes, want at most 4096", n)
	}
	data := []byte("lock file contents\n")
	if err := Save(ctx, l, "locks/x", data); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, "locks", "x"))
	if err != nil || string(got) != string(data) {
		t.Fatalf("saved %q, %v", got, err)
	}
}
