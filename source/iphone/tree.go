package iphone

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lifeboat-backup/lifeboat/source/folder"
	"github.com/lifeboat-backup/lifeboat/source/iphone/mobilebackup"
)

// Tree is an iPhone backup as backup walks it (a source.Tree): the
// device folder itself under backup/<folder name>/, byte for byte, and
// beside it what lifeboat understood of it: contacts/, calendars/,
// reminders/ rendered in memory, and DCIM/, the camera roll, read from
// the backup's files when opened. It is safe for concurrent use.
type Tree struct {
	nodes map[string]*node // "." is the root; not the raw folder's entries
	raw   string           // "backup/<folder name>"
	disk  *folder.Tree     // the device folder
	b     *mobilebackup.Backup
	ids   map[string]bool // the regular files' fileIDs, for sealing

	mu     sync.Mutex
	errors []entryError
}

type entryError struct {
	path string
	err  error
}

// node is one entry lifeboat made: a folder, a rendered file (data), or
// a camera-roll item (fileID).
type node struct {
	name   string
	dir    bool
	size   int64
	mtime  time.Time
	data   []byte
	ver    uint64
	fileID string
	disk   string // a camera-roll item's file on disk
	kids   []string
}

// epoch is the mtime of what lifeboat renders: it has no date of its own.
var epoch = time.Unix(0, 0).UTC()

func newTree() *Tree {
	return &Tree{nodes: map[string]*node{".": {name: ".", dir: true, mtime: epoch}}}
}

// add puts n at rel, making the folders above it; a name taken already
// keeps its first entry.
func (t *Tree) add(rel string, n *node) bool {
	if _, ok := t.nodes[rel]; ok {
		return false
	}
	t.nodes[rel] = n
	dir := path.Dir(rel)
	parent, ok := t.nodes[dir]
	if !ok {
		parent = &node{name: path.Base(dir), dir: true, mtime: epoch}
		t.add(dir, parent)
	}
	parent.kids = append(parent.kids, n.name)
	return true
}

func (t *Tree) addFile(rel string, data []byte) {
	sum := sha256.Sum256(data)
	t.add(rel, &node{name: path.Base(rel), size: int64(len(data)), mtime: epoch, data: data, ver: binary.LittleEndian.Uint64(sum[:8])})
}

// fail notes something of the backup lifeboat could not understand; the
// backup's own files are kept all the same.
func (t *Tree) fail(rel string, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errors = append(t.errors, entryError{rel, err})
}

// EntryErrors names what could not be understood (source.Reporter).
func (t *Tree) EntryErrors(yield func(path string, err error)) {
	t.mu.Lock()
	errs := slices.Clone(t.errors)
	t.mu.Unlock()
	for _, e := range errs {
		yield(e.path, e.err)
	}
}

// done sorts every folder's entries; the tree is read-only after it.
func (t *Tree) done() {
	for _, n := range t.nodes {
		slices.Sort(n.kids)
	}
}

// inRaw gives the path within the device folder of a name under raw.
func (t *Tree) inRaw(name string) (string, bool) {
	if name == t.raw {
		return ".", true
	}
	if rest, ok := strings.CutPrefix(name, t.raw+"/"); ok {
		return rest, true
	}
	return "", false
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
	if rel, ok := t.inRaw(name); ok {
		return t.disk.Lstat(rel)
	}
	n, err := t.lookup("lstat", name)
	if err != nil {
		return nil, err
	}
	return n.info(), nil
}

// ReadDir lists the folder at name, sorted by name.
func (t *Tree) ReadDir(name string) ([]fs.DirEntry, error) {
	if rel, ok := t.inRaw(name); ok {
		return t.disk.ReadDir(rel)
	}
	n, err := t.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if !n.dir {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errNotDir}
	}
	out := make([]fs.DirEntry, len(n.kids))
	for i, k := range n.kids {
		kid := path.Join(name, k)
		if kn, ok := t.nodes[kid]; ok {
			out[i] = kn.info()
			continue
		}
		fi, err := t.Lstat(kid) // the device folder
		if err != nil {
			return nil, err
		}
		out[i] = fs.FileInfoToDirEntry(fi)
	}
	return out, nil
}

// Readlink reads a symlink of the device folder; nothing else is one.
func (t *Tree) Readlink(name string) (string, error) {
	if rel, ok := t.inRaw(name); ok {
		return t.disk.Readlink(rel)
	}
	return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
}

// Open opens the file at name: a file of the device folder as it is on
// disk (sealed, see openRaw), a rendered file from memory, a camera-roll
// item decrypted from the backup.
func (t *Tree) Open(name string) (fs.File, error) {
	if rel, ok := t.inRaw(name); ok {
		return t.openRaw(rel)
	}
	n, err := t.lookup("open", name)
	if err != nil {
		return nil, err
	}
	switch {
	case n.dir:
		return nil, &fs.PathError{Op: "open", Path: name, Err: errIsDir}
	case n.fileID == "":
		return &memFile{n: n, r: bytes.NewReader(n.data)}, nil
	}
	rc, err := t.b.Open(n.fileID)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &itemFile{n: n, rc: rc}, nil
}

// openRaw opens a file of the device folder. Where the backup is
// encrypted and the file is one of its own (<xx>/<fileID>) whose bytes
// are the encryption of its plaintext, it is a sealed file: read as its
// plaintext, which is then stored once with the same photo as an item.
// Every other file is given as it is on disk.
func (t *Tree) openRaw(rel string) (fs.File, error) {
	f, err := t.disk.Open(rel)
	if err != nil {
		return nil, err
	}
	if !t.b.Info().Encrypted {
		return rawFile{f}, nil
	}
	if rel == "Manifest.db" {
		plain, key, err := t.b.OpenSealedManifest()
		if err != nil {
			return rawFile{f}, nil // before iOS 10.2 it is plain
		}
		return &sealedFile{File: f, plain: plain, key: key}, nil
	}
	dir, id := path.Split(rel)
	if !t.ids[id] || dir != id[:2]+"/" {
		return rawFile{f}, nil
	}
	key, err := t.b.SealKey(id)
	if err != nil {
		return rawFile{f}, nil // kept as it is: only its bytes on disk are certain
	}
	rc, err := t.b.Open(id)
	if err != nil {
		clear(key)
		return rawFile{f}, nil
	}
	return &sealedFile{File: f, plain: rc, key: key}, nil
}

var (
	errNotDir = errors.New("not a folder")
	errIsDir  = errors.New("is a folder")
)

// info describes a node made by lifeboat.
type info struct{ n *node }

// info describes n as it is now: a camera-roll item's version is its file
// on disk's, read at each call, so that backup sees a file rewritten
// while it was read (or since the tree was opened) and reads it again.
func (n *node) info() info {
	if n.disk == "" {
		return info{n}
	}
	c := *n
	c.ver = diskVersion(n.fileID, n.disk)
	return info{&c}
}

func (i info) Name() string       { return i.n.name }
func (i info) Size() int64        { return i.n.size }
func (i info) ModTime() time.Time { return i.n.mtime }
func (i info) IsDir() bool        { return i.n.dir }
func (i info) Sys() any           { return version(i.n.ver) }
func (i info) Mode() fs.FileMode {
	if i.n.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}
func (i info) Type() fs.FileMode          { return i.Mode().Type() }
func (i info) Info() (fs.FileInfo, error) { return i, nil }

// version is a node's source.Versioned: the rendered file's bytes, or
// the camera-roll item's file on disk.
type version uint64

func (v version) Version() uint64 { return uint64(v) }

type memFile struct {
	n *node
	r *bytes.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return info{f.n}, nil }
func (f *memFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *memFile) Close() error               { return nil }

// itemFile is a camera-roll item's plaintext.
type itemFile struct {
	n  *node
	rc io.ReadCloser
}

// Stat is the item's status now (see node.info).
func (f *itemFile) Stat() (fs.FileInfo, error) { return f.n.info(), nil }
func (f *itemFile) Read(p []byte) (int, error) { return f.rc.Read(p) }
func (f *itemFile) Close() error               { return f.rc.Close() }

// rawFile is a file of the device folder, kept byte for byte
// (source.RawFile).
type rawFile struct{ fs.File }

func (rawFile) Raw() {}

// sealedFile is an encrypted backup's file read as its plaintext
// (source.SealedFile); Stat is the file on disk.
type sealedFile struct {
	fs.File
	plain io.ReadCloser
	key   []byte
}

func (*sealedFile) Raw()                         {}
func (f *sealedFile) SealKey() []byte            { return f.key }
func (f *sealedFile) Read(p []byte) (int, error) { return f.plain.Read(p) }
func (f *sealedFile) Close() error {
	clear(f.key)
	return errors.Join(f.plain.Close(), f.File.Close())
}
