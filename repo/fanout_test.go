package repo_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
)

// dataFolders returns the fan-out folders data/XX of a repository.
func dataFolders(t *testing.T, repoDir string) []string {
	t.Helper()
	ds, err := filepath.Glob(filepath.Join(repoDir, "data", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range ds {
		ds[i] = filepath.Base(d)
	}
	return ds
}

// TestSmallPacksUseExistingFolders: a backup that stores a few KiB writes
// its pack into a data/XX folder the repository has (a new folder costs a
// 4 KiB block on ext4, more than such a pack), so twelve small edits add
// twelve packs and no folder; every snapshot still restores.
func TestSmallPacksUseExistingFolders(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(t.TempDir(), "phone")
	file := filepath.Join(src, "notes.txt")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("first"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.Backup(t, src)
	folders := dataFolders(t, e.Repo)
	packs := func() int {
		ps, _ := filepath.Glob(filepath.Join(e.Repo, "data", "*", "*"))
		return len(ps)
	}
	before := packs()
	const edits = 12
	for i := range edits {
		if err := os.WriteFile(file, []byte(fmt.Sprintf("edit %d", i)), 0o644); err != nil {
			t.Fatal(err)
		}
		res := e.Backup(t, src)
		if i == edits-1 {
			testrepo.SameTree(t, src, e.Restore(t, res.ID))
		}
	}
	if got := packs() - before; got != edits {
		t.Errorf("%d small backups wrote %d packs, want one each", edits, got)
	}
	if got := dataFolders(t, e.Repo); !slices.Equal(got, folders) {
		t.Errorf("data folders %v after %d small backups, want those of the first backup %v", got, edits, folders)
	}
}
