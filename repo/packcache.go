package repo

import (
	"context"
	"fmt"
	"io"
	"sync"

	"filippo.io/age"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// maxOpenPacks bounds the packs kept open for reading.
const maxOpenPacks = 32

type packReader struct {
	obj  store.Object
	ra   io.ReaderAt // the decrypted stream
	size int64       // plaintext size
	refs int
	used uint64
	// ready is closed once the pack is open (or failed to open: err).
	ready chan struct{}
	err   error
	// chunks keeps the chunks read at the edges of blobs (see readAt).
	chunks *chunkCache
}

// windowSize is age's chunk of plaintext: a window aligned to it is one
// chunk, decrypted and authenticated at once.
const windowSize = 64 << 10

// readAt reads a stored blob's bytes. The age reader decrypts a whole
// chunk for any read in it, and blobs do not start or end on a chunk's
// edge: record blobs (a contact, an event, a small file) lie many to one
// chunk, and a large blob shares its first and last chunk with its
// neighbours. So the chunks a read covers only in part come from the
// chunk cache, decrypted once for all the blobs in them that are read in
// a while (restore, export and serve read blobs in about pack order, from
// several workers); the chunks it covers whole are decrypted straight
// into buf.
func (pr *packReader) readAt(buf []byte, off int64) (int, error) {
	end := off + int64(len(buf))
	if off < 0 || end > pr.size {
		return 0, fmt.Errorf("read of %d bytes at %d beyond the pack's %d: %w", len(buf), off, pr.size, ErrDamaged)
	}
	n := 0
	if start := off &^ (windowSize - 1); start != off || end < start+windowSize {
		k, err := pr.partial(buf, start, off)
		if n += k; err != nil || n == len(buf) {
			return n, err
		}
	}
	pos := off + int64(n) // on a chunk's edge now
	if whole := end &^ (windowSize - 1); whole > pos {
		k, err := pr.ra.ReadAt(buf[n:n+int(whole-pos)], pos)
		// A ReaderAt may return io.EOF with a full read at the end.
		if n += k; k != int(whole-pos) || n == len(buf) {
			return n, err
		}
		pos = whole
	}
	k, err := pr.partial(buf[n:], pos, pos)
	return n + k, err
}

// partial copies into buf the bytes from off of the chunk that starts at
// start, through the chunk cache.
func (pr *packReader) partial(buf []byte, start, off int64) (int, error) {
	size := int(min(int64(windowSize), pr.size-start))
	return pr.chunks.read(pr, start, off, size, buf, func(c []byte) error {
		// A ReaderAt may return io.EOF with a full read at the end.
		if m, err := pr.ra.ReadAt(c, start); m != len(c) {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return err // loadBlob says which pack
		}
		return nil
	})
}

// packCache keeps decrypting readers of recently used packs. Opening a
// pack takes a few requests (size, trailer, age header); on a remote store
// that is latency, so packs open in parallel, each once.
type packCache struct {
	r      *Repository
	mu     sync.Mutex
	open   map[format.ID]*packReader
	clock  uint64
	chunks chunkCache
}

func newPackCache(r *Repository) *packCache {
	return &packCache{r: r, open: map[format.ID]*packReader{}}
}

// get returns an open reader of a pack; release it when done.
func (c *packCache) get(ctx context.Context, id format.ID) (*packReader, error) {
	c.mu.Lock()
	c.clock++
	if pr, ok := c.open[id]; ok {
		pr.refs++
		pr.used = c.clock
		c.mu.Unlock()
		<-pr.ready // another caller is opening it
		if pr.err != nil {
			c.release(pr)
			return nil, pr.err
		}
		return pr, nil
	}
	pr := &packReader{refs: 1, used: c.clock, ready: make(chan struct{}), chunks: &c.chunks}
	c.open[id] = pr
	c.mu.Unlock()

	opened, err := c.r.openPack(ctx, id)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		pr.err = err
		pr.refs--
		delete(c.open, id) // the next caller tries again
	} else {
		pr.obj, pr.ra, pr.size = opened.obj, opened.ra, opened.size
		c.evict()
	}
	close(pr.ready)
	if err != nil {
		return nil, err
	}
	return pr, nil
}

func (c *packCache) release(pr *packReader) {
	c.mu.Lock()
	pr.refs--
	c.mu.Unlock()
}

// evict closes the least recently used idle packs beyond the limit.
func (c *packCache) evict() {
	for len(c.open) > maxOpenPacks {
		var oldID format.ID
		var old *packReader
		for id, pr := range c.open {
			if pr.refs == 0 && (old == nil || pr.used < old.used) {
				oldID, old = id, pr
			}
		}
		if old == nil {
			return
		}
		old.obj.Close()
		c.chunks.forget(old)
		delete(c.open, oldID)
	}
}

func (c *packCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, pr := range c.open {
		if pr.obj != nil { // nil: still opening, which only a caller still running could be doing
			pr.obj.Close()
		}
		delete(c.open, id)
	}
}

// openPack opens a pack's encrypted stream with the identity. Every failure
// is damage, except a pack written before the identity's key was added.
func (r *Repository) openPack(ctx context.Context, id format.ID) (*packReader, error) {
	if r.identities == nil {
		return nil, ErrNoIdentity
	}
	name := PackName(id)
	obj, err := r.st.Open(ctx, name)
	if err != nil {
		return nil, readError(name, err)
	}
	ageSize, _, err := r.parsePackEnd(obj)
	if err != nil {
		obj.Close()
		return nil, fmt.Errorf("%s: %v: %w", name, err, ErrDamaged)
	}
	ra, n, err := age.DecryptReaderAt(obj, ageSize, r.identities...)
	if err != nil {
		err = packOpenError(obj, name, err)
		obj.Close()
		return nil, err
	}
	return &packReader{obj: obj, ra: ra, size: n}, nil
}
