package repo_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/check"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// TestStaleIndexAfterPrune (issue 10, item 5): the storage holder puts
// back a genuine index file from before a prune. It names packs the
// prune removed, for blobs that now live in the packs the prune wrote.
// Restore still finds every blob, check calls nothing damaged, and the
// next prune removes the stale file.
func TestStaleIndexAfterPrune(t *testing.T) {
	ctx := context.Background()
	e := testrepo.New(t)
	src := filepath.Join(t.TempDir(), "phone")
	if err := os.CopyFS(src, os.DirFS(phone(t))); err != nil {
		t.Fatal(err)
	}
	first := e.Backup(t, src)
	names, _ := filepath.Glob(filepath.Join(e.Repo, "index", "*"))
	if len(names) != 1 {
		t.Fatalf("%d index files after one backup", len(names))
	}
	staleName := "index/" + filepath.Base(names[0])
	stale, err := os.ReadFile(names[0])
	if err != nil {
		t.Fatal(err)
	}
	// Half the pack's bytes become unused, so prune repacks the rest.
	if err := os.Remove(filepath.Join(src, "DCIM", "Camera", "VID_20250614_102000.mp4")); err != nil {
		t.Fatal(err)
	}
	second := e.Backup(t, src)
	// Forget the first snapshot, as forget does.
	st := store.NewLocal(e.Repo)
	if err := e.Open(t, repo.AccessRead).Recatalog(ctx, []format.ID{first.ID}, []store.Store{st}); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(e.Repo, "snapshots", first.ID.String())); err != nil {
		t.Fatal(err)
	}
	// Index files load in name order and a blob's last location wins:
	// prune until its index sorts before the stale one, so the stale
	// entries are the ones loaded last. Names are hashes of sealed
	// bytes: with n tries the loop fails with odds 1/(n+1) over the
	// stale name's draw (40 tries failed once in CI), and it takes about
	// ln n tries on average.
	for try := 0; ; try++ {
		plan := prune(t, e, st)
		if try == 0 && plan.Repacked == 0 {
			t.Fatal("prune repacked nothing: the stale index would name only packs that exist")
		}
		if plan.IndexName < staleName {
			break
		}
		if try == 2000 {
			t.Fatal("prune never wrote an index sorting before the stale one")
		}
	}
	if err := store.Save(ctx, st, staleName, stale); err != nil {
		t.Fatal(err)
	}

	testrepo.SameTree(t, src, e.Restore(t, second.ID))
	rep, err := check.Run(ctx, e.Open(t, repo.AccessRead), check.Options{ReadData: true})
	if err != nil {
		t.Fatalf("check: %v (%v)", err, rep.Problems)
	}
	if len(rep.Stale) == 0 {
		t.Error("check did not mention the stale index")
	}
	prune(t, e, st)
	if _, err := os.Stat(filepath.Join(e.Repo, staleName)); !os.IsNotExist(err) {
		t.Errorf("prune left the stale index: %v", err)
	}
	testrepo.SameTree(t, src, e.Restore(t, second.ID))
}

func prune(t *testing.T, e *testrepo.Env, st store.Store) *repo.PrunePlan {
	t.Helper()
	ctx := context.Background()
	plan, err := e.Open(t, repo.AccessRead).PlanPrune(ctx, false)
	if err != nil {
		t.Fatalf("plan prune: %v", err)
	}
	if _, err := repo.ApplyPrune(ctx, st, nil, plan, func() error { return nil }); err != nil {
		t.Fatalf("prune: %v", err)
	}
	return plan
}
