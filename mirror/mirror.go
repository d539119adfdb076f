// Package mirror keeps a second location a complete copy of a repository:
// Push copies what the mirror lacks, Heal repairs either location from the
// other. Every content-addressed object is checked against its name
// before it is copied (damage never spreads) and read back after.
package mirror

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// Errors callers map to messages and exit codes.
var (
	// ErrNoMirror: the mirror location holds no repository (a removable
	// disk that is not plugged in, usually).
	ErrNoMirror = errors.New("the mirror holds no repository (not plugged in or not initialised?)")
	// ErrOther: the two locations hold different repositories.
	ErrOther = errors.New("the two locations hold different repositories")
)

// Report says what a copy did.
type Report struct {
	Copied []string // objects copied, by name
	Bytes  int64
	// Unrecoverable names objects damaged or missing in both locations.
	Unrecoverable []string

	mu sync.Mutex // copies run in parallel
}

func (r *Report) copied(name string, n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Copied = append(r.Copied, name)
	r.Bytes += n
}

func (r *Report) unrecoverable(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Unrecoverable = append(r.Unrecoverable, name)
}

// sort puts the names in order once the parallel work is done.
func (r *Report) sort() {
	sort.Strings(r.Copied)
	sort.Strings(r.Unrecoverable)
}

// order copies keys first, snapshots after the data they name and
// catalogs after the snapshots they list; the config comes last, so that
// a new mirror is a repository only once it is complete.
var order = []string{"keys", "data", "index", "snapshots", "catalog"}

// Init makes dst a new mirror of src: every object, config last.
func Init(ctx context.Context, src, dst store.Store) (*Report, error) {
	if _, err := dst.Stat(ctx, "config"); err == nil {
		return nil, fmt.Errorf("%s: %w", dst.Location(), repo.ErrExists)
	}
	if err := store.MakeRoot(dst); err != nil {
		return nil, err
	}
	rep := &Report{}
	if err := push(ctx, src, dst, rep); err != nil {
		return rep, err
	}
	return rep, copyObject(ctx, src, dst, "config", rep)
}

// Push copies every object dst lacks from src. dst must already be a
// mirror of the same repository.
func Push(ctx context.Context, src, dst store.Store) (*Report, error) {
	if err := sameRepo(ctx, src, dst); err != nil {
		return nil, err
	}
	rep := &Report{}
	return rep, push(ctx, src, dst, rep)
}

func push(ctx context.Context, src, dst store.Store, rep *Report) error {
	// Index files, snapshots and catalogs are listed before the data: a
	// backup that commits meanwhile can only add snapshots this push does
	// not copy, never ones whose packs it missed, nor a catalog listing a
	// snapshot it did not copy.
	early := map[string]map[string]int64{}
	for _, dir := range []string{"index", "snapshots", "catalog"} {
		m, err := list(ctx, src, dir)
		if err != nil {
			return fmt.Errorf("%s: %w", src.Location(), err)
		}
		early[dir] = m
	}
	for _, dir := range order {
		want, ok := early[dir]
		if !ok {
			var err error
			if want, err = list(ctx, src, dir); err != nil {
				return fmt.Errorf("%s: %w", src.Location(), err)
			}
		}
		have, err := list(ctx, dst, dir)
		if err != nil {
			return fmt.Errorf("%s: %w", dst.Location(), err)
		}
		var missing []string
		for _, name := range sortedKeys(want) {
			if _, ok := have[name]; !ok {
				missing = append(missing, name)
			}
		}
		// Every object of one folder is in place before the next folder
		// starts: snapshots are copied only after the data they name.
		err = each(ctx, missing, func(ctx context.Context, name string) error {
			return copyObject(ctx, src, dst, name, rep)
		})
		rep.sort()
		if err != nil {
			return err
		}
	}
	return nil
}

func sameRepo(ctx context.Context, a, b store.Store) error {
	ca, err := repo.LoadObject(ctx, a, "config")
	if err != nil {
		return fmt.Errorf("%s: %w", a.Location(), err)
	}
	cb, err := repo.LoadObject(ctx, b, "config")
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s: %w", b.Location(), ErrNoMirror)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", b.Location(), err)
	}
	if !bytes.Equal(ca, cb) {
		return fmt.Errorf("%s and %s: %w", a.Location(), b.Location(), ErrOther)
	}
	return nil
}

func list(ctx context.Context, s store.Store, dir string) (map[string]int64, error) {
	m := map[string]int64{}
	err := s.List(ctx, dir, func(name string, size int64) error {
		m[name] = size
		return nil
	})
	return m, err
}

func sortedKeys(m map[string]int64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// valid reports whether an object's bytes match its name. Objects that
// are not content-addressed (config, keys) are taken as they are.
func valid(name string, b []byte) bool {
	id, ok := repo.ParseObjectName(name)
	if !ok {
		for _, dir := range []string{"data/", "index/", "snapshots/", "catalog/"} {
			if strings.HasPrefix(name, dir) {
				return false
			}
		}
		return true
	}
	return format.ID(crypto.ObjectHash(b)) == id
}

// Backoff is the first wait before retrying a failed copy; each retry
// waits three times longer, five attempts in all (about 4 s at 100 ms).
var Backoff = 100 * time.Millisecond

// copyObject copies one object, checking it before and after, retrying
// transient failures with backoff.
func copyObject(ctx context.Context, src, dst store.Store, name string, rep *Report) error {
	var err error
	for attempt, wait := 0, Backoff; attempt < 5; attempt, wait = attempt+1, wait*3 {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
		}
		var n int64
		if n, err = copyOnce(ctx, src, dst, name); err == nil {
			rep.copied(name, n)
			return nil
		}
		if errors.Is(err, repo.ErrDamaged) || ctx.Err() != nil {
			return err
		}
	}
	return err
}

func copyOnce(ctx context.Context, src, dst store.Store, name string) (int64, error) {
	b, err := repo.LoadObject(ctx, src, name)
	if err != nil {
		return 0, fmt.Errorf("%s: read %s: %w", src.Location(), name, err)
	}
	if !valid(name, b) {
		return 0, fmt.Errorf("%s: %s does not match its name, not copied: %w", src.Location(), name, repo.ErrDamaged)
	}
	if err := store.Save(ctx, dst, name, b); err != nil {
		return 0, fmt.Errorf("%s: write %s: %w", dst.Location(), name, err)
	}
	back, err := repo.LoadObject(ctx, dst, name)
	if err != nil {
		return 0, fmt.Errorf("%s: read back %w", dst.Location(), store.WithName(name, err))
	}
	if !bytes.Equal(back, b) {
		return 0, fmt.Errorf("%s: %s does not read back as written", dst.Location(), name)
	}
	return int64(len(b)), nil
}
