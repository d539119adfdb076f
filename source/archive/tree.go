package archive

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// Limits on what an archive may hold: past them it is refused whole
// (entries) or the entry is an error (a name).
const (
	// MaxEntries is the most entries an archive may hold (ErrTooMany).
	MaxEntries = 1_000_000
	// MaxNameLen is the longest entry name, in bytes (ErrName).
	MaxNameLen = 4096
)

var (
	// ErrTooMany is an archive of more than MaxEntries entries.
	ErrTooMany = fmt.Errorf("more than %d entries", MaxEntries)
	// ErrName is an entry whose name cannot be a path inside the tree:
	// a ".." element, a NUL byte, or more than MaxNameLen bytes.
	ErrName = errors.New("unsafe entry name")
	// ErrConflict is an entry at a path that an earlier entry (or an
	// earlier part of a Takeout) already holds; the first one is kept.
	ErrConflict = errors.New("path already taken by an earlier entry")
	// ErrEncrypted is an encrypted zip entry: it cannot be read.
	ErrEncrypted = errors.New("encrypted entry")
	// ErrSize is an entry whose bytes are not as many as its header says.
	ErrSize = errors.New("entry size differs from its header")

	errNotDir = errors.New("not a folder")
	errIsDir  = errors.New("is a folder")
)

// reader opens one entry's bytes; each kind of archive has its own.
type reader interface {
	open(n *node) (readSeq, error)
}

// readSeq is an entry's bytes as they are read.
type readSeq interface {
	Read(p []byte) (int, error)
	Close() error
}

// node is one entry of the tree.
type node struct {
	name   string // base name
	mode   fs.FileMode
	size   int64
	mtime  time.Time
	target string // a symlink's
	ver    uint64 // changes when the entry's bytes may have
	part   int    // which archive holds it
	off    int64  // where its bytes start (tar), or its index (zip)
	err    error  // why it cannot be read
	kids   []string
}

func (n *node) dir() bool { return n.mode.IsDir() }

// Tree is one archive, or several parts of one export, as a source.Tree:
// an index held in memory, the bytes read from the archives when an entry
// is opened, never written to disk. It is safe for concurrent use.
type Tree struct {
	nodes   map[string]*node
	parts   []reader
	errs    []entryError
	entries int
	close   []func() error
	checks  []*checked
	label   string // the part being indexed, when there are several
}

func newTree(mtime time.Time) *Tree {
	return &Tree{nodes: map[string]*node{".": {name: ".", mode: fs.ModeDir | 0o755, mtime: mtime}}}
}

// problem records an entry that is not in the tree.
func (t *Tree) problem(name string, err error) {
	if len(name) > MaxNameLen {
		name = name[:MaxNameLen] + "..."
	}
	if t.label != "" {
		err = fmt.Errorf("%s: %w", t.label, err)
	}
	t.errs = append(t.errs, entryError{name, err})
}

// clean turns an entry's name into a path of the tree: leading slashes
// dropped (as tar and unzip do), "." and empty elements dropped; a ".."
// element, a NUL byte or an overlong name is ErrName.
func clean(name string) (string, error) {
	if len(name) > MaxNameLen {
		return "", fmt.Errorf("%w: longer than %d bytes", ErrName, MaxNameLen)
	}
	if strings.IndexByte(name, 0) >= 0 {
		return "", fmt.Errorf("%w: holds a NUL byte", ErrName)
	}
	var parts []string
	for _, p := range strings.Split(name, "/") {
		switch p {
		case "", ".":
			continue
		case "..":
			return "", fmt.Errorf("%w: a \"..\" element", ErrName)
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ".", nil
	}
	return strings.Join(parts, "/"), nil
}

// add puts an entry into the tree, making the folders its path implies.
// The first entry at a path wins: a later one there (a duplicate, a file
// where a folder is, an entry below a file) is an error of that entry.
// A folder's own entry only sets the mode and time of a folder already
// implied.
func (t *Tree) add(raw string, n *node) error {
	t.entries++
	if t.entries > MaxEntries {
		return ErrTooMany
	}
	rel, err := clean(raw)
	if err != nil {
		t.problem(raw, err)
		return nil
	}
	if rel == "." {
		if !n.dir() {
			t.problem(raw, fmt.Errorf("%w: names the root", ErrName))
		}
		return nil
	}
	if old, ok := t.nodes[rel]; ok {
		if old.dir() && n.dir() {
			if old.err == errImplied {
				old.mode, old.mtime, old.err = n.mode, n.mtime, nil
			}
			return nil
		}
		t.problem(rel, ErrConflict)
		return nil
	}
	dir := path.Dir(rel)
	parent, err := t.folder(dir)
	if err != nil {
		t.problem(rel, err)
		return nil
	}
	n.name = path.Base(rel)
	t.nodes[rel] = n
	parent.kids = append(parent.kids, n.name)
	return nil
}

// errImplied marks a folder that no entry of its own describes yet; it is
// cleared before the tree is used.
var errImplied = errors.New("implied")

// folder returns the folder at rel, making it and the ones above it.
func (t *Tree) folder(rel string) (*node, error) {
	if n, ok := t.nodes[rel]; ok {
		if !n.dir() {
			return nil, fmt.Errorf("%w: %s is a file", ErrConflict, rel)
		}
		return n, nil
	}
	parent, err := t.folder(path.Dir(rel))
	if err != nil {
		return nil, err
	}
	root := t.nodes["."]
	n := &node{name: path.Base(rel), mode: fs.ModeDir | 0o755, mtime: root.mtime, err: errImplied}
	t.nodes[rel] = n
	parent.kids = append(parent.kids, n.name)
	return n, nil
}

// done sorts every folder; the tree is read-only after it.
func (t *Tree) done() {
	for _, n := range t.nodes {
		if n.err == errImplied {
			n.err = nil
		}
		slices.Sort(n.kids)
	}
}

// Close closes the archives.
func (t *Tree) Close() error {
	var first error
	for _, c := range t.close {
		if err := c(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// entryError is an entry left out of the tree.
type entryError struct {
	path string
	err  error
}

// EntryErrors calls yield for each entry that is not in the tree, and
// why: an unsafe name, a conflict, a path that an earlier part holds.
func (t *Tree) EntryErrors(yield func(path string, err error)) {
	for _, e := range t.errs {
		yield(e.path, e.err)
	}
}

func (t *Tree) lookup(op, name string) (*node, error) {
	n, ok := t.nodes[name]
	if !ok {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	return n, nil
}

// Lstat describes the entry at name without following a symlink.
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
	if !n.dir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errNotDir}
	}
	out := make([]fs.DirEntry, len(n.kids))
	for i, k := range n.kids {
		out[i] = info{t.nodes[path.Join(name, k)]}
	}
	return out, nil
}

// Readlink returns the target of the symlink at name, as the archive
// gives it: it is never followed.
func (t *Tree) Readlink(name string) (string, error) {
	n, err := t.lookup("readlink", name)
	if err != nil {
		return "", err
	}
	if n.mode&fs.ModeSymlink == 0 {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	return n.target, nil
}

// Open opens the regular file at name. Its bytes are streamed from the
// archive and checked against the size the archive declares: more bytes
// or fewer is ErrSize, for this entry alone.
func (t *Tree) Open(name string) (fs.File, error) {
	n, err := t.lookup("open", name)
	if err != nil {
		return nil, err
	}
	switch {
	case n.dir():
		return nil, &fs.PathError{Op: "open", Path: name, Err: errIsDir}
	case !n.mode.IsRegular():
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	case n.err != nil:
		return nil, &fs.PathError{Op: "open", Path: name, Err: n.err}
	}
	r, err := t.parts[n.part].open(n)
	if err == nil {
		if err = t.checks[n.part].same(); err != nil {
			r.Close()
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &file{n: n, name: name, r: r}, nil
}

// file is an open entry, bounded by its declared size.
type file struct {
	n    *node
	name string
	r    readSeq
	read int64
	err  error
}

func (f *file) Stat() (fs.FileInfo, error) { return info{f.n}, nil }

func (f *file) Read(p []byte) (int, error) {
	if f.r == nil {
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: fs.ErrClosed}
	}
	if f.err != nil {
		return 0, f.err
	}
	left := f.n.size - f.read
	if int64(len(p)) > left+1 {
		p = p[:left+1] // one more than declared tells a lie
	}
	n, err := f.r.Read(p)
	f.read += int64(n)
	switch {
	case f.read > f.n.size:
		f.err = &fs.PathError{Op: "read", Path: f.name, Err: fmt.Errorf("%w: more than %d bytes", ErrSize, f.n.size)}
		return n - int(f.read-f.n.size), f.err
	case (err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF)) && f.read < f.n.size:
		f.err = &fs.PathError{Op: "read", Path: f.name, Err: fmt.Errorf("%w: %d bytes, not %d", ErrSize, f.read, f.n.size)}
		return n, f.err
	case err != nil && err != io.EOF:
		f.err = &fs.PathError{Op: "read", Path: f.name, Err: err}
		return n, f.err
	}
	return n, err
}

// Close gives back what reading held (a tgz's cursor); reading after it
// fails.
func (f *file) Close() error {
	if f.r == nil {
		return nil
	}
	err := f.r.Close()
	f.r = nil
	return err
}

// info is a node as fs.FileInfo and fs.DirEntry.
type info struct{ n *node }

func (i info) Name() string { return i.n.name }
func (i info) Size() int64 {
	if !i.n.mode.IsRegular() {
		return 0
	}
	return i.n.size
}
func (i info) Mode() fs.FileMode          { return i.n.mode }
func (i info) ModTime() time.Time         { return i.n.mtime }
func (i info) IsDir() bool                { return i.n.dir() }
func (i info) Type() fs.FileMode          { return i.n.mode.Type() }
func (i info) Info() (fs.FileInfo, error) { return i, nil }

// Sys is the entry's version (source.Versioned) for a regular file: its
// size and mtime alone may not tell two versions of an entry apart.
func (i info) Sys() any {
	if i.n.mode.IsRegular() {
		return version(i.n.ver)
	}
	return nil
}

// version is an entry's source.Versioned.
type version uint64

// Version changes whenever the entry's bytes may have.
func (v version) Version() uint64 { return uint64(v) }
