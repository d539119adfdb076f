package archive

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

var errSparse = errors.New("sparse tar entries are not supported")

// tarPart is a plain tar: each entry is read at the offset the indexing
// pass found, in any order, at no extra cost.
type tarPart struct{ ra io.ReaderAt }

func (p tarPart) open(n *node) (readSeq, error) {
	return io.NopCloser(io.NewSectionReader(p.ra, n.off, n.size)), nil
}

// counter is a reader that knows how far it has read.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// seekCounter is a plain tar file as the indexing pass reads it: tar
// skips an entry's bytes by seeking.
type seekCounter struct{ *io.SectionReader }

func (s seekCounter) pos() int64 {
	p, _ := s.Seek(0, io.SeekCurrent)
	return p
}

// indexTar adds a tar stream's entries to the tree in one pass, keeping
// where each entry's bytes start in the stream. A stream that breaks
// after some entries keeps those and reports the break.
func (t *Tree) indexTar(part int, r io.Reader, pos func() int64, pver uint64, label string) error {
	tr := tar.NewReader(r)
	var prev *node
	for count := 0; ; count++ {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if count == 0 {
				return fmt.Errorf("%w: %w", ErrFormat, err)
			}
			t.problem(label, fmt.Errorf("archive broken after %d entries: %w", count, err))
			return nil
		}
		off := pos()
		if prev != nil && prev.err == nil && off < prev.off+prev.size+512 {
			// Its bytes are fewer than its header says: the next header
			// starts inside them (a sparse entry, or a forged size).
			prev.err = fmt.Errorf("%w: next header at %d", ErrSize, off)
		}
		prev = nil
		n := &node{mtime: hdr.ModTime, part: part, off: off}
		perm := fs.FileMode(hdr.Mode).Perm()
		switch hdr.Typeflag {
		case tar.TypeReg, tar.TypeRegA, tar.TypeGNUSparse:
			n.mode, n.size = perm, hdr.Size
			// A tar has no checksum of the bytes: any change to the
			// archive is taken as a change to every entry.
			n.ver = mix(pver, uint64(off))
			if hdr.Typeflag == tar.TypeGNUSparse || sparsePAX(hdr) {
				n.err = errSparse
			}
			prev = n
		case tar.TypeDir:
			n.mode = fs.ModeDir | perm | 0o700
		case tar.TypeSymlink:
			if len(hdr.Linkname) > MaxNameLen {
				t.problem(hdr.Name, fmt.Errorf("%w: symlink target longer than %d bytes", ErrName, MaxNameLen))
				continue
			}
			n.mode, n.target = fs.ModeSymlink|0o777, hdr.Linkname
		case tar.TypeLink:
			if !t.hardLink(hdr, n) {
				continue
			}
		default:
			t.problem(hdr.Name, fmt.Errorf("not a regular file, folder or symlink (tar type %q)", hdr.Typeflag))
			continue
		}
		if err := t.add(hdr.Name, n); err != nil {
			return err
		}
	}
}

// hardLink makes n a copy of the regular file an earlier entry put at
// the link's target; with none, the link is an error of its own.
func (t *Tree) hardLink(hdr *tar.Header, n *node) bool {
	rel, err := clean(hdr.Linkname)
	target := t.nodes[rel]
	if err != nil || target == nil || !target.mode.IsRegular() || target.part != n.part {
		t.problem(hdr.Name, fmt.Errorf("hard link to %q, which is not a file before it", hdr.Linkname))
		return false
	}
	n.mode, n.size, n.off, n.ver, n.err = target.mode, target.size, target.off, target.ver, target.err
	return true
}

// sparsePAX says a PAX header describes a sparse file, whose bytes in the
// archive are not the file's.
func sparsePAX(hdr *tar.Header) bool {
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}
