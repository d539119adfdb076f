package check_test

import (
	"io/fs"
	"path/filepath"
	"sort"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/store"
)

func r0(e *testrepo.Env) store.Store { return store.NewLocal(e.Repo) }

// snapshotFiles lists the content-addressed objects of a repository.
func snapshotFiles(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	for _, sub := range []string{"data", "index", "snapshots"} {
		filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(dir, p)
				names = append(names, filepath.ToSlash(rel))
			}
			return err
		})
	}
	sort.Strings(names)
	return names
}
