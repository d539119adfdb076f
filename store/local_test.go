package store_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/store"
	"github.com/lifeboat-backup/lifeboat/store/storetest"
)

func TestLocalConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return store.NewLocal(filepath.Join(t.TempDir(), "repo"))
	})
}

// tmpFiles returns the names in the store's tmp/ directory.
func tmpFiles(t *testing.T, root string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(root, "tmp"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// Committed files are 0600 and every directory, the root included, 0700,
// whatever the umask.
func TestLocalModes(t *testing.T) {
	root := filepath.Join(t.TempDir(), "repo")
	s := store.NewLocal(root)
	if err := s.MakeRoot(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"config", "keys/write.age", "data/ab/ab01", "data/cd/cd02", "snapshots/x"} {
		if err := store.Save(t.Context(), s, name, []byte(name)); err != nil {
			t.Fatal(err)
		}
	}
	var files, dirs int
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
			dirs++
		} else {
			files++
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %04o, want %04o", p, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// root, tmp, keys, data, data/ab, data/cd, snapshots
	if files != 5 || dirs != 7 {
		t.Errorf("walked %d files and %d dirs, want 5 and 7", files, dirs)
	}
}

// Nothing is left in tmp/ once a write is committed or aborted, however it
// ended.
func TestLocalTmpEmpty(t *testing.T) {
	for _, tc := range []struct {
		name   string
		finish func(w store.Writer) error
		commit bool // the object must exist afterwards
	}{
		{"commit", func(w store.Writer) error { return w.Commit("data/ab/obj") }, true},
		{"commit then abort", func(w store.Writer) error {
			err := w.Commit("data/ab/obj")
			w.Abort()
			return err
		}, true},
		{"abort", func(w store.Writer) error { w.Abort(); return nil }, false},
		{"bad name then abort", func(w store.Writer) error {
			if err := w.Commit("../obj"); !errors.Is(err, store.ErrBadName) {
				return errors.New("Commit(../obj) did not fail with ErrBadName")
			}
			w.Abort()
			return nil
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			s := store.NewLocal(root)
			if err := s.MakeRoot(); err != nil {
				t.Fatal(err)
			}
			w, err := s.Create(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write([]byte("some bytes")); err != nil {
				t.Fatal(err)
			}
			if got := tmpFiles(t, root); len(got) != 1 {
				t.Fatalf("while writing, tmp/ holds %q, want one file", got)
			}
			if err := tc.finish(w); err != nil {
				t.Fatal(err)
			}
			if got := tmpFiles(t, root); len(got) != 0 {
				t.Errorf("tmp/ holds %q", got)
			}
			_, err = s.Stat(t.Context(), "data/ab/obj")
			if tc.commit != (err == nil) {
				t.Errorf("Stat after %s: %v", tc.name, err)
			}
		})
	}
}

// An object being written is not part of the namespace under any name.
func TestLocalTmpNotListed(t *testing.T) {
	root := t.TempDir()
	s := store.NewLocal(root)
	if err := s.MakeRoot(); err != nil {
		t.Fatal(err)
	}
	w, err := s.Create(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if _, err := w.Write([]byte("pending")); err != nil {
		t.Fatal(err)
	}
	if len(tmpFiles(t, root)) != 1 {
		t.Fatal("no temp file to hide")
	}
	err = s.List(t.Context(), "tmp", func(name string, _ int64) error {
		t.Errorf("List(tmp) reported %q", name)
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrBadName) {
		t.Errorf("List(tmp): %v", err)
	}
}

// TestLocalNeverCreatesRoot: a repository whose folder is gone (a disk
// that was unplugged, leaving its mount point) is not recreated by a
// write; only MakeRoot (init) creates it.
func TestLocalNeverCreatesRoot(t *testing.T) {
	root := filepath.Join(t.TempDir(), "usb", "lifeboat")
	s := store.NewLocal(root)
	if err := store.Save(t.Context(), s, "data/ab/x", []byte("x")); err == nil {
		t.Fatal("Save created the repository folder")
	}
	if _, err := os.Stat(root); err == nil {
		t.Fatal("the root exists after a failed write")
	}
}

func TestWithName(t *testing.T) {
	base := errors.New("connection lost")
	if got := store.WithName("keys/x", base).Error(); got != "keys/x: connection lost" {
		t.Errorf("got %q", got)
	}
	named := fmt.Errorf("keys/x: %w", store.ErrNotFound)
	if got := store.WithName("keys/x", named); got.Error() != "keys/x: object not found" || !errors.Is(got, store.ErrNotFound) {
		t.Errorf("got %q", got)
	}
	if store.WithName("x", nil) != nil {
		t.Error("nil error became non-nil")
	}
}

// TestLocalNeverFollowsSymlinks: a folder inside the store that is a
// symlink is refused for writes, reads and listings (store.ErrSymlink), and
// nothing lands where it points; the store's own folder may be one.
func TestLocalNeverFollowsSymlinks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	root, outside := filepath.Join(dir, "repo"), filepath.Join(dir, "outside")
	for _, d := range []string{root, outside} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(outside, "x"), []byte("outside"), 0o600)
	if err := os.Symlink(outside, filepath.Join(root, "snapshots")); err != nil {
		t.Fatal(err)
	}
	l := store.NewLocal(root)
	if err := store.Save(ctx, l, "snapshots/new", []byte("x")); !errors.Is(err, store.ErrSymlink) {
		t.Errorf("save through a symlinked folder: %v, want store.ErrSymlink", err)
	}
	if _, err := l.Load(ctx, "snapshots/x"); !errors.Is(err, store.ErrSymlink) {
		t.Errorf("load through a symlinked folder: %v, want store.ErrSymlink", err)
	}
	if err := l.List(ctx, "snapshots", func(string, int64) error { return nil }); !errors.Is(err, store.ErrSymlink) {
		t.Errorf("list of a symlinked folder: %v, want store.ErrSymlink", err)
	}
	if err := os.Symlink(filepath.Join(outside, "x"), filepath.Join(root, "config")); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Load(ctx, "config"); err == nil {
		t.Error("a symlinked object was read")
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 1 {
		t.Errorf("%d files outside, want the one that was there", len(ents))
	}
	link := filepath.Join(dir, "link")
	os.Symlink(root, link)
	if err := store.Save(ctx, store.NewLocal(link), "index/abc", []byte("x")); err != nil {
		t.Errorf("a store whose own folder is a symlink: %v", err)
	}
}
