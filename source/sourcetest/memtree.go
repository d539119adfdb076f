package sourcetest

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lifeboat-backup/lifeboat/source"
)

// MemTree is a source held in memory: files, folders and symlinks with
// exact times and modes, names that need not be valid UTF-8, and large
// files made of zeros that take no memory. It proves that backup reads
// nothing but the source.Tree it is given.
type MemTree struct {
	mu      sync.Mutex
	name    string
	entries map[string]*memEntry // by slash path; "." is the root
}

type memEntry struct {
	mode   fs.FileMode
	mtime  time.Time
	data   []byte
	zeros  int64 // a file of this many zero bytes, when data is nil
	target string
	broken bool // Open fails
}

// NewMemTree returns an empty tree whose source is called name.
func NewMemTree(name string, mtime time.Time) *MemTree {
	return &MemTree{name: name, entries: map[string]*memEntry{".": {mode: fs.ModeDir | 0o755, mtime: mtime}}}
}

// Source is the tree as a source called by the tree's name.
func (m *MemTree) Source() source.Source { return memSource{m} }

type memSource struct{ t *MemTree }

func (s memSource) Name() string { return s.t.name }
func (s memSource) Open(context.Context) (source.Tree, func(), error) {
	return s.t, func() {}, nil
}

// File adds or replaces a file, making its folders.
func (m *MemTree) File(name string, data []byte, mode fs.FileMode, mtime time.Time) {
	m.put(name, &memEntry{mode: mode.Perm(), mtime: mtime, data: slices.Clone(data)})
}

// Zeros adds a file of size zero bytes.
func (m *MemTree) Zeros(name string, size int64, mtime time.Time) {
	m.put(name, &memEntry{mode: 0o644, mtime: mtime, zeros: size})
}

// Dir adds a folder with a mode and time.
func (m *MemTree) Dir(name string, mode fs.FileMode, mtime time.Time) {
	m.put(name, &memEntry{mode: fs.ModeDir | mode.Perm(), mtime: mtime})
}

// Symlink adds a symlink.
func (m *MemTree) Symlink(name, target string, mtime time.Time) {
	m.put(name, &memEntry{mode: fs.ModeSymlink | 0o777, mtime: mtime, target: target})
}

// Remove deletes an entry (and what is under it).
func (m *MemTree) Remove(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k := range m.entries {
		if k == name || strings.HasPrefix(k, name+"/") {
			delete(m.entries, k)
		}
	}
}

// Break makes a file fail to open, as an unreadable file does.
func (m *MemTree) Break(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e := m.entries[name]; e != nil {
		e.broken = true
	}
}

func (m *MemTree) put(name string, e *memEntry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for d := path.Dir(name); d != "."; d = path.Dir(d) {
		if m.entries[d] == nil {
			m.entries[d] = &memEntry{mode: fs.ModeDir | 0o755, mtime: e.mtime}
		}
	}
	m.entries[name] = e
}

func (m *MemTree) get(op, name string) (*memEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.entries[name]
	if e == nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	c := *e
	return &c, nil
}

// Lstat describes an entry.
func (m *MemTree) Lstat(name string) (fs.FileInfo, error) {
	e, err := m.get("lstat", name)
	if err != nil {
		return nil, err
	}
	return memInfo{name: path.Base(name), e: e}, nil
}

// ReadDir lists a folder, sorted by name.
func (m *MemTree) ReadDir(name string) ([]fs.DirEntry, error) {
	e, err := m.get("readdir", name)
	if err != nil {
		return nil, err
	}
	if !e.mode.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
	}
	m.mu.Lock()
	var list []fs.DirEntry
	for k, c := range m.entries {
		if k != "." && path.Dir(k) == name {
			cc := *c
			list = append(list, fs.FileInfoToDirEntry(memInfo{name: path.Base(k), e: &cc}))
		}
	}
	m.mu.Unlock()
	slices.SortFunc(list, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return list, nil
}

// Open opens a file.
func (m *MemTree) Open(name string) (fs.File, error) {
	e, err := m.get("open", name)
	if err != nil {
		return nil, err
	}
	if e.broken {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	if !e.mode.IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	var r io.Reader = bytes.NewReader(e.data)
	if e.data == nil {
		r = io.LimitReader(zeroReader{}, e.zeros)
	}
	return &memFile{Reader: r, info: memInfo{name: path.Base(name), e: e}}, nil
}

// Readlink returns a symlink's target.
func (m *MemTree) Readlink(name string) (string, error) {
	e, err := m.get("readlink", name)
	if err != nil {
		return "", err
	}
	if e.mode&fs.ModeSymlink == 0 {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	return e.target, nil
}

var _ source.Tree = (*MemTree)(nil)

type memFile struct {
	io.Reader
	info memInfo
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }

type memInfo struct {
	name string
	e    *memEntry
}

func (i memInfo) Name() string { return i.name }
func (i memInfo) Size() int64 {
	switch {
	case i.e.mode.IsRegular() && i.e.data == nil:
		return i.e.zeros
	case i.e.mode.IsRegular():
		return int64(len(i.e.data))
	case i.e.mode&fs.ModeSymlink != 0:
		return int64(len(i.e.target))
	}
	return 0
}
func (i memInfo) Mode() fs.FileMode  { return i.e.mode }
func (i memInfo) ModTime() time.Time { return i.e.mtime }
func (i memInfo) IsDir() bool        { return i.e.mode.IsDir() }
func (i memInfo) Sys() any           { return nil }

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
