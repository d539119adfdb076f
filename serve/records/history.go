package records

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/history"
	"github.com/lifeboat-backup/lifeboat/pim"
)

// Change is one step in the history of a contact or event.
type Change struct {
	Snap string
	Time time.Time
	Op   string // "appeared", "changed" or "vanished"
	Name string // the record's name in that snapshot (the last one for "vanished")
	Path string // the file it is in
	// Fields are the fields that changed ("changed" only), by name.
	Fields []FieldChange
}

// FieldChange is one field that changed, with its values before and after
// (parameters shown in brackets: "+44 7700 900461 [TYPE=CELL]").
type FieldChange struct {
	Name string // a pim.Record.Fields name ("TEL", "VALARM.TRIGGER") or "exception "+RECURRENCE-ID
	Op   string // "added", "removed" or "changed"
	Old  []string
	New  []string
}

// ContactHistory follows the contact id (Contact.ID in any of snaps)
// through snaps (oldest first) and tells when it appeared, each change
// with the fields changed, and when it vanished (and came back). A contact
// without a UID is followed across its edits as package history follows
// it (by the share of fields kept), and two people who share a name stay
// two. It reads the vCard files of every snapshot, each content once: a
// file whose content did not change between snapshots is not parsed again,
// but every snapshot's tree is walked. An id found in no snapshot gives no
// changes.
func ContactHistory(ctx context.Context, r Reader, snaps []Snap, id string) ([]Change, error) {
	return recordHistory(ctx, newLoader(r, pim.KindVCard), snaps, id, func(k pim.RecordKind) bool { return k == pim.RecContact })
}

// EventHistory is ContactHistory for an event or to-do (Event.ID,
// Todo.ID) of the iCalendar files; an exception of a series (a moved
// instance) that is added, changed or removed is a field "exception "+its
// RECURRENCE-ID.
func EventHistory(ctx context.Context, r Reader, snaps []Snap, id string) ([]Change, error) {
	return recordHistory(ctx, newLoader(r, pim.KindICal), snaps, id, func(k pim.RecordKind) bool { return k == pim.RecEvent || k == pim.RecTodo })
}

// version is one group of records in one snapshot.
type version struct {
	recs []pim.Record
	name string
	path string
}

func recordHistory(ctx context.Context, l *loader, snaps []Snap, id string, want func(pim.RecordKind) bool) ([]Change, error) {
	id, _, _ = strings.Cut(id, "-") // a suffix told apart two cards of one UID
	var f history.Follower
	views := make([]map[int]*version, len(snaps))
	target := -1
	for i, s := range snaps {
		var recs []pim.Record
		var paths []string
		err := l.snapshot(ctx, s.Root, func(rel string, p *piece) {
			if want(p.rec.Kind) {
				recs = append(recs, p.rec)
				paths = append(paths, rel)
			}
		})
		if err != nil {
			return nil, err
		}
		nums := f.Follow(recs)
		v := map[int]*version{}
		for j, rec := range recs {
			ident := rec.Identity()
			n := nums[ident]
			g := v[n]
			if g == nil {
				g = &version{name: rec.Name, path: paths[j]}
				v[n] = g
			}
			if rec.RecurrenceID == "" && rec.Name != "" {
				g.name = rec.Name
			}
			g.recs = append(g.recs, rec)
			if target < 0 && recordID(ident) == id {
				target = n
			}
		}
		views[i] = v
	}
	if target < 0 {
		return nil, nil
	}
	var out []Change
	var last *version
	for i, s := range snaps {
		v := views[i][target]
		switch {
		case v != nil && last == nil:
			out = append(out, Change{Snap: s.ID, Time: s.Time, Op: "appeared", Name: oneLine(v.name), Path: clean(v.path)})
		case v != nil:
			if fc := history.GroupFields(last.recs, v.recs); len(fc) > 0 {
				out = append(out, Change{Snap: s.ID, Time: s.Time, Op: "changed", Name: oneLine(v.name), Path: clean(v.path),
					Fields: fieldChanges(fc, master(last.recs), master(v.recs))})
			}
		case last != nil:
			out = append(out, Change{Snap: s.ID, Time: s.Time, Op: "vanished", Name: oneLine(last.name), Path: clean(last.path)})
		}
		last = v
	}
	return out, nil
}

// master is the record of a group without a RECURRENCE-ID (or the first).
func master(recs []pim.Record) pim.Record {
	for _, r := range recs {
		if r.RecurrenceID == "" {
			return r
		}
	}
	return recs[0]
}

func fieldChanges(fc []pim.FieldChange, a, b pim.Record) []FieldChange {
	out := make([]FieldChange, 0, len(fc))
	for _, c := range fc {
		out = append(out, FieldChange{Name: clean(c.Name), Op: c.Op, Old: shown(a.Fields[c.Name]), New: shown(b.Fields[c.Name])})
	}
	slices.SortStableFunc(out, func(x, y FieldChange) int { return strings.Compare(x.Name, y.Name) })
	return out
}

// shown writes Record.Fields values for people: "value [PARAMS]".
func shown(vals []string) []string {
	var out []string
	for _, v := range vals {
		p, val := pim.FieldValue(v)
		s := clean(val)
		if p != "" {
			s += " [" + clean(p) + "]"
		}
		out = append(out, s)
	}
	return out
}
