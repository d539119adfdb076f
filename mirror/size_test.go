package mirror_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/mirror"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// TestHugeObjectNotRead: a storage holder plants a 1 GiB file (sparse) as
// a pack; sync and heal size-check it before reading and call it damage,
// instead of reading it whole into memory.
func TestHugeObjectNotRead(t *testing.T) {
	e := testrepo.New(t)
	e.Backup(t, phone(t))
	mdir := filepath.Join(t.TempDir(), "mirror")
	if _, err := mirror.Init(ctx, store.NewLocal(e.Repo), store.NewLocal(mdir)); err != nil {
		t.Fatal(err)
	}
	name := strings.Repeat("ab", 32)
	os.MkdirAll(filepath.Join(e.Repo, "data", "ab"), 0o700)
	f, err := os.Create(filepath.Join(e.Repo, "data", "ab", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for what, run := range map[string]func() error{
		"push": func() error { _, err := mirror.Push(ctx, store.NewLocal(e.Repo), store.NewLocal(mdir)); return err },
		"heal": func() error { _, err := mirror.Heal(ctx, store.NewLocal(e.Repo), store.NewLocal(mdir)); return err },
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := run()
		runtime.ReadMemStats(&after)
		if !errors.Is(err, repo.ErrDamaged) {
			t.Errorf("%s: %v, want damage", what, err)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 256<<20 {
			t.Errorf("%s beside a 1 GiB planted pack allocated %d MiB", what, got>>20)
		}
	}
	if _, err := os.Stat(filepath.Join(mdir, "data", "ab", name)); err == nil {
		t.Error("the planted object was copied")
	}
}
