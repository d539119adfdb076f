package archive

import (
	"compress/gzip"
	"io"
	"sync"
	"sync/atomic"
)

// maxCursors is how many decompressing readers a .tgz keeps at once
// (each holds a 32 KiB window and its buffers).
const maxCursors = 16

// gzPart is a compressed tar (.tgz, .tar.gz). gzip cannot seek, so an
// entry is read by decompressing from a cursor: a reader that only moves
// forward through the tar stream. Open takes the idle cursor furthest
// along that is not past the entry (skipping to it costs decompressing
// the gap); when every cursor is past it, a cursor starts again from the
// archive's beginning, which costs decompressing everything before the
// entry.
//
// Backup opens a folder's files in name order, several at once, then
// walks its subfolders. Several cursors serve those reads side by side,
// and a cursor left behind serves a later folder whose entries come after
// it. A .tgz whose entries are in that order (a folder's files by name
// before its subfolders) is decompressed about once per concurrent
// reader; one written by tar --sort=name a few times (TestTgzCost
// measures both). In another order (tar's default, readdir order), every
// entry that comes before all the cursors costs a decompression from the
// start: for a large tree that is many times the archive, and a zip or a
// plain tar, read where their entries lie, is the better archive.
type gzPart struct {
	ra   io.ReaderAt
	size int64

	mu   sync.Mutex
	cond *sync.Cond
	curs []*cursor
	tick int

	inflated atomic.Int64 // bytes decompressed in all, for tests
}

// cursor is one decompressing reader, pos bytes into the tar stream.
type cursor struct {
	zr   *gzip.Reader
	pos  int64
	busy bool
	used int
	bad  bool
}

func newGzPart(ra io.ReaderAt, size int64) *gzPart {
	g := &gzPart{ra: ra, size: size}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// take returns a cursor not past off, waiting for one to be free.
func (g *gzPart) take(off int64) *cursor {
	g.mu.Lock()
	defer g.mu.Unlock()
	for {
		var best, lru *cursor
		for _, c := range g.curs {
			if c.busy {
				continue
			}
			if c.pos <= off && (best == nil || c.pos > best.pos) {
				best = c
			}
			if lru == nil || c.used < lru.used {
				lru = c
			}
		}
		switch {
		case best != nil:
		case len(g.curs) < maxCursors:
			best = &cursor{pos: -1}
			g.curs = append(g.curs, best)
		case lru != nil:
			best = lru
			best.pos = -1 // restarted when first read
		default:
			g.cond.Wait()
			continue
		}
		g.tick++
		best.busy, best.used = true, g.tick
		return best
	}
}

// give hands a cursor back; one that failed is dropped.
func (g *gzPart) give(c *cursor) {
	g.mu.Lock()
	defer g.mu.Unlock()
	c.busy = false
	if c.bad {
		for i, x := range g.curs {
			if x == c {
				g.curs = append(g.curs[:i], g.curs[i+1:]...)
				break
			}
		}
	}
	g.cond.Broadcast()
}

func (g *gzPart) open(n *node) (readSeq, error) {
	return &gzEntry{g: g, off: n.off, left: n.size, c: g.take(n.off)}, nil
}

// gzEntry is an entry being read through a cursor.
type gzEntry struct {
	g    *gzPart
	c    *cursor
	off  int64
	left int64 // bytes of the entry not yet read
	at   bool  // the cursor has reached off
	done bool
}

func (e *gzEntry) Read(p []byte) (int, error) {
	c := e.c
	if !e.at {
		if c.pos < 0 {
			sr := io.NewSectionReader(e.g.ra, 0, e.g.size)
			var err error
			if c.zr == nil {
				c.zr, err = gzip.NewReader(sr)
			} else {
				err = c.zr.Reset(sr)
			}
			if err != nil {
				c.bad = true
				return 0, err
			}
			c.pos = 0
		}
		k, err := io.CopyN(io.Discard, c.zr, e.off-c.pos)
		c.pos += k
		e.g.inflated.Add(k)
		if err != nil {
			c.bad = true
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
		e.at = true
	}
	if e.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := c.zr.Read(p)
	c.pos += int64(n)
	e.left -= int64(n)
	e.g.inflated.Add(int64(n))
	if err == io.EOF && e.left > 0 {
		err = io.ErrUnexpectedEOF
	}
	if err != nil && err != io.EOF {
		c.bad = true
	}
	return n, err
}

func (e *gzEntry) Close() error {
	if !e.done {
		e.done = true
		e.g.give(e.c)
	}
	return nil
}
