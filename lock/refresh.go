package lock

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lifeboat-backup/lifeboat/store"
)

// refresh rewrites the lock every Expiry/6 until Release.
func (l *Lock) refresh() {
	defer close(l.done)
	t := time.NewTicker(Expiry / 6)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			l.refreshOnce(context.Background())
		}
	}
}

// refreshOnce rewrites the lock, unless it is already lost: a lock that
// expired or was removed is never written back, since another run may
// have taken the repository meanwhile.
func (l *Lock) refreshOnce(ctx context.Context) error {
	if err := l.valid(ctx); err != nil {
		return err
	}
	l.mu.Lock()
	l.info.Refreshed = time.Now().UTC()
	l.mu.Unlock()
	return l.write(ctx)
}

// valid checks that the lock is still this run's: refreshed recently
// enough by both clocks (the monotonic clock stops while a laptop sleeps,
// the wall clock does not) and still present in the store.
func (l *Lock) valid(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost {
		return ErrLost
	}
	now := time.Now()
	age := max(now.Sub(l.lastOK), now.Round(0).Sub(l.lastOK.Round(0)))
	// Half the expiry: others consider the lock stale only after the
	// whole of it, which leaves room for a clock that runs a little fast.
	if age > Expiry/2 {
		l.lost = true
		return ErrLost
	}
	if _, err := l.st.Stat(ctx, l.name); errors.Is(err, store.ErrNotFound) {
		l.lost = true
		return ErrLost
	}
	return nil
}

// Check is called right before a run commits: it refreshes the lock and
// returns ErrLost if the lock expired or was taken away, in which case
// the run must not commit anything.
func (l *Lock) Check(ctx context.Context) error {
	if err := l.refreshOnce(ctx); err != nil {
		if errors.Is(err, ErrLost) {
			return err
		}
		return fmt.Errorf("%s: refresh lock: %w", l.st.Location(), err)
	}
	return nil
}

// Release stops refreshing and removes the lock. A second Release does
// nothing.
func (l *Lock) Release() {
	l.mu.Lock()
	released := l.released
	l.released = true
	l.mu.Unlock()
	if released {
		return
	}
	if l.stop != nil {
		close(l.stop)
		<-l.done
	}
	l.remove()
}

func (l *Lock) remove() {
	l.st.Remove(context.Background(), l.name)
}

// Locks lists the locks in a store, for status and for people.
func Locks(ctx context.Context, st store.Store) ([]Info, error) {
	var names []string
	err := st.List(ctx, "locks", func(name string, _ int64) error {
		names = append(names, name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []Info
	for _, name := range names {
		if info, err := load(ctx, st, name); err == nil {
			out = append(out, info)
		}
	}
	return out, nil
}
