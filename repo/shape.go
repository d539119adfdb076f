package repo

import (
	"context"
	"fmt"
	"math"

	"github.com/lifeboat-backup/lifeboat/format"
)

// A snapshot may hold the same folder in several places (a copied
// folder deduplicates to one stored tree), so walking its paths can
// name more entries than it stores. A forged one can name 2^40 paths
// with 40 small trees. A tree that names more than sharedRatio times
// the entries it stores, and more than sharedFloor in all, is damage: a
// genuine snapshot would have to be 64 copies of itself.
const (
	sharedFloor = 1 << 16
	sharedRatio = 64
)

// ErrTooShared is a tree whose paths lead to the same folders so often
// that walking them would never end; it wraps ErrDamaged.
var ErrTooShared = fmt.Errorf("its folders refer to the same folders over and over: %w", ErrDamaged)

// CheckTree reads every folder below dir once (by its ref, however many
// paths lead to it), counts the entries the tree names and the ones it
// stores, and returns an error wrapping ErrTooShared when the first is
// out of all proportion to the second (see sharedRatio). Folders that do
// not load are left to the walk that follows, which reports them. Walks that
// expand paths (restore, ls, diff, find, export) call it first, so their
// work is bounded by what the snapshot stores. It stops when ctx ends.
func (r *Repository) CheckTree(ctx context.Context, dir format.Ref) error {
	s := &shape{r: r, named: map[string]int64{}}
	named, err := s.count(ctx, dir)
	if err != nil {
		return err
	}
	if named > sharedFloor && named/sharedRatio > s.stored {
		return fmt.Errorf("the snapshot names %s entries but stores %d: %w", countText(named), s.stored, ErrTooShared)
	}
	return nil
}

type shape struct {
	r      *Repository
	named  map[string]int64 // entries named below each folder seen, by ref
	stored int64            // entries of the folders seen, each folder once
}

// count returns how many entries are named below dir, saturating at
// math.MaxInt64.
func (s *shape) count(ctx context.Context, dir format.Ref) (int64, error) {
	k := RefKey(dir)
	if n, ok := s.named[k]; ok {
		return n, nil
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	nodes, err := s.r.LoadDir(ctx, dir)
	if err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		// A folder that does not load names nothing here: the walk
		// that follows reports it where it is, and goes on with the rest.
		s.named[k] = 0
		return 0, nil
	}
	s.stored += int64(len(nodes))
	n := int64(len(nodes))
	for _, nd := range nodes {
		if nd.Type != format.NodeDir {
			continue
		}
		below, err := s.count(ctx, nd.Content)
		if err != nil {
			return 0, err
		}
		n = addSat(n, below)
	}
	s.named[k] = n
	return n, nil
}

func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func countText(n int64) string {
	if n == math.MaxInt64 {
		return "more than 9e18"
	}
	return fmt.Sprint(n)
}

// RefKey names a ref by its level and ids, for maps of refs.
func RefKey(ref format.Ref) string {
	b := make([]byte, 1, 1+len(format.ID{})*len(ref.IDs))
	b[0] = ref.Level
	for _, id := range ref.IDs {
		b = append(b, id[:]...)
	}
	return string(b)
}
