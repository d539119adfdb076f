package history

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// Hit is one contact, event, to-do or file that matched a query, with
// its history in one source.
type Hit struct {
	What   string `json:"what"`
	Name   string `json:"name"`
	Path   string `json:"path"`
	Source string `json:"source"`
	// Events are when it appeared, changed and vanished, oldest first.
	Events []Event `json:"events"`
	// Present says whether the newest snapshot of the source holds it.
	Present bool `json:"present"`
	// PhotoDate is a photo's or video's date, in the last snapshot that
	// holds it.
	PhotoDate
}

// Event is one step in the history of a hit.
type Event struct {
	Op       string    `json:"op"` // "appeared", "changed" or "vanished"
	Snapshot format.ID `json:"snapshot"`
	Time     time.Time `json:"time"`
}

// item is what Find tracks: its identity and a signature of its bytes.
type item struct {
	what, name, path string
	sig              string
	date             PhotoDate // of a photo that matched
}

// Find searches every snapshot (oldest first) for contacts, events and
// to-dos whose name, phone number or e-mail matches query, and files whose
// path contains it (compared as pim.SearchFold: case, accents and Unicode
// normalisation aside), and tells when each appeared, changed or vanished.
func Find(ctx context.Context, r *repo.Repository, snaps []repo.SnapshotInfo, query string) ([]Hit, error) {
	bySource := map[string][]repo.SnapshotInfo{}
	var sources []string
	for _, s := range snaps {
		if _, ok := bySource[s.Source]; !ok {
			sources = append(sources, s.Source)
		}
		bySource[s.Source] = append(bySource[s.Source], s)
	}
	p := newParser(r)
	var hits []Hit
	for _, src := range sources {
		h, err := findIn(ctx, p, bySource[src], query)
		if err != nil {
			return nil, err
		}
		hits = append(hits, h...)
	}
	return hits, nil
}

func findIn(ctx context.Context, p *parser, snaps []repo.SnapshotInfo, query string) ([]Hit, error) {
	views := make([]map[string]item, len(snaps))
	matched := map[string]bool{}
	var t tracker
	dates := photoDates(p.r, nil)
	for i, s := range snaps {
		v, err := p.load(ctx, s.Snapshot)
		if err != nil {
			return nil, err
		}
		dates.Reset()
		addFiles(dates, v.files)
		date := func(rel string, n format.Node) PhotoDate { return photoDate(ctx, dates, rel, n) }
		views[i] = items(v, t.follow(v), query, matched, date)
	}
	var hits []Hit
	for key := range matched {
		hits = append(hits, timeline(key, snaps, views))
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].What != hits[j].What {
			return whatOrder[hits[i].What] < whatOrder[hits[j].What]
		}
		return hits[i].Name < hits[j].Name
	})
	return hits, nil
}

// items lists a snapshot's trackable items and marks those matching query;
// ids are the records' identities from tracker.follow; date dates the
// photos that match.
func items(v *view, ids map[string]int, query string, matched map[string]bool, date func(string, format.Node) PhotoDate) map[string]item {
	q := pim.SearchFold(query)
	out := map[string]item{}
	for key, g := range v.records {
		k := "r:" + strconv.Itoa(ids[key])
		out[k] = item{what: KindName(g.Kind), name: g.Name, path: g.Path, sig: strings.Join(g.sig, ",")}
		for _, rec := range g.Records {
			if rec.Matches(query) {
				matched[k] = true
			}
		}
	}
	for rel, n := range v.files {
		if isPIM(n) {
			continue
		}
		k := "f:" + rel
		what := "file"
		if pim.Kind(n.Kind) == pim.KindMedia {
			what = "photo"
		}
		it := item{what: what, name: rel, path: rel, sig: contentKey(n.Content)}
		if strings.Contains(pim.SearchFold(rel), q) {
			matched[k] = true
			if what == "photo" {
				it.date = date(rel, n)
			}
		}
		out[k] = it
	}
	return out
}

func timeline(key string, snaps []repo.SnapshotInfo, views []map[string]item) Hit {
	var h Hit
	var last *item
	for i, s := range snaps {
		it, ok := views[i][key]
		switch {
		case ok && last == nil:
			h.Events = append(h.Events, Event{Op: "appeared", Snapshot: s.ID, Time: s.Time})
		case ok && last.sig != it.sig:
			h.Events = append(h.Events, Event{Op: "changed", Snapshot: s.ID, Time: s.Time})
		case !ok && last != nil:
			h.Events = append(h.Events, Event{Op: "vanished", Snapshot: s.ID, Time: s.Time})
		}
		if ok {
			h.What, h.Name, h.Path, h.Source, h.PhotoDate = it.what, it.name, it.path, s.Source, it.date
			last = &it
		} else {
			last = nil
		}
	}
	h.Present = last != nil
	return h
}

// tracker follows records from snapshot to snapshot (see match): each gets
// a number that it keeps while it changes, and that it takes up again when
// it comes back after it vanished.
type tracker struct {
	next int
	// last holds the newest version of every record seen so far, by group
	// key, with its number.
	last map[string]tracked
}

type tracked struct {
	id int
	g  *Group
}

// follow numbers the records of the next snapshot, by group key.
func (t *tracker) follow(v *view) map[string]int {
	if t.last == nil {
		t.last = map[string]tracked{}
	}
	prev := make(map[string]*Group, len(t.last))
	for k, tr := range t.last {
		prev[k] = tr.g
	}
	pairs := match(prev, v.records)
	ids := make(map[string]int, len(v.records))
	for key, g := range v.records {
		if pk, ok := pairs[key]; ok {
			ids[key] = t.last[pk].id
			delete(t.last, pk)
		} else {
			t.next++
			ids[key] = t.next
		}
		t.last[key] = tracked{ids[key], g}
	}
	return ids
}
