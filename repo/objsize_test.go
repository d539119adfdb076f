package repo_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// TestHugeKeyObjectReplaced: a storage holder plants a 1 GiB file
// (sparse) as keys/write.age in the location keys are written to; the
// key writer size-checks it instead of reading it whole to compare, and
// replaces it.
func TestHugeKeyObjectReplaced(t *testing.T) {
	ctx := context.Background()
	e := testrepo.New(t)
	set, err := repo.LoadKeySet(ctx, store.NewLocal(e.Repo))
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	os.MkdirAll(filepath.Join(dst, "keys"), 0o700)
	f, err := os.Create(filepath.Join(dst, "keys", "write.age"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := set.Write(ctx, store.NewLocal(dst)); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("writing keys over a 1 GiB object allocated %d MiB", got>>20)
	}
	if b, _ := os.ReadFile(filepath.Join(dst, "keys", "write.age")); string(b) != string(set.Object("keys/write.age")) {
		t.Error("the planted object was not replaced")
	}
}
