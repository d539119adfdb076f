// Package folder is a source that is a folder on disk, or a single file
// (a one-entry tree named after the file).
package folder

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Tree is the entries under a folder, or one file as the only entry of a
// folder that is not on disk.
type Tree struct {
	root string
	// file is the single file's name when the source is a file.
	file string
	info fs.FileInfo // the root as opened
}

// ErrNotFolder is a source that is neither a folder nor a regular file.
var ErrNotFolder = fmt.Errorf("not a folder or a regular file")

// Open returns the tree at path: a folder's entries, or a file as a tree of
// one entry.
func Open(path string) (*Tree, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	switch {
	case fi.IsDir():
		return &Tree{root: path, info: fi}, nil
	case fi.Mode().IsRegular():
		return &Tree{root: filepath.Dir(path), file: filepath.Base(path), info: fi}, nil
	}
	return nil, fmt.Errorf("%w (%s)", ErrNotFolder, fi.Mode().Type())
}

func (t *Tree) abs(name string) string {
	if t.file != "" && name != "." {
		// Only the file itself is reachable; Lstat refuses other names.
		return filepath.Join(t.root, t.file)
	}
	return filepath.Join(t.root, filepath.FromSlash(name))
}

// known refuses, in a single-file tree, every name but the file's.
func (t *Tree) known(op, name string) error {
	if t.file == "" || name == "." || name == t.file {
		return nil
	}
	return &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
}

// Lstat describes name without following a symlink.
func (t *Tree) Lstat(name string) (fs.FileInfo, error) {
	if err := t.known("lstat", name); err != nil {
		return nil, err
	}
	if t.file != "" && name == "." {
		return rootInfo{t.info}, nil
	}
	if t.file != "" {
		// The file the user named, through a symlink if they named one.
		return os.Stat(t.abs(name))
	}
	return os.Lstat(t.abs(name))
}

// ReadDir lists a folder, sorted by name.
func (t *Tree) ReadDir(name string) ([]fs.DirEntry, error) {
	if t.file != "" {
		if name != "." {
			return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrInvalid}
		}
		fi, err := t.Lstat(t.file)
		if err != nil {
			return nil, err
		}
		return []fs.DirEntry{fs.FileInfoToDirEntry(fi)}, nil
	}
	return readDir(t.abs(name))
}

// Open opens a file for reading.
func (t *Tree) Open(name string) (fs.File, error) {
	if err := t.known("open", name); err != nil {
		return nil, err
	}
	return openFile(t.abs(name))
}

// Readlink returns a symlink's target.
func (t *Tree) Readlink(name string) (string, error) {
	if err := t.known("readlink", name); err != nil {
		return "", err
	}
	return os.Readlink(t.abs(name))
}

// rootInfo is the made-up folder that holds a single file: it has the
// file's time and a folder's mode.
type rootInfo struct{ file fs.FileInfo }

func (r rootInfo) Name() string       { return "." }
func (r rootInfo) Size() int64        { return 0 }
func (r rootInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o700 }
func (r rootInfo) ModTime() time.Time { return r.file.ModTime() }
func (r rootInfo) IsDir() bool        { return true }
func (r rootInfo) Sys() any           { return nil }
