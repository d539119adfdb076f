package history

import (
	"context"
	"sort"
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
}

// Find searches every snapshot (oldest first) for contacts, events and
// to-dos whose name, phone number or e-mail matches query, and files whose
// path contains it, and tells when each appeared, changed or vanished.
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
	for i, s := range snaps {
		v, err := p.load(ctx, s.Snapshot)
		if err != nil {
			return nil, err
		}
		views[i] = items(v, query, matched)
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

// items lists a snapshot's trackable items and marks those matching query.
func items(v *view, query string, matched map[string]bool) map[string]item {
	q := strings.ToLower(query)
	out := map[string]item{}
	for key, g := range v.records {
		k := "r:" + key
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
		out[k] = item{what: what, name: rel, path: rel, sig: contentKey(n.Content)}
		if strings.Contains(strings.ToLower(rel), q) {
			matched[k] = true
		}
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
			h.What, h.Name, h.Path, h.Source = it.what, it.name, it.path, s.Source
			last = &it
		} else {
			last = nil
		}
	}
	h.Present = last != nil
	return h
}
