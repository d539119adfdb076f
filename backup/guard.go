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

// previous returns the newest snapshot of the same source from the same
// host (as status and retention group them), or nil: another machine's
// folder of the same path is another phone. A rollback is returned beside
// it: it must not stop the backup (that would stop every later backup
// too), but the caller reports it.
func previous(ctx context.Context, r *repo.Repository, host, src string) (*repo.SnapshotInfo, error, error) {
	all, _, err := r.Snapshots(ctx)
	var rollback error
	if errors.Is(err, repo.ErrRollback) {
		rollback, err = err, nil
	}
	if err != nil {
		return nil, nil, err
	}
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Source == src && all[i].Host == host {
			return &all[i], rollback, nil
		}
	}
	return nil, rollback, nil
}

// alarm compares a new snapshot with the previous one of its source.
// Collections are matched by key; pathKey makes the key of a path, for
// previous snapshots that kept paths. files are the record counts of the
// vCard and iCalendar files this backup read, by path, so that a
// collection that shrank below format.MinCollection is told from one that
// vanished. acceptEmpty is the user's word that a source with no files is
// meant to be empty.
func alarm(prev *repo.SnapshotInfo, now *format.Snapshot, t Threshold, pathKey func(string) string, files map[string]uint32, acceptEmpty bool) *format.Alarm {
	if prev == nil {
		return nil
	}
	a := &format.Alarm{Previous: prev.ID}
	if now.Stats.Files == 0 && !acceptEmpty {
		switch {
		case prev.Stats.Files > 0:
			a.Empty = true
		case prev.Alarm != nil && prev.Alarm.Empty:
			// Still empty since the alarm: it stays until accepted.
			return &format.Alarm{Previous: prev.Alarm.Previous, Empty: true}
		}
	}
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
	byKey := map[string]uint32{}
	for p, n := range files {
		byKey[pathKey(p)] = n
	}
	for _, c := range prev.Collections {
		k := collectionKey(c, pathKey)
		if c.Records < format.MinCollection || have[k] > 0 {
			continue
		}
		left, there := byKey[k]
		switch {
		case !there:
			a.Vanished = append(a.Vanished, format.Collection{Key: k, Records: c.Records})
		case t.shrank(uint64(c.Records), uint64(left)):
			a.Shrunk = append(a.Shrunk, format.Drop{Kind: k, Before: uint64(c.Records), After: uint64(left)})
		}
	}
	if !a.Empty && len(a.Drops) == 0 && len(a.Vanished) == 0 && len(a.Shrunk) == 0 {
		return nil
	}
	return a
}

// shrank reports whether a collection that is still there lost more than
// t.Percent of its records (the minimum count is for whole sources).
func (t Threshold) shrank(before, after uint64) bool {
	return after < before && float64(before-after) > float64(before)*t.Percent/100
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

// shrunkFiles words an alarm's shrunk collections by their paths, which
// this backup read (the snapshot keeps only their keys).
func shrunkFiles(a *format.Alarm, files map[string]uint32, pathKey func(string) string) []format.Drop {
	if a == nil || len(a.Shrunk) == 0 {
		return nil
	}
	byKey := map[string]string{}
	for p := range files {
		byKey[pathKey(p)] = p
	}
	var out []format.Drop
	for _, d := range a.Shrunk {
		if p, ok := byKey[d.Kind]; ok {
			d.Kind = p
		}
		out = append(out, d)
	}
	return out
}
