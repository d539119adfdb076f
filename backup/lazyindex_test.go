package backup_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// indexSpy counts what a backup reads of the index: index files opened
// read and listings of data/ (both only a load of the index does). failData
// makes the listing of data/ fail.
type indexSpy struct {
	store.Store
	opens, lists atomic.Int64
	indexLists   atomic.Int64
	failData     bool
}

func (s *indexSpy) Load(ctx context.Context, name string) ([]byte, error) {
	if strings.HasPrefix(name, "index/") {
		s.opens.Add(1)
	}
	return s.Store.Load(ctx, name)
}

func (s *indexSpy) List(ctx context.Context, dir string, fn func(string, int64) error) error {
	if dir == "index" {
		s.indexLists.Add(1)
	}
	if dir == "data" {
		s.lists.Add(1)
		if s.failData {
			return errors.New("listing refused")
		}
	}
	return s.Store.List(ctx, dir, fn)
}

func spyBackup(t *testing.T, e *testrepo.Env, spy *indexSpy, src string) (*backup.Result, error) {
	t.Helper()
	spy.Store = store.NewLocal(e.Repo)
	spy.opens.Store(0)
	spy.lists.Store(0)
	spy.indexLists.Store(0)
	r, err := repo.Open(context.Background(), spy, e.Keys, repo.AccessWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return backup.Run(context.Background(), r, backup.Options{Source: src, CacheDir: e.CacheDir})
}

// TestUnchangedRunLoadsNoIndex: a backup loads the index only when it
// needs it, and lists index/ once. An unchanged re-run of a phone
// export's shape (folders in folders, a contacts.vcf cut at its cards,
// an empty folder; the cache vouches for its files and, through each
// folder's last tree, for its trees) opens no index file and lists no
// pack, and its snapshot restores; a run with one changed file loads it
// and stores only that file's blobs.
func TestUnchangedRunLoadsNoIndex(t *testing.T) {
	e := testrepo.New(t)
	src := t.TempDir()
	for d := 0; d < 4; d++ {
		for f := 0; f < 40; f++ {
			write(t, filepath.Join(src, fmt.Sprintf("d%d/sub/f%02d.txt", d, f)), strings.Repeat(fmt.Sprintf("file %d/%d ", d, f), 50))
		}
	}
	write(t, filepath.Join(src, "Contacts/contacts.vcf"), contactsFile(300, -1))
	if err := os.MkdirAll(filepath.Join(src, "DCIM/Camera"), 0o755); err != nil {
		t.Fatal(err)
	}
	spy := &indexSpy{}
	if _, err := spyBackup(t, e, spy, src); err != nil {
		t.Fatal(err)
	}
	if n := spy.indexLists.Load(); n != 1 {
		t.Errorf("first backup listed index/ %d times, want 1", n)
	}
	res, err := spyBackup(t, e, spy, src)
	if err != nil {
		t.Fatal(err)
	}
	if n, l := spy.opens.Load(), spy.lists.Load(); n != 0 || l != 0 {
		t.Errorf("unchanged re-run opened %d index files and listed data/ %d times, want none", n, l)
	}
	testrepo.SameBytes(t, src, e.Restore(t, res.ID))

	before := e.Size(t)
	write(t, filepath.Join(src, "d2/sub/f07.txt"), "changed")
	res, err = spyBackup(t, e, spy, src)
	if err != nil {
		t.Fatal(err)
	}
	if spy.opens.Load() == 0 || spy.lists.Load() == 0 {
		t.Errorf("a run with a changed file did not load the index: %d opens, %d lists, %d files", spy.opens.Load(), spy.lists.Load(), res.Snapshot.Stats.Files)
	}
	if grew := e.Size(t) - before; grew > 16<<10 {
		t.Errorf("one changed file grew the repository by %d bytes: the index was not used for dedup", grew)
	}
	testrepo.SameBytes(t, src, e.Restore(t, res.ID))
}

// TestIndexLoadFailsCommit: when the index is needed and cannot be
// loaded, the backup fails instead of committing a snapshot.
func TestIndexLoadFailsCommit(t *testing.T) {
	e := testrepo.New(t)
	src := t.TempDir()
	write(t, filepath.Join(src, "a.txt"), "some text")
	spy := &indexSpy{failData: true}
	if _, err := spyBackup(t, e, spy, src); err == nil || !strings.Contains(err.Error(), "listing refused") {
		t.Fatalf("backup with an index that cannot load: %v, want the listing's error", err)
	}
	if names, _ := os.ReadDir(filepath.Join(e.Repo, "snapshots")); len(names) != 0 {
		t.Fatalf("%d snapshots committed", len(names))
	}
}
