package repo

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// SnapshotInfo is a snapshot with its id.
type SnapshotInfo struct {
	ID format.ID
	*format.Snapshot
}

func (r *Repository) saveSnapshot(ctx context.Context, snap *format.Snapshot, s *Session) (format.ID, error) {
	snap.Stats.BytesAdded = uint64(s.Added())
	pt, err := format.EncodeSnapshot(snap)
	if err != nil {
		return format.ID{}, err
	}
	// The snapshot's own size is estimated into BytesAdded before sealing.
	snap.Stats.BytesAdded += uint64(len(pt) + crypto.SealOverhead + 16)
	if pt, err = format.EncodeSnapshot(snap); err != nil {
		return format.ID{}, err
	}
	sealed := r.keys.Seal(crypto.LabelSnapshot, pt)
	id := format.ID(crypto.ObjectHash(sealed))
	if err := store.Save(ctx, r.st, "snapshots/"+id.String(), sealed); err != nil {
		return format.ID{}, fmt.Errorf("save snapshot: %w", err)
	}
	return id, nil
}

// LoadSnapshot reads and authenticates one snapshot.
func (r *Repository) LoadSnapshot(ctx context.Context, id format.ID) (*format.Snapshot, error) {
	name := "snapshots/" + id.String()
	b, err := r.st.Load(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if format.ID(crypto.ObjectHash(b)) != id {
		return nil, fmt.Errorf("%s does not match its name: %w", name, ErrDamaged)
	}
	pt, err := r.keys.Open(crypto.LabelSnapshot, b)
	if err != nil {
		return nil, fmt.Errorf("%s fails authentication (damaged or forged): %w", name, ErrDamaged)
	}
	s, err := format.DecodeSnapshot(pt)
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %w", name, err, ErrDamaged)
	}
	return s, nil
}

// Snapshots lists every snapshot, oldest first.
func (r *Repository) Snapshots(ctx context.Context) ([]SnapshotInfo, error) {
	if r.keys == nil {
		return nil, ErrNoWriteKey
	}
	var ids []format.ID
	err := r.st.List(ctx, "snapshots", func(name string, _ int64) error {
		if id, ok := ParseObjectName(name); ok && strings.HasPrefix(name, "snapshots/") {
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]SnapshotInfo, 0, len(ids))
	for _, id := range ids {
		s, err := r.LoadSnapshot(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, SnapshotInfo{ID: id, Snapshot: s})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.Before(out[j].Time)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out, nil
}

// FindSnapshot resolves a full id, a unique id prefix, "latest", or
// "latest:SOURCE" (SOURCE matched exactly or by base name).
func (r *Repository) FindSnapshot(ctx context.Context, spec string) (SnapshotInfo, error) {
	all, err := r.Snapshots(ctx)
	if err != nil {
		return SnapshotInfo{}, err
	}
	if spec == "latest" || strings.HasPrefix(spec, "latest:") {
		src := strings.TrimPrefix(strings.TrimPrefix(spec, "latest"), ":")
		for i := len(all) - 1; i >= 0; i-- {
			s := all[i]
			if src == "" || s.Source == src || path.Base(s.Source) == src {
				return s, nil
			}
		}
		return SnapshotInfo{}, fmt.Errorf("%s: %w", spec, ErrNoSnapshot)
	}
	var found []SnapshotInfo
	for _, s := range all {
		if spec != "" && strings.HasPrefix(s.ID.String(), strings.ToLower(spec)) {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 0:
		return SnapshotInfo{}, fmt.Errorf("%s: %w", spec, ErrNoSnapshot)
	case 1:
		return found[0], nil
	default:
		return SnapshotInfo{}, fmt.Errorf("%s matches %d snapshots; give more of the id: %w", spec, len(found), ErrNoSnapshot)
	}
}
