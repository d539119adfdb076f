package restore

import (
	"fmt"
	"os"
	"path"
	"sync"

	"github.com/lifeboat-backup/lifeboat/format"
)

// Hard links, holes and extended attributes, as backup recorded them.

// holeBlock is the size of the zero runs a sparse file's restore leaves
// unwritten.
const holeBlock = 4096

// sparseWriter writes a file leaving its all-zero blocks as holes; close
// sets the file's size (a hole at its end included).
type sparseWriter struct {
	f   *os.File
	off int64
}

func (s *sparseWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		// Blocks are aligned to the file's offsets, so holes are whole
		// filesystem blocks.
		k := holeBlock - int(s.off%holeBlock)
		if k > len(p) {
			k = len(p)
		}
		if !allZero(p[:k]) {
			if _, err := s.f.WriteAt(p[:k], s.off); err != nil {
				return n, err
			}
		}
		s.off += int64(k)
		n += k
		p = p[k:]
	}
	return n, nil
}

func (s *sparseWriter) close() error { return s.f.Truncate(s.off) }

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// xattrRefusals counts the items whose extended attributes the target
// refused, for one warning at the end of a restore.
type xattrRefusals struct {
	mu    sync.Mutex
	first string
	n     int
}

func (x *xattrRefusals) add(rel string) {
	x.mu.Lock()
	if x.n == 0 {
		x.first = rel
	}
	x.n++
	x.mu.Unlock()
}

// fileCaps holds a program's file capabilities: privileges, like a setuid
// bit, and dropped like one.
const fileCaps = "security.capability"

// refusedWarning is the one warning for every item whose attributes the
// target refused, or nil.
func (x *xattrRefusals) warning() *ItemError {
	if x.n == 0 {
		return nil
	}
	return &ItemError{Path: x.first, Err: fmt.Errorf("extended attributes: %w (%d item(s)); --no-xattrs restores without them",
		ErrNotKept, x.n)}
}

// hardLink is a file restored as a link to the first file of its inode.
type hardLink struct {
	rel, first string
	node       format.Node
}

// linkFiles makes the later files of each inode hard links to the first,
// once every file is written. Where that fails (the first was not
// restored, or the target has no hard links) the file is written as a
// file of its own.
func (w *writer) linkFiles() {
	for _, l := range w.hardLinks {
		if w.opts.Overwrite {
			w.root.Remove(l.rel)
		}
		if err := w.root.Link(l.first, l.rel); err != nil {
			w.fileByPath(l.rel, l.node)
			continue
		}
		w.mu.Lock()
		w.res.Files++
		w.res.Links++
		w.mu.Unlock()
	}
}

// fileByPath restores one file into its folder, opened for it alone.
func (w *writer) fileByPath(rel string, n format.Node) {
	dir, err := w.openFolder(path.Dir(rel))
	if err != nil {
		w.fail(rel, err)
		return
	}
	defer dir.release()
	w.file(dir, rel, n)
}
