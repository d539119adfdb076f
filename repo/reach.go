package repo

import (
	"context"
	"fmt"

	"github.com/lifeboat-backup/lifeboat/format"
)

// Used collects the blobs that snapshots reference: trees, sequences,
// file contents and patches. Each blob is loaded at most once, so shared
// subtrees cost nothing the second time.
type Used struct {
	r    *Repository
	Blob map[format.ID]bool
}

// NewUsed starts an empty set.
func (r *Repository) NewUsed() *Used { return &Used{r: r, Blob: map[format.ID]bool{}} }

// AddSnapshot marks everything a snapshot references. Any blob that
// cannot be loaded is an error: a caller that deletes data must stop.
func (u *Used) AddSnapshot(ctx context.Context, s *format.Snapshot) error {
	return u.ref(ctx, s.Root.Content, true)
}

// ref marks a sequence tree; tree says its leaves are tree blobs.
func (u *Used) ref(ctx context.Context, ref format.Ref, tree bool) error {
	return u.level(ctx, ref.IDs, int(ref.Level), tree)
}

func (u *Used) level(ctx context.Context, ids []format.ID, level int, tree bool) error {
	for _, id := range ids {
		if u.Blob[id] {
			continue // marked with everything below it
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		u.Blob[id] = true
		switch {
		case level > 0:
			b, err := u.r.LoadBlob(ctx, id)
			if err != nil {
				return err
			}
			sub, err := format.DecodeSeq(b)
			if err != nil {
				return fmt.Errorf("sequence %s: %v: %w", id.Short(), err, ErrDamaged)
			}
			if err := u.level(ctx, sub, level-1, tree); err != nil {
				return err
			}
		case tree:
			if err := u.tree(ctx, id); err != nil {
				return err
			}
		default:
			if !u.r.idx.Has(id) {
				return fmt.Errorf("blob %s is in no pack: %w", id.Short(), ErrDamaged)
			}
		}
	}
	return nil
}

func (u *Used) tree(ctx context.Context, id format.ID) error {
	b, err := u.r.LoadBlob(ctx, id)
	if err != nil {
		return err
	}
	nodes, err := format.DecodeTree(b)
	if err != nil {
		return fmt.Errorf("tree %s: %v: %w", id.Short(), err, ErrDamaged)
	}
	for _, n := range nodes {
		switch n.Type {
		case format.NodeDir:
			err = u.ref(ctx, n.Content, true)
		case format.NodeFile:
			if err = u.ref(ctx, n.Content, false); err == nil {
				err = u.ref(ctx, n.Patch, false)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
