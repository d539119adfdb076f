// Package archive is a source that is a .zip, .tar, .tgz or .tar.gz file
// read as a tree without unpacking it, or several parts of one Google
// Takeout export read as one tree. The index is held in memory; entries'
// bytes are streamed from the archive when opened, never written to disk.
//
// Archives are untrusted input. An entry whose name holds a ".." element
// or a NUL byte, or is longer than MaxNameLen, is left out; leading
// slashes are dropped (as tar and unzip do). The first entry at a path
// wins: a later duplicate, a file where a folder is, or an entry below a
// file is left out. Every entry left out is named in Tree.EntryErrors.
// Symlinks stay symlinks with their target, never followed. An entry's
// size is the one its archive declares; reading gives exactly that many
// bytes or fails for that entry (ErrSize). Encrypted zip entries fail
// (ErrEncrypted). An archive of more than MaxEntries entries is refused.
// A zip entry made on MS-DOS or Windows (MS-DOS attributes) has no Unix
// permissions: it reads as unzip makes it under umask 022 (0644, 0444
// read-only, folders 0755), never world-writable.
package archive

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrFormat is a file that is not a zip, tar or gzip-compressed tar.
var ErrFormat = errors.New("not a zip, tar or tar.gz archive")

// IsArchive says whether a file's name is an archive's: .zip, .tar,
// .tar.gz or .tgz, in any case. Open checks the bytes as well.
func IsArchive(path string) bool {
	return kindByName(path) != kindUnknown
}

type kind int

const (
	kindUnknown kind = iota
	kindZip
	kindTar
	kindTgz
)

func kindByName(p string) kind {
	l := strings.ToLower(p)
	switch {
	case strings.HasSuffix(l, ".zip"):
		return kindZip
	case strings.HasSuffix(l, ".tar"):
		return kindTar
	case strings.HasSuffix(l, ".tgz"), strings.HasSuffix(l, ".tar.gz"):
		return kindTgz
	}
	return kindUnknown
}

// sniff tells an archive's kind by its first bytes; a file it cannot tell
// is taken by its name.
func sniff(ra io.ReaderAt, name string) kind {
	var b [512]byte
	n, _ := ra.ReadAt(b[:], 0)
	h := b[:n]
	switch {
	case n >= 2 && h[0] == 0x1f && h[1] == 0x8b:
		return kindTgz
	case n >= 4 && string(h[:2]) == "PK":
		return kindZip
	case n >= 262 && string(h[257:262]) == "ustar":
		return kindTar
	}
	return kindByName(name)
}

// Source is one archive, or the parts of one export.
type Source struct {
	name  string
	paths []string
}

// New is the source of the archives at paths, read as one tree, their
// contents merged in the order given (the first part holding a path
// keeps it). One archive is named by its absolute path; several by
// name, which Group gives as the export's shared prefix.
func New(name string, paths ...string) (*Source, error) {
	if len(paths) == 0 {
		return nil, errors.New("archive: no archive given")
	}
	s := &Source{}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		s.paths = append(s.paths, abs)
	}
	s.name = name
	if s.name == "" {
		s.name = s.paths[0]
	}
	return s, nil
}

// Name is the archive's absolute path, or the export's prefix.
func (s *Source) Name() string { return s.name }

// Open reads every archive's index into one tree; release closes the
// archives.
func (s *Source) Open(context.Context) (*Tree, func(), error) {
	t, err := OpenTree(s.paths...)
	if err != nil {
		return nil, nil, err
	}
	return t, func() { t.Close() }, nil
}

// OpenTree indexes the archives at paths into one tree; Close gives back
// their files.
func OpenTree(paths ...string) (*Tree, error) {
	var t *Tree
	for i, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			if t != nil {
				t.Close()
			}
			return nil, err
		}
		fi, err := f.Stat()
		if err == nil && !fi.Mode().IsRegular() {
			err = fmt.Errorf("%s: not a regular file", p)
		}
		if err != nil {
			f.Close()
			if t != nil {
				t.Close()
			}
			return nil, err
		}
		if t == nil {
			t = newTree(fi.ModTime())
		}
		t.close = append(t.close, f.Close)
		if len(paths) > 1 {
			t.label = filepath.Base(p)
		}
		if err := t.index(i, &checked{f: f, size: fi.Size(), mtime: fi.ModTime().UnixNano()}, p); err != nil {
			t.Close()
			return nil, fmt.Errorf("%s: %w", filepath.Base(p), err)
		}
	}
	t.done()
	return t, nil
}

// index adds one archive to the tree as part i.
func (t *Tree) index(i int, c *checked, name string) error {
	pver := mix(uint64(c.size), uint64(c.mtime))
	t.checks = append(t.checks, c)
	switch sniff(c, name) {
	case kindZip:
		return t.indexZip(i, c, c.size)
	case kindTar:
		t.parts = append(t.parts, tarPart{c})
		sr := seekCounter{io.NewSectionReader(c, 0, c.size)}
		return t.indexTar(i, sr, sr.pos, pver, filepath.Base(name))
	case kindTgz:
		zr, err := gzip.NewReader(io.NewSectionReader(c, 0, c.size))
		if err != nil {
			return fmt.Errorf("%w: %w", ErrFormat, err)
		}
		t.parts = append(t.parts, newGzPart(c, c.size))
		cr := &counter{r: zr}
		return t.indexTar(i, cr, func() int64 { return cr.n }, pver, filepath.Base(name))
	}
	return ErrFormat
}

// checked is an archive file that refuses to be read once it changed
// since it was opened (rewritten in place while a backup reads it).
type checked struct {
	f     *os.File
	size  int64
	mtime int64
}

// ErrChanged is an entry read after its archive was rewritten in place
// (its size or mtime changed since the tree was opened). An archive
// replaced by a new file, as archivers do, is not: the tree keeps reading
// the file it opened.
var ErrChanged = errors.New("the archive changed since it was opened")

func (c *checked) ReadAt(p []byte, off int64) (int, error) {
	return c.f.ReadAt(p, off)
}

// same says the file is as it was opened.
func (c *checked) same() error {
	fi, err := c.f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() != c.size || fi.ModTime().UnixNano() != c.mtime {
		return ErrChanged
	}
	return nil
}
