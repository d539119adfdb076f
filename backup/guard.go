package backup

import (
	"context"
	"errors"
	"path"
	"sort"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// Threshold is when a drop in records raises the mass-deletion alarm: a
// kind alarms when it lost more than Percent of its previous count and at
// least Min items (SPEC §4: 20% or 50 items, whichever is larger). A
// vanished collection of at least format.MinCollection records always
// alarms.
type Threshold struct {
	Percent float64
	Min     uint64
}

// DefaultThreshold is SPEC §4's default.
var DefaultThreshold = Threshold{Percent: 20, Min: 50}

// previous returns the newest snapshot of the same source, or nil. A
// rollback is returned beside it: it must not stop the backup (that would
// stop every later backup too), but the caller reports it.
func previous(ctx context.Context, r *repo.Repository, src string) (*repo.SnapshotInfo, error, error) {
	all, _, err := r.Snapshots(ctx)
	var rollback error
	if errors.Is(err, repo.ErrRollback) {
		rollback, err = err, nil
	}
	if err != nil {
		return nil, nil, err
	}
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Source == src {
			return &all[i], rollback, nil
		}
	}
	return nil, rollback, nil
}

// alarm compares a new snapshot with the previous one of its source.
// Collections are matched by key; pathKey makes the key of a path, for
// previous snapshots that kept paths.
func alarm(prev *repo.SnapshotInfo, now *format.Snapshot, t Threshold, pathKey func(string) string) *format.Alarm {
	if prev == nil {
		return nil
	}
	a := &format.Alarm{Previous: prev.ID}
	p, n := prev.Stats, now.Stats
	for _, k := range []struct {
		kind          string
		before, after uint64
	}{
		{"contacts", p.Contacts, n.Contacts}, {"events", p.Events, n.Events},
		{"to-dos", p.Todos, n.Todos}, {"photos/videos", p.Media, n.Media},
	} {
		if k.after < k.before && t.exceeded(k.before, k.before-k.after) {
			a.Drops = append(a.Drops, format.Drop{Kind: k.kind, Before: k.before, After: k.after})
		}
	}
	have := map[string]uint32{}
	for _, c := range now.Collections {
		have[collectionKey(c, pathKey)] = c.Records
	}
	for _, c := range prev.Collections {
		if k := collectionKey(c, pathKey); c.Records >= format.MinCollection && have[k] == 0 {
			a.Vanished = append(a.Vanished, format.Collection{Key: k, Records: c.Records})
		}
	}
	if len(a.Drops) == 0 && len(a.Vanished) == 0 {
		return nil
	}
	return a
}

func (t Threshold) exceeded(before, lost uint64) bool {
	limit := uint64(float64(before) * t.Percent / 100)
	if t.Min > limit {
		limit = t.Min
	}
	return lost > limit
}

// collections groups the vCard and iCalendar files of a snapshot into
// address books and calendars (see format.Collection).
type collections map[string]uint32

func (c collections) add(rel string, n format.Node) {
	recs := n.Counts.Contacts + n.Counts.Events + n.Counts.Todos + n.Counts.Journals
	if recs == 0 {
		return
	}
	if recs >= format.MinCollection {
		c[rel] += recs
		return
	}
	dir := path.Dir(rel)
	if dir == "." {
		dir = ""
	}
	c[dir+"/"] += recs
}

// list names each collection by the key of its path (see
// format.Collection).
func (c collections) list(pathKey func(string) string) []format.Collection {
	out := make([]format.Collection, 0, len(c))
	for p, n := range c {
		out = append(out, format.Collection{Key: pathKey(p), Records: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// collectionKey is a collection's key, made from its path in snapshots
// written before keys.
func collectionKey(c format.Collection, pathKey func(string) string) string {
	if c.Key == "" {
		return pathKey(c.Path)
	}
	return c.Key
}
