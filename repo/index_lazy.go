package repo

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// lazyLoad loads an index the first time one of its methods needs it.
type lazyLoad struct {
	load func() error // nil: the index was loaded by Open (or is new)
	once sync.Once
	done atomic.Bool // load has run; err is its result
	err  error
}

// ready loads the index if it is to be loaded lazily and is not yet. A
// load that fails leaves the index as it got (a backup then stores blobs
// again rather than miss one) and is Err's to report.
func (ix *Index) ready() {
	if ix.lazy.load == nil {
		return
	}
	ix.lazy.once.Do(func() {
		ix.lazy.err = ix.lazy.load()
		ix.lazy.done.Store(true)
	})
}

// Err returns why the index failed to load when it was needed, or to
// read back what it spilled (see spill), or nil. A session does not
// commit over it.
func (ix *Index) Err() error {
	if err := ix.blobs.spill.Err(); err != nil {
		return err
	}
	if !ix.lazy.done.Load() {
		return nil
	}
	return ix.lazy.err
}

// deferLoad makes the index load when first needed, listing only the
// index files' names now (for HasFiles and Files).
func (ix *Index) deferLoad(ctx context.Context, r *Repository) error {
	if err := ix.list(ctx, r); err != nil {
		return err
	}
	ix.lazy.load = func() error { return ix.loadListed(ctx, r) }
	return nil
}

// list notes the index files in index/ and their total size.
func (ix *Index) list(ctx context.Context, r *Repository) error {
	ix.listed, ix.listedSize = nil, 0
	if err := r.st.List(ctx, "index", func(name string, n int64) error {
		ix.listed = append(ix.listed, name)
		ix.listedSize += n
		return nil
	}); err != nil {
		return fmt.Errorf("list index: %w", err)
	}
	ix.mu.Lock()
	for _, name := range ix.listed {
		ix.files[name] = true
	}
	ix.mu.Unlock()
	return nil
}
