package repo

import (
	"context"
	"fmt"
	"slices"

	"github.com/lifeboat-backup/lifeboat/format"
)

// SaveRef stores a list of blob ids as a Ref, writing sequence blobs
// through p when the list is long. It returns the ref and every sequence
// blob id the ref depends on.
func (p *Packer) SaveRef(ids []format.ID) (format.Ref, []format.ID, error) {
	var seqs []format.ID
	level := uint8(0)
	for len(ids) > format.InlineIDs {
		if level == format.MaxRefLevel {
			return format.Ref{}, nil, fmt.Errorf("list of %d blobs is too long", len(ids))
		}
		var next []format.ID
		start := 0
		for i, id := range ids {
			if format.SeqBoundary(id) || i-start+1 == format.MaxSeqIDs || i == len(ids)-1 {
				sid, err := p.saveSeq(ids[start : i+1])
				if err != nil {
					return format.Ref{}, nil, err
				}
				next = append(next, sid)
				start = i + 1
			}
		}
		seqs = append(seqs, next...)
		ids = next
		level++
	}
	// A folder's node keeps its Ref while the folder above is walked, so
	// the ids get an array of their own, without the spare capacity of
	// the appends that made them (that was a seventh of a re-run's live
	// heap), and the caller's slice is not held.
	return format.Ref{Level: level, IDs: slices.Clone(ids)}, seqs, nil
}

func (p *Packer) saveSeq(ids []format.ID) (format.ID, error) {
	b := format.EncodeSeq(ids)
	id := p.s.r.BlobID(b)
	_, err := p.Add(format.BlobSeq, id, b, false)
	return id, err
}

// LoadRef expands a ref to its level-0 ids.
func (r *Repository) LoadRef(ctx context.Context, ref format.Ref) ([]format.ID, error) {
	ids := ref.IDs
	for level := ref.Level; level > 0; level-- {
		var next []format.ID
		for _, id := range ids {
			b, err := r.LoadBlob(ctx, id)
			if err != nil {
				return nil, err
			}
			sub, err := format.DecodeSeq(b)
			if err != nil {
				return nil, fmt.Errorf("sequence %s: %v: %w", id.Short(), err, ErrDamaged)
			}
			next = append(next, sub...)
		}
		ids = next
	}
	return ids, nil
}

// LoadDir reads a directory's entries.
func (r *Repository) LoadDir(ctx context.Context, ref format.Ref) ([]format.Node, error) {
	ids, err := r.LoadRef(ctx, ref)
	if err != nil {
		return nil, err
	}
	var nodes []format.Node
	for _, id := range ids {
		b, err := r.LoadBlob(ctx, id)
		if err != nil {
			return nil, err
		}
		part, err := format.DecodeTree(b)
		if err != nil {
			return nil, fmt.Errorf("tree %s: %v: %w", id.Short(), err, ErrDamaged)
		}
		if len(nodes) > 0 && len(part) > 0 && part[0].Name <= nodes[len(nodes)-1].Name {
			return nil, fmt.Errorf("tree %s: entries out of order: %w", id.Short(), ErrDamaged)
		}
		nodes = append(nodes, part...)
	}
	return nodes, nil
}
