package sourcetest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"path"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/source"
)

// backupTree backs a tree up with the write key alone, as cron would.
func backupTree(ctx context.Context, t *testing.T, e *testrepo.Env, s source.Source, tree source.Tree) (*backup.Result, error) {
	t.Helper()
	r := e.Open(t, repo.AccessWrite)
	return backup.Run(ctx, r, backup.Options{Tree: tree, SourceName: s.Name(), CacheDir: e.CacheDir, NoCache: true})
}

func mustBackup(t *testing.T, e *testrepo.Env, s source.Source, tree source.Tree) *backup.Result {
	t.Helper()
	res, err := backupTree(context.Background(), t, e, s, tree)
	if err != nil {
		t.Fatalf("backup of %s: %v", s.Name(), err)
	}
	return res
}

func testBackupRestore(t *testing.T, h Harness) {
	files := cards(6)
	s := h.New(t, files)
	tree := open(t, s)
	e := testrepo.New(t)
	res := mustBackup(t, e, s, tree)
	if len(res.Errors) > 0 || res.Snapshot.Source != s.Name() {
		t.Fatalf("backup: errors %v, source %q (want %q)", res.Errors, res.Snapshot.Source, s.Name())
	}
	if res.Snapshot.Stats.Contacts != uint64(len(files)) {
		t.Errorf("snapshot counts %d contacts, want %d", res.Snapshot.Stats.Contacts, len(files))
	}
	out := e.Restore(t, res.ID)
	for _, f := range files {
		name := h.path(f.Name)
		if got := restored(out, name); !bytes.Equal(got, h.want(t, f)) {
			t.Errorf("restored %s: %q, want %q", name, got, h.want(t, f))
		}
		fi, err := tree.Lstat(name)
		if err != nil {
			t.Fatal(err)
		}
		if rfi, err := lstatRestored(out, name); err != nil || !rfi.ModTime().Equal(fi.ModTime()) {
			t.Errorf("restored %s: mtime %v, want %v (%v)", name, rfi, fi.ModTime(), err)
		}
	}
}

func testSameTwice(t *testing.T, h Harness) {
	s := h.New(t, cards(4))
	e := testrepo.New(t)
	once := func() *backup.Result {
		// Each run opens the source and gives it back, as two backups do.
		tree, release, err := s.Open(context.Background())
		if err != nil {
			t.Fatalf("open %s: %v", s.Name(), err)
		}
		defer release()
		return mustBackup(t, e, s, tree)
	}
	a, b := once(), once()
	if !reflect.DeepEqual(a.Snapshot.Root, b.Snapshot.Root) || a.Snapshot.Root.MTime != b.Snapshot.Root.MTime {
		t.Errorf("two backups of an unchanged source made different trees: %v and %v", a.Snapshot.Root, b.Snapshot.Root)
	}
}

// hookTree calls a function once, the first time a name is listed or
// read, to change the source under a walk in progress.
type hookTree struct {
	source.Tree
	once      sync.Once
	afterList string                 // folder whose listing triggers onList
	onList    func()                 // run after that listing
	onRead    func(name string) bool // run once a file is half read; true if it applies

	mu    sync.Mutex
	fired bool
}

func (h *hookTree) ReadDir(name string) ([]fs.DirEntry, error) {
	list, err := h.Tree.ReadDir(name)
	if h.onList != nil && name == h.afterList {
		h.once.Do(h.onList)
	}
	return list, err
}

func (h *hookTree) Open(name string) (fs.File, error) {
	f, err := h.Tree.Open(name)
	if err != nil || h.onRead == nil {
		return f, err
	}
	return &hookFile{File: f, name: name, h: h}, nil
}

// fire runs onRead for name unless a call already applied.
func (h *hookTree) fire(name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.fired {
		h.fired = h.onRead(name)
	}
}

type hookFile struct {
	fs.File
	name string
	h    *hookTree
	read int
}

// Read gives at most 16 bytes at a time, and runs the hook after the
// first 64, so that a change lands in the middle of the read.
func (f *hookFile) Read(p []byte) (int, error) {
	if len(p) > 16 {
		p = p[:16]
	}
	n, err := f.File.Read(p)
	f.read += n
	if f.read >= 64 {
		f.h.fire(f.name)
	}
	return n, err
}

func testVanish(t *testing.T, h Harness) {
	files := cards(6)
	victim := files[2]
	s := h.New(t, files)
	tree := &hookTree{Tree: open(t, s), afterList: path.Dir(h.path(victim.Name)),
		onList: func() { h.Remove(t, victim.Name) }}
	e := testrepo.New(t)
	res := mustBackup(t, e, s, tree)
	out := e.Restore(t, res.ID)
	for _, f := range files {
		name, want := h.path(f.Name), h.want(t, f)
		got := restored(out, name)
		switch {
		case f.Name != victim.Name && !bytes.Equal(got, want):
			t.Errorf("%s beside a vanished file: restored %q, want %q", name, got, want)
		case f.Name == victim.Name && got == nil && !named(res.Errors, name):
			t.Errorf("%s vanished mid-walk: neither stored nor named in the errors (%v)", name, res.Errors)
		case f.Name == victim.Name && got != nil && !bytes.Equal(got, want):
			t.Errorf("%s vanished mid-walk: stored %q, want its content before", name, got)
		case f.Name == victim.Name && got != nil && !h.Stable && !named(res.Errors, name):
			t.Errorf("%s vanished mid-walk from a live source, yet stored with no error", name)
		}
	}
}

func testChangeWhileRead(t *testing.T, h Harness) {
	files := cards(4)
	victim := files[1]
	// The name and the phone both change, and the change lands after the
	// name is read: old bytes followed by new ones match neither version.
	changed := bytes.Replace(victim.Data, []byte("FN:Person"), []byte("FN:Changed"), 1)
	changed = bytes.Replace(changed, []byte("TEL:+1555"), []byte("TEL:+4930"), 1)
	s := h.New(t, files)
	old := h.want(t, victim)
	tree := &hookTree{Tree: open(t, s), onRead: func(name string) bool {
		if name != h.path(victim.Name) {
			return false
		}
		h.Change(t, victim.Name, changed)
		return true
	}}
	e := testrepo.New(t)
	res := mustBackup(t, e, s, tree)
	out := e.Restore(t, res.ID)
	name := h.path(victim.Name)
	got := restored(out, name)
	if bytes.Equal(got, old) || bytes.Equal(got, changed) || named(res.Errors, name) || named(res.Warnings, name) {
		return
	}
	t.Errorf("%s changed while read: stored %q, which is neither version, and nothing names it", name, got)
}

func testReadError(t *testing.T, h Harness) {
	if h.Break == nil {
		t.Skip("this kind of source has no entry that fails alone")
	}
	files := cards(4)
	victim := files[0]
	s := h.New(t, files)
	h.Break(t, victim.Name)
	e := testrepo.New(t)
	res := mustBackup(t, e, s, open(t, s))
	if !named(res.Errors, h.path(victim.Name)) {
		t.Errorf("an unreadable %s is not named in the errors: %v", victim.Name, res.Errors)
	}
	out := e.Restore(t, res.ID)
	for _, f := range files[1:] {
		if got := restored(out, h.path(f.Name)); !bytes.Equal(got, h.want(t, f)) {
			t.Errorf("%s beside an unreadable file: restored %q", f.Name, got)
		}
	}
}

func testCancel(t *testing.T, h Harness) {
	s := h.New(t, cards(6))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var at time.Time
	tree := &hookTree{Tree: open(t, s), onRead: func(string) bool { at = time.Now(); cancel(); return true }}
	e := testrepo.New(t)
	_, err := backupTree(ctx, t, e, s, tree)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("backup cancelled mid-read: %v, want context.Canceled", err)
	}
	if d := time.Since(at); d > time.Second {
		t.Errorf("backup took %v to stop after the cancel, want under a second", d)
	}
	r := e.Open(t, repo.AccessWrite)
	snaps, _, err := r.Snapshots(context.Background())
	if err != nil || len(snaps) != 0 {
		t.Errorf("a cancelled backup left %d snapshot(s) (%v)", len(snaps), err)
	}
}

func testRawNames(t *testing.T, h Harness) {
	if !h.RawNames {
		t.Skip("this kind of source has no names that are not UTF-8")
	}
	files := append(cards(2), File{Name: "Notes/caf\xe9-latin1.txt", Data: []byte("not UTF-8 in the name\n")})
	s := h.New(t, files)
	e := testrepo.New(t)
	res := mustBackup(t, e, s, open(t, s))
	out := e.Restore(t, res.ID)
	if got := restored(out, h.path(files[2].Name)); !bytes.Equal(got, files[2].Data) {
		t.Errorf("a file named with a byte that is not UTF-8 restored as %q", got)
	}
}

func testLarge(t *testing.T, h Harness) {
	if h.Large == nil {
		t.Skip("this kind of source has no large files")
	}
	const size = 4<<30 + 3 // past what 32 bits count
	s := h.New(t, cards(1))
	h.Large(t, "big.bin", size)
	tree := open(t, s)
	fi, err := tree.Lstat(h.path("big.bin"))
	if err != nil || fi.Size() != size {
		t.Fatalf("lstat big.bin: %v %v, want %d bytes", fi, err, size)
	}
	e := testrepo.New(t)
	res := mustBackup(t, e, s, tree)
	if res.Snapshot.Stats.Bytes < size || len(res.Errors) > 0 {
		t.Errorf("a %d-byte file: snapshot holds %d bytes, errors %v", int64(size), res.Snapshot.Stats.Bytes, res.Errors)
	}
	r := e.Open(t, repo.AccessRead)
	n, err := nodeSize(r, res.Snapshot.Root, strings.Split(h.path("big.bin"), "/"))
	if err != nil || n != size {
		t.Errorf("big.bin is stored as %d bytes (%v), want %d", n, err, int64(size))
	}
}

// nodeSize finds a file's node under root and returns its size.
func nodeSize(r *repo.Repository, root format.Node, names []string) (uint64, error) {
	n := root
	for _, name := range names {
		nodes, err := r.LoadDir(context.Background(), n.Content)
		if err != nil {
			return 0, err
		}
		found := false
		for _, c := range nodes {
			if c.Name == name {
				n, found = c, true
			}
		}
		if !found {
			return 0, fs.ErrNotExist
		}
	}
	return n.Size, nil
}

func named(errs []backup.ItemError, name string) bool {
	for _, e := range errs {
		if e.Path == name {
			return true
		}
	}
	return false
}

var _ io.Reader = (*hookFile)(nil)
