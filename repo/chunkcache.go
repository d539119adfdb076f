package repo

import "sync"

// chunkSlots is how many decrypted age chunks (windowSize each) a
// Repository keeps: 4 MiB. Restore writes many files at once, each
// worker reading its own place of the same few packs; a blob that starts
// or ends inside a chunk shares that chunk with its neighbour, which
// another worker reads a moment later, and small blobs lie many to a
// chunk. With the chunk kept, each is decrypted once.
const chunkSlots = 64

// chunkCache holds recently decrypted chunks of any open pack, least
// recently used replaced first. It is safe for concurrent use: a chunk
// is decrypted by one reader, outside the lock, while the others that
// want it wait for it.
type chunkCache struct {
	mu    sync.Mutex
	clock uint64
	slots [chunkSlots]chunkSlot
}

type chunkSlot struct {
	pr    *packReader // nil: free
	off   int64
	used  uint64
	data  []byte
	ready chan struct{} // not nil while the chunk is being decrypted
}

// read copies into buf the bytes from off of pr's chunk that starts at
// start and is size bytes long, decrypting it with load into a buffer of
// that size unless it is kept or being decrypted; it returns how many
// bytes it copied.
func (c *chunkCache) read(pr *packReader, start, off int64, size int, buf []byte, load func([]byte) error) (int, error) {
	c.mu.Lock()
	for {
		s := c.find(pr, start)
		if s == nil {
			break
		}
		if ch := s.ready; ch != nil {
			c.mu.Unlock()
			<-ch
			c.mu.Lock()
			continue
		}
		c.clock++
		s.used = c.clock
		k := copy(buf, s.data[min(off-start, int64(len(s.data))):])
		c.mu.Unlock()
		return k, nil
	}
	s := c.victim()
	if s == nil {
		// Every slot is being filled: decrypt this one for this read alone.
		c.mu.Unlock()
		b := make([]byte, size)
		if err := load(b); err != nil {
			return 0, err
		}
		return copy(buf, b[off-start:]), nil
	}
	b := s.data
	if cap(b) < windowSize {
		b = make([]byte, windowSize)
	}
	b = b[:size]
	ch := make(chan struct{})
	c.clock++
	*s = chunkSlot{pr: pr, off: start, used: c.clock, ready: ch}
	c.mu.Unlock()

	err := load(b)
	c.mu.Lock()
	defer c.mu.Unlock()
	defer close(ch)
	if err != nil {
		*s = chunkSlot{}
		return 0, err
	}
	s.data, s.ready = b, nil
	return copy(buf, b[off-start:]), nil
}

func (c *chunkCache) find(pr *packReader, start int64) *chunkSlot {
	for i := range c.slots {
		if s := &c.slots[i]; s.pr == pr && s.off == start {
			return s
		}
	}
	return nil
}

// victim returns a free slot, or else the least recently used one not
// being filled, or nil.
func (c *chunkCache) victim() *chunkSlot {
	var old *chunkSlot
	for i := range c.slots {
		s := &c.slots[i]
		if s.pr == nil {
			return s
		}
		if s.ready == nil && (old == nil || s.used < old.used) {
			old = s
		}
	}
	return old
}

// forget drops the chunks of a pack that is closed (their buffers stay,
// for the next chunks).
func (c *chunkCache) forget(pr *packReader) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.slots {
		if s := &c.slots[i]; s.pr == pr && s.ready == nil {
			s.pr = nil
		}
	}
}
