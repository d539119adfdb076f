package android

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lifeboat-backup/lifeboat/source/android/adb"
)

// Tree is a phone as backup walks it (a source.Tree): the rendered
// records in memory and the media folders as listed when it was opened,
// their files pulled over sync when opened. It is safe for concurrent
// use.
type Tree struct {
	nodes map[string]*node // "." is the root
	pool  *pool

	mu       sync.Mutex
	received map[string]int64 // a phone file's size as last pulled, where it was not the listing's
}

// node is one entry.
type node struct {
	name  string
	dir   bool
	size  int64
	mtime time.Time
	data  []byte // a rendered file
	ver   uint64 // of data
	phone bool   // a file on the phone, pulled when opened
	kids  []string
	err   error // why the phone would not list this folder
}

// epoch is the mtime of what lifeboat renders: it has no date of its own.
var epoch = time.Unix(0, 0).UTC()

func newTree(p *pool) *Tree {
	return &Tree{nodes: map[string]*node{".": {name: ".", dir: true, mtime: epoch}}, pool: p}
}

// add puts n at rel, making the folders above it.
func (t *Tree) add(rel string, n *node) {
	if old, ok := t.nodes[rel]; ok {
		if old.dir && n.dir {
			old.mtime = n.mtime
		}
		return
	}
	t.nodes[rel] = n
	dir := path.Dir(rel)
	parent, ok := t.nodes[dir]
	if !ok {
		parent = &node{name: path.Base(dir), dir: true, mtime: epoch}
		t.add(dir, parent)
	}
	parent.kids = append(parent.kids, n.name)
}

func (t *Tree) addDir(rel string, mtime time.Time) {
	t.add(rel, &node{name: path.Base(rel), dir: true, mtime: mtime})
}

func (t *Tree) addPhone(rel string, e adb.Entry) {
	t.add(rel, &node{name: path.Base(rel), size: e.Size, mtime: e.MTime, phone: true})
}

func (t *Tree) addFile(rel string, data []byte) {
	sum := sha256.Sum256(data)
	t.add(rel, &node{name: path.Base(rel), size: int64(len(data)), mtime: epoch, data: data, ver: binary.LittleEndian.Uint64(sum[:8])})
}

func (t *Tree) dirError(rel string, err error) {
	if n, ok := t.nodes[rel]; ok {
		n.err = err
	}
}

// done sorts every folder's entries; the tree is read-only after it.
func (t *Tree) done() {
	for _, n := range t.nodes {
		slices.Sort(n.kids)
	}
}

func (t *Tree) close() {
	if t.pool != nil {
		t.pool.close()
	}
}

func (t *Tree) lookup(op, name string) (*node, error) {
	n, ok := t.nodes[name]
	if !ok {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	return n, nil
}

// Lstat describes the entry at name.
func (t *Tree) Lstat(name string) (fs.FileInfo, error) {
	n, err := t.lookup("lstat", name)
	if err != nil {
		return nil, err
	}
	return info{n}, nil
}

// ReadDir lists the folder at name, sorted by name.
func (t *Tree) ReadDir(name string) ([]fs.DirEntry, error) {
	n, err := t.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if !n.dir {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errNotDir}
	}
	if n.err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: n.err}
	}
	out := make([]fs.DirEntry, len(n.kids))
	for i, k := range n.kids {
		out[i] = info{t.nodes[path.Join(name, k)]}
	}
	return out, nil
}

// Readlink fails: the tree has no symlinks.
func (t *Tree) Readlink(name string) (string, error) {
	return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
}

// Open opens the file at name: a rendered file from memory, a phone's
// file as a stream over a sync connection of its own.
func (t *Tree) Open(name string) (fs.File, error) {
	n, err := t.lookup("open", name)
	if err != nil {
		return nil, err
	}
	switch {
	case n.dir:
		return nil, &fs.PathError{Op: "open", Path: name, Err: errIsDir}
	case !n.phone:
		return &memFile{n: n, r: bytes.NewReader(n.data)}, nil
	}
	s, err := t.pool.get()
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	rc, err := s.Recv(storage + "/" + name)
	if err != nil {
		t.pool.put(s, err)
		if errors.Is(err, fs.ErrNotExist) {
			err = errVanished
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	// A file whose last pull received another size than the listing's
	// (it grew or shrank since) starts from what was received: its
	// Stat then tells a read that stayed the same from one that changed,
	// as a disk file's fresh stat does, instead of the stale listing
	// making every read look changed.
	t.mu.Lock()
	if size, ok := t.received[name]; ok {
		c := *n
		c.size = size
		n = &c
	}
	t.mu.Unlock()
	return &phoneFile{n: n, name: name, rc: rc, s: s, pool: t.pool, tree: t}, nil
}

// receivedSize notes what a pull of name received, when that is not the
// size it was opened with.
func (t *Tree) receivedSize(name string, size int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.received == nil {
		t.received = map[string]int64{}
	}
	t.received[name] = size
}

var (
	errNotDir = errors.New("not a folder")
	errIsDir  = errors.New("is a folder")
	// errVanished is a file listed, then deleted before it was pulled.
	errVanished = fmt.Errorf("deleted on the phone after the backup listed it (%w)", fs.ErrNotExist)
)

// info is a node as fs.FileInfo and fs.DirEntry.
type info struct{ n *node }

func (i info) Name() string { return i.n.name }
func (i info) Size() int64 {
	if i.n.dir {
		return 0
	}
	return i.n.size
}
func (i info) Mode() fs.FileMode {
	if i.n.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}
func (i info) ModTime() time.Time         { return i.n.mtime }
func (i info) IsDir() bool                { return i.n.dir }
func (i info) Type() fs.FileMode          { return i.Mode().Type() }
func (i info) Info() (fs.FileInfo, error) { return i, nil }

// Sys is a version of a rendered file's bytes (see Version), nil for a
// phone's file, whose size and mtime are all the phone tells.
func (i info) Sys() any {
	if !i.n.dir && !i.n.phone {
		return version(i.n.ver)
	}
	return nil
}

// version is the source.Versioned of a rendered file.
type version uint64

// Version changes whenever the file's bytes do.
func (v version) Version() uint64 { return uint64(v) }

type memFile struct {
	n *node
	r *bytes.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return info{f.n}, nil }
func (f *memFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *memFile) Close() error               { return nil }

// phoneFile is a file being pulled. Its Stat is the listing's until the
// end, then the size actually received, so that backup sees a file that
// grew or shrank while it was pulled as changed.
type phoneFile struct {
	n    *node
	name string
	rc   io.ReadCloser
	s    *adb.Sync
	pool *pool
	tree *Tree
	read int64
	end  bool
	err  error
}

func (f *phoneFile) Stat() (fs.FileInfo, error) {
	if !f.end {
		return info{f.n}, nil
	}
	n := *f.n
	n.size = f.read
	return info{&n}, nil
}

func (f *phoneFile) Read(b []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	n, err := f.rc.Read(b)
	f.read += int64(n)
	switch {
	case err == io.EOF:
		if !f.end && f.read != f.n.size {
			f.tree.receivedSize(f.name, f.read)
		}
		f.end = true
	case err != nil:
		f.err = &fs.PathError{Op: "read", Path: f.name, Err: err}
		return n, f.err
	}
	return n, err
}

// Close gives the connection back when the file was read to its end; a
// file closed early leaves its connection unusable, so it is dropped.
func (f *phoneFile) Close() error {
	if f.s == nil {
		return nil
	}
	var err error
	if !f.end {
		err = f.rc.Close()
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
	} else {
		f.rc.Close()
	}
	f.pool.put(f.s, err)
	f.s = nil
	return nil
}

// safeSegment is a name that can be a tree entry.
func safeSegment(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\x00")
}
