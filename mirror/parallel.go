package mirror

import (
	"context"
	"sync"
)

// Parallel is how many objects Push and Heal work on at once. Each holds
// at most one pack (16 MiB) from the source and its read-back copy, so
// peak memory grows by about 50 MB per copy (bench/mirror.sh: 200 MB to
// an S3 mirror on loopback took 2.6 s one at a time, 1.4 s with 3 at once).
var Parallel = 3

// each calls fn for every name, at most Parallel at a time, and returns
// the first error. After an error no new call starts; the calls already
// running finish first, so fn never outlives each.
func each(ctx context.Context, names []string, fn func(ctx context.Context, name string) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	sem := make(chan struct{}, max(Parallel, 1))
	for _, name := range names {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := fn(ctx, name); err != nil {
				mu.Lock()
				if first == nil {
					first = err
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}
