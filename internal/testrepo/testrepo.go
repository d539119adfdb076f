// Package testrepo builds real repositories in temporary folders for
// tests: a real local store, real keys, real files.
package testrepo

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
	"github.com/lifeboat-backup/lifeboat/store"
)

// Env is a repository with its keys and cache in a temporary folder.
type Env struct {
	Dir      string
	Repo     string
	Keys     repo.Keys
	CacheDir string
}

// New initialises a repository with a fresh identity.
func New(t testing.TB) *Env {
	t.Helper()
	dir := t.TempDir()
	e := &Env{Dir: dir, Repo: filepath.Join(dir, "repo"), CacheDir: filepath.Join(dir, "cache"),
		Keys: repo.Keys{IdentityFile: filepath.Join(dir, "identity.txt"), KeyDir: filepath.Join(dir, "keys"),
			StateDir: filepath.Join(dir, "state")}}
	_, err := repo.Init(context.Background(), store.NewLocal(e.Repo), repo.InitOptions{
		IdentityFile: e.Keys.IdentityFile, KeyDir: e.Keys.KeyDir})
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	return e
}

// Open opens the repository.
func (e *Env) Open(t testing.TB, access repo.Access) *repo.Repository {
	t.Helper()
	r, err := repo.Open(context.Background(), store.NewLocal(e.Repo), e.Keys, access)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// Backup backs up src with the write key only, as cron would.
func (e *Env) Backup(t testing.TB, src string) *backup.Result {
	t.Helper()
	r := e.Open(t, repo.AccessWrite)
	res, err := backup.Run(context.Background(), r, backup.Options{Source: src, CacheDir: e.CacheDir})
	if err != nil {
		t.Fatalf("backup %s: %v", src, err)
	}
	return res
}

// Restore restores a snapshot into a new folder and returns it.
func (e *Env) Restore(t testing.TB, id format.ID) string {
	t.Helper()
	r := e.Open(t, repo.AccessRead)
	snap, err := r.LoadSnapshot(context.Background(), id)
	if err != nil {
		t.Fatalf("load snapshot: %v", err)
	}
	out := filepath.Join(t.TempDir(), "restored")
	if _, err := restore.Run(context.Background(), r, snap, restore.Options{Target: out}); err != nil {
		t.Fatalf("restore: %v", err)
	}
	return out
}

// Size returns the total size of the repository's files.
func (e *Env) Size(t testing.TB) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(e.Repo, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			n += fi.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// SameBytes fails unless every regular file under want is in got with the
// same bytes, and returns how many it compared. Modes and times are not
// compared: for a target that existed before, or files from git.
func SameBytes(t testing.TB, want, got string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(want, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(want, p)
		a, _ := os.ReadFile(p)
		b, err := os.ReadFile(filepath.Join(got, rel))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: restored bytes differ (%v)", rel, err)
		}
		n++
		return nil
	})
	return n
}

// SameTree fails unless b holds exactly a's files, folders and symlinks,
// with the same bytes, modes and modification times.
func SameTree(t testing.TB, a, b string) {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		seen[rel] = true
		sameEntry(t, p, filepath.Join(b, rel), rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(b, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if rel, _ := filepath.Rel(b, p); !seen[rel] {
			t.Errorf("%s: in the restore but not in the source", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func sameEntry(t testing.TB, pa, pb, rel string) {
	t.Helper()
	fa, err := os.Lstat(pa)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := os.Lstat(pb)
	if err != nil {
		t.Errorf("%s: missing from the restore: %v", rel, err)
		return
	}
	if fa.Mode() != fb.Mode() {
		t.Errorf("%s: mode %v, want %v", rel, fb.Mode(), fa.Mode())
	}
	switch {
	case fa.Mode().IsRegular():
		if !fa.ModTime().Equal(fb.ModTime()) {
			t.Errorf("%s: mtime %v, want %v", rel, fb.ModTime(), fa.ModTime())
		}
		da, _ := os.ReadFile(pa)
		db, _ := os.ReadFile(pb)
		if !bytes.Equal(da, db) {
			t.Errorf("%s: restored bytes differ (%d vs %d bytes)", rel, len(db), len(da))
		}
	case fa.Mode()&fs.ModeSymlink != 0:
		ta, _ := os.Readlink(pa)
		tb, _ := os.Readlink(pb)
		if ta != tb {
			t.Errorf("%s: symlink to %q, want %q", rel, tb, ta)
		}
		if !fa.ModTime().Equal(fb.ModTime()) {
			t.Errorf("%s: symlink mtime %v, want %v", rel, fb.ModTime(), fa.ModTime())
		}
	case fa.IsDir() && rel != ".":
		if !fa.ModTime().Equal(fb.ModTime()) {
			t.Errorf("%s: folder mtime %v, want %v", rel, fb.ModTime(), fa.ModTime())
		}
	}
}

// CorpusDir returns the shared corpus folder (LIFEBOAT_CORPUS, default
// ../shared/testdata/corpus beside the module). It skips the test when the
// corpus is absent, unless LIFEBOAT_REQUIRE_INTEGRATION=1.
func CorpusDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("LIFEBOAT_CORPUS")
	if dir == "" {
		dir = filepath.Join(ModuleRoot(t), "..", "shared", "testdata", "corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST.tsv")); err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("corpus not found at %s (LIFEBOAT_REQUIRE_INTEGRATION=1)", dir)
		}
		t.Skipf("corpus not found at %s; set LIFEBOAT_CORPUS to run this test", dir)
	}
	return dir
}

// ModuleRoot is the folder holding go.mod.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}
