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
	r.recordNewest(id, snap.Time)
	return id, nil
}

// LoadSnapshot reads and authenticates one snapshot.
func (r *Repository) LoadSnapshot(ctx context.Context, id format.ID) (*format.Snapshot, error) {
	name := "snapshots/" + id.String()
	b, err := loadSmall(ctx, r.st, name, maxSnapshotObject)
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

// Snapshots lists every snapshot that opens, oldest first, and the
// errors of those that do not (damaged or forged). It fails with
// ErrRollback when the newest snapshot this machine has seen is gone and
// nothing newer took its place.
func (r *Repository) Snapshots(ctx context.Context) ([]SnapshotInfo, []error, error) {
	ids, err := r.snapshotIDs(ctx)
	if err != nil {
		return nil, nil, err
	}
	out := make([]SnapshotInfo, 0, len(ids))
	var damaged []error
	for _, id := range ids {
		s, err := r.LoadSnapshot(ctx, id)
		if err != nil {
			damaged = append(damaged, err)
			continue
		}
		out = append(out, SnapshotInfo{ID: id, Snapshot: s})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.Before(out[j].Time)
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	if err := r.checkRollback(ids, out); err != nil {
		return out, damaged, err
	}
	return out, damaged, nil
}

func (r *Repository) snapshotIDs(ctx context.Context) ([]format.ID, error) {
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
	return ids, err
}

// FindSnapshot resolves a full id, a unique id prefix, "latest", or
// "latest:SOURCE" (SOURCE matched exactly or by base name). A damaged
// snapshot named by id gives ErrDamaged; "latest" skips damaged ones.
func (r *Repository) FindSnapshot(ctx context.Context, spec string) (SnapshotInfo, error) {
	if spec == "latest" || strings.HasPrefix(spec, "latest:") {
		all, _, err := r.Snapshots(ctx)
		if err != nil {
			return SnapshotInfo{}, err
		}
		src := strings.TrimPrefix(strings.TrimPrefix(spec, "latest"), ":")
		for i := len(all) - 1; i >= 0; i-- {
			s := all[i]
			if src == "" || MatchSource(s.Source, src) {
				return s, nil
			}
		}
		return SnapshotInfo{}, fmt.Errorf("%s: %w", spec, ErrNoSnapshot)
	}
	ids, err := r.snapshotIDs(ctx)
	if err != nil {
		return SnapshotInfo{}, err
	}
	var found []format.ID
	for _, id := range ids {
		if spec != "" && strings.HasPrefix(id.String(), strings.ToLower(spec)) {
			found = append(found, id)
		}
	}
	switch len(found) {
	case 0:
		return SnapshotInfo{}, fmt.Errorf("%s: %w", spec, ErrNoSnapshot)
	case 1:
		s, err := r.LoadSnapshot(ctx, found[0])
		return SnapshotInfo{ID: found[0], Snapshot: s}, err
	default:
		return SnapshotInfo{}, ambiguousError{spec, found}
	}
}

// ambiguousError is an id prefix that several snapshots share. It is
// ErrNoSnapshot, without saying so: "7 matches 2 snapshots (7a1b2c3d,
// 7f00aa11); give more of the id".
type ambiguousError struct {
	spec  string
	found []format.ID
}

func (e ambiguousError) Error() string {
	var ids []string
	for i, id := range e.found {
		if i == 5 {
			ids = append(ids, "...")
			break
		}
		ids = append(ids, id.Short())
	}
	return fmt.Sprintf("%s matches %d snapshots (%s); give more of the id", e.spec, len(e.found), strings.Join(ids, ", "))
}

func (e ambiguousError) Is(target error) bool { return target == ErrNoSnapshot }

// MatchSource reports whether a source named by the user (in latest:SOURCE
// or --source) names the source a snapshot recorded: the same string, the
// same but for trailing slashes (a DAV account is recorded with its path,
// at least "/"), or its base name (the folder's name, the account's host).
func MatchSource(recorded, given string) bool {
	if given == "" {
		return false
	}
	trim := func(s string) string {
		if t := strings.TrimRight(s, "/"); t != "" || s == "" {
			return t
		}
		return "/"
	}
	return recorded == given || trim(recorded) == trim(given) || path.Base(recorded) == given
}

// Latest returns the newest readable snapshot of each source (a host and
// a source path or account), ordered by host, then source.
func (r *Repository) Latest(ctx context.Context) ([]SnapshotInfo, error) {
	all, _, err := r.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	newest := map[[2]string]SnapshotInfo{}
	for _, s := range all {
		k := [2]string{s.Host, s.Source}
		if n, ok := newest[k]; !ok || s.Time.After(n.Time) {
			newest[k] = s
		}
	}
	out := make([]SnapshotInfo, 0, len(newest))
	for _, s := range newest {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Host != out[j].Host {
			return out[i].Host < out[j].Host
		}
		return out[i].Source < out[j].Source
	})
	return out, nil
}
