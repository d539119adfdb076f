package thumb

import (
	"container/list"
	"context"
	"sync"
)

// DefaultCacheBytes is a Cache's bound when NewCache is given none.
const DefaultCacheBytes = 32 << 20

// Thumb is a thumbnail as served: its bytes and their content type.
type Thumb struct {
	Data []byte
	Type string
}

// Cache holds thumbnails in memory (never on disk), least recently used
// dropped first once their bytes pass the bound. Get makes a missing one
// once however many ask for it at the same time. Safe for concurrent use.
type Cache struct {
	mu    sync.Mutex
	max   int64
	used  int64
	lru   *list.List // of *cached, most recent first
	items map[string]*list.Element
	calls map[string]*call
	made  int64
}

type cached struct {
	key string
	t   Thumb
}

// call is one fill under way; done is closed when t and err are set.
type call struct {
	done chan struct{}
	t    Thumb
	err  error
}

// NewCache returns an empty cache of at most maxBytes of thumbnails
// (DefaultCacheBytes when maxBytes <= 0).
func NewCache(maxBytes int64) *Cache {
	if maxBytes <= 0 {
		maxBytes = DefaultCacheBytes
	}
	return &Cache{max: maxBytes, lru: list.New(), items: map[string]*list.Element{}, calls: map[string]*call{}}
}

// Get returns the thumbnail cached under key, else calls fill once for
// every caller asking for key meanwhile and keeps what it returns. An
// error from fill is returned to the callers waiting, not kept; a waiter
// whose ctx ends stops waiting with ctx's error.
func (c *Cache) Get(ctx context.Context, key string, fill func() (Thumb, error)) (Thumb, error) {
	c.mu.Lock()
	if e, ok := c.items[key]; ok {
		c.lru.MoveToFront(e)
		t := e.Value.(*cached).t
		c.mu.Unlock()
		return t, nil
	}
	if cl, ok := c.calls[key]; ok {
		c.mu.Unlock()
		select {
		case <-cl.done:
			return cl.t, cl.err
		case <-ctx.Done():
			return Thumb{}, ctx.Err()
		}
	}
	cl := &call{done: make(chan struct{})}
	c.calls[key] = cl
	c.made++
	c.mu.Unlock()

	func() {
		defer func() {
			if p := recover(); p != nil {
				cl.err = errPanic
			}
		}()
		cl.t, cl.err = fill()
	}()

	c.mu.Lock()
	delete(c.calls, key)
	if cl.err == nil {
		c.add(key, cl.t)
	}
	c.mu.Unlock()
	close(cl.done)
	return cl.t, cl.err
}

type panicError struct{}

func (panicError) Error() string { return "thumb: making the thumbnail panicked" }

var errPanic error = panicError{}

// add keeps t under key, dropping the least recently used past the bound;
// a thumbnail larger than the whole bound is not kept. c.mu is held.
func (c *Cache) add(key string, t Thumb) {
	n := int64(len(t.Data) + len(key) + 64)
	if n > c.max {
		return
	}
	c.items[key] = c.lru.PushFront(&cached{key, t})
	c.used += n
	for c.used > c.max {
		e := c.lru.Back()
		old := e.Value.(*cached)
		c.lru.Remove(e)
		delete(c.items, old.key)
		c.used -= int64(len(old.t.Data) + len(old.key) + 64)
	}
}

// Stats returns how many thumbnails the cache holds, their bytes, and how
// many times Get has called a fill.
func (c *Cache) Stats() (n int, bytes int64, fills int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items), c.used, c.made
}
