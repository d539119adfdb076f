package lock

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/lifeboat-backup/lifeboat/store"
)

// TestHugeLockNotRead: a huge file planted in locks/ (sparse here, 512 MiB)
// is size-checked before it is read: taking a lock costs far less memory
// than the file's size, and the planted file is stale like any
// unreadable lock (it was read whole before its 64 KiB check).
func TestHugeLockNotRead(t *testing.T) {
	dir := t.TempDir()
	s := store.NewLocal(dir)
	if err := os.MkdirAll(filepath.Join(dir, "locks"), 0o700); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "locks", "0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(512 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	l, err := Acquire(t.Context(), s, Write, "backup")
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("a huge planted lock blocks: %v", err)
	}
	l.Release()
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
		t.Errorf("taking a lock beside a 512 MiB file allocated %d MiB", got>>20)
	}
}
