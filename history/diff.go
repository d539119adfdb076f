package history

import (
	"context"
	"fmt"
	"path"
	"sort"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// Change is one difference between two snapshots.
type Change struct {
	// What: "contact", "event", "to-do", "journal", "photo" (photos and
	// videos) or "file".
	What string `json:"what"`
	// Op: "added", "removed" or "changed".
	Op string `json:"op"`
	// Name is a record's display name, or a file's path.
	Name string `json:"name"`
	// Path is the file a record is in, or the file itself.
	Path string `json:"path"`
	// Fields says which fields of a changed record changed.
	Fields []pim.FieldChange `json:"fields,omitempty"`
	// PhotoDate is an added or changed photo's or video's date.
	PhotoDate
}

// Diff lists what changed from snapshot a to snapshot b: records by name,
// with the fields that changed (volatile fields such as REV or DTSTAMP do
// not count), then photos, videos and other files by path. vCard and
// iCalendar files are reported through their records, not as files.
func Diff(ctx context.Context, r *repo.Repository, a, b *format.Snapshot) ([]Change, error) {
	p := newParser(r)
	va, err := p.load(ctx, a)
	if err != nil {
		return nil, err
	}
	vb, err := p.load(ctx, b)
	if err != nil {
		return nil, err
	}
	changes := diffRecords(va, vb)
	files, err := diffFiles(ctx, r, va, vb)
	if err != nil {
		return nil, err
	}
	return append(changes, files...), nil
}

// diffRecords pairs the records of two snapshots (see match) and lists
// what was added, removed and changed.
func diffRecords(va, vb *view) []Change {
	var out []Change
	pairs := match(va.records, vb.records)
	kept := map[string]bool{}
	for key, gb := range vb.records {
		ak, ok := pairs[key]
		if !ok {
			out = append(out, recordChange("added", gb, nil))
			continue
		}
		kept[ak] = true
		if ga := va.records[ak]; !ga.same(gb) {
			if fields := groupFields(ga, gb); len(fields) > 0 {
				out = append(out, recordChange("changed", gb, fields))
			}
		}
	}
	for key, ga := range va.records {
		if !kept[key] {
			out = append(out, recordChange("removed", ga, nil))
		}
	}
	sortChanges(out)
	return out
}

func recordChange(op string, g *Group, fields []pim.FieldChange) Change {
	return Change{What: KindName(g.Kind), Op: op, Name: g.Name, Path: g.Path, Fields: fields}
}

// groupFields compares two versions of a record group: the series itself
// field by field, and its exceptions by RECURRENCE-ID.
func groupFields(a, b *Group) []pim.FieldChange {
	out := pim.Diff(a.master(), b.master())
	ea, eb := exceptions(a), exceptions(b)
	for rid, rb := range eb {
		ra, ok := ea[rid]
		switch {
		case !ok:
			out = append(out, pim.FieldChange{Name: "exception " + rid, Op: "added"})
		case len(pim.Diff(ra, rb)) > 0:
			out = append(out, pim.FieldChange{Name: "exception " + rid, Op: "changed"})
		}
	}
	for rid := range ea {
		if _, ok := eb[rid]; !ok {
			out = append(out, pim.FieldChange{Name: "exception " + rid, Op: "removed"})
		}
	}
	return out
}

func exceptions(g *Group) map[string]pim.Record {
	m := map[string]pim.Record{}
	for _, r := range g.Records {
		if r.RecurrenceID != "" {
			m[r.RecurrenceID] = r
		}
	}
	return m
}

// davStateFile is dav.StateFile: the description of a CardDAV/CalDAV
// collection in its snapshot. Its ETags and sync token change with every
// record, which diff already names, so its changes are not listed.
const davStateFile = "lifeboat-collection.json"

func diffFiles(ctx context.Context, r *repo.Repository, va, vb *view) ([]Change, error) {
	var out []Change
	dates := photoDates(r, vb.files)
	add := func(op, rel string, n format.Node) {
		if isPIM(n) || (op == "changed" && path.Base(rel) == davStateFile) {
			return
		}
		c := Change{What: "file", Op: op, Name: rel, Path: rel}
		if pim.Kind(n.Kind) == pim.KindMedia {
			c.What = "photo"
			if op != "removed" {
				c.PhotoDate = photoDate(ctx, dates, rel, n)
			}
		}
		out = append(out, c)
	}
	for rel, nb := range vb.files {
		na, ok := va.files[rel]
		switch {
		case !ok:
			add("added", rel, nb)
		case !repo.SameContent(na.Content, nb.Content) || na.Type != nb.Type || na.Target != nb.Target:
			add("changed", rel, nb)
		}
	}
	for rel, na := range va.files {
		if _, ok := vb.files[rel]; !ok {
			add("removed", rel, na)
		}
	}
	sortChanges(out)
	return out, nil
}

var whatOrder = map[string]int{"contact": 0, "event": 1, "to-do": 2, "journal": 3, "photo": 4, "file": 5}

func sortChanges(cs []Change) {
	sort.SliceStable(cs, func(i, j int) bool {
		if whatOrder[cs[i].What] != whatOrder[cs[j].What] {
			return whatOrder[cs[i].What] < whatOrder[cs[j].What]
		}
		if cs[i].Name != cs[j].Name {
			return cs[i].Name < cs[j].Name
		}
		return cs[i].Op < cs[j].Op
	})
}

// String formats a change for people: "+ contact Alice Smith",
// "~ contact Alice Smith: TEL changed, EMAIL added".
func (c Change) String() string {
	sign := map[string]string{"added": "+", "removed": "-", "changed": "~"}[c.Op]
	s := fmt.Sprintf("%s %s %s", sign, c.What, c.Name)
	if p := c.Phrase(); p != "" {
		s += " (" + p + ")"
	}
	for i, f := range c.Fields {
		if i == 0 {
			s += ": "
		} else {
			s += ", "
		}
		s += f.Name + " " + f.Op
	}
	return s
}
