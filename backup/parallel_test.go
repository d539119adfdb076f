package backup_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// TestParallelWalkSameTree: folders are walked in parallel, yet the
// same files make the same snapshot tree every time, hard links included
// (their numbers are keyed hashes of the inode, not an order of
// discovery that the walks' timing would change): a first backup, a
// re-run from the cache and a re-run that reads everything again give
// one root tree, and the restore matches the source.
func TestParallelWalkSameTree(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(t.TempDir(), "phone")
	for i := range 8 {
		for j := range 5 {
			for k := range 12 {
				write(t, filepath.Join(src, fmt.Sprintf("d%d", i), fmt.Sprintf("s%d", j), fmt.Sprintf("f%02d.txt", k)),
					fmt.Sprintf("file %d/%d/%d\n", i, j, k))
			}
		}
	}
	for i := range 8 { // each top folder's first file is linked into the next one
		from := filepath.Join(src, fmt.Sprintf("d%d", i), "s0", "f00.txt")
		if err := os.Link(from, filepath.Join(src, fmt.Sprintf("d%d", (i+1)%8), "s4", "linked.txt")); err != nil {
			t.Fatal(err)
		}
	}
	first := e.Backup(t, src)
	again := e.Backup(t, src)
	r := e.Open(t, repo.AccessWrite)
	full, err := backup.Run(context.Background(), r, backup.Options{Source: src, CacheDir: e.CacheDir, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if full.Snapshot.Stats.BytesRead == 0 {
		t.Fatal("the backup without cache read nothing")
	}
	want := first.Snapshot.Root.Content.IDs
	for name, res := range map[string]*backup.Result{"re-run from the cache": again, "re-run reading everything": full} {
		if got := res.Snapshot.Root.Content.IDs; !slices.Equal(got, want) {
			t.Errorf("%s: root tree %v, first backup's %v", name, got, want)
		}
	}
	testrepo.SameTree(t, src, e.Restore(t, full.ID))
}
