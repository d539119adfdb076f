package serve

import (
	"fmt"
	"net/http"
	"sort"

	"github.com/lifeboat-backup/lifeboat/history"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/status"
)

// overviewBody is the overview: status's report, each source with its
// newest snapshot.
type overviewBody struct {
	Report  *status.Report
	Sources []overviewSource
}

type overviewSource struct {
	Src  status.Source
	Snap repo.SnapshotInfo
}

func (s *Server) overview(w http.ResponseWriter, req *http.Request) {
	rep, err := s.opts.Status(req.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	body := overviewBody{Report: rep}
	for _, src := range rep.Sources {
		sn, err := s.snapshot(req.Context(), src.Newest)
		if err != nil {
			s.fail(w, err)
			return
		}
		body.Sources = append(body.Sources, overviewSource{Src: src, Snap: sn})
	}
	s.render(w, "overview", http.StatusOK, view{Title: "Overview", Tab: "overview", Body: body})
}

// timelineBody is one source's snapshots, newest first, each with what
// changed since the one before.
type timelineBody struct {
	Rows []timelineRow
}

type timelineRow struct {
	repo.SnapshotInfo
	Parent  *repo.SnapshotInfo
	Summary []string
	// Error is why the diff could not be made.
	Error string
}

// timelineDiffs is how many of the newest snapshots get their diff on
// the timeline (each diff reads both snapshots' records).
const timelineDiffs = 30

func (s *Server) timeline(w http.ResponseWriter, req *http.Request) {
	host, source := req.URL.Query().Get("host"), req.URL.Query().Get("source")
	list, err := s.sourceSnapshots(req.Context(), host, source)
	if err == nil && len(list) == 0 {
		err = errNotFound
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	var body timelineBody
	for i, sn := range list {
		row := timelineRow{SnapshotInfo: sn}
		if p, ok := parentOf(list, i); ok {
			row.Parent = &p
			if i < timelineDiffs {
				ch, err := s.diffs.diff(req.Context(), s.r, p, sn)
				if err != nil {
					row.Error = err.Error()
				} else {
					row.Summary = summarize(ch)
				}
			}
		}
		body.Rows = append(body.Rows, row)
	}
	newest := list[0]
	s.render(w, "timeline", http.StatusOK, view{Title: "Timeline", Host: host, Source: source, Snap: &newest,
		Tab: "timeline", Body: body})
}

// summarize counts changes as "3 contacts added", "1 photo removed", in
// a fixed order of kinds and operations.
func summarize(ch []history.Change) []string {
	counts := map[string]int{}
	for _, c := range ch {
		counts[c.What+"\x00"+c.Op]++
	}
	var out []string
	for _, what := range []string{"contact", "event", "to-do", "journal", "photo", "file"} {
		for _, op := range []string{"added", "changed", "removed"} {
			if n := counts[what+"\x00"+op]; n > 0 {
				noun := what
				if n != 1 {
					noun += "s"
				}
				out = append(out, fmt.Sprintf("%d %s %s", n, noun, op))
			}
		}
	}
	return out
}

// diffBody compares two snapshots of a source.
type diffBody struct {
	A, B    repo.SnapshotInfo
	Choices []repo.SnapshotInfo
	Changes []diffRow
	Summary []string
}

type diffRow struct {
	history.Change
	// Fields are the changed fields, each with its operation.
	Fields []fieldRow
}

type fieldRow struct{ Name, Op string }

func (s *Server) diff(w http.ResponseWriter, req *http.Request) {
	q := req.URL.Query()
	b, err := s.snapshot(req.Context(), q.Get("b"))
	if err != nil {
		s.fail(w, err)
		return
	}
	list, err := s.sourceSnapshots(req.Context(), b.Host, b.Source)
	if err != nil {
		s.fail(w, err)
		return
	}
	var a repo.SnapshotInfo
	if q.Get("a") == "" {
		for i, sn := range list {
			if sn.ID == b.ID {
				p, ok := parentOf(list, i)
				if !ok {
					p = b
				}
				a = p
			}
		}
	} else if a, err = s.snapshot(req.Context(), q.Get("a")); err != nil {
		s.fail(w, err)
		return
	}
	if a.Host != b.Host || a.Source != b.Source {
		s.fail(w, errNotFound)
		return
	}
	ch, err := s.diffs.diff(req.Context(), s.r, a, b)
	if err != nil {
		s.fail(w, err)
		return
	}
	body := diffBody{A: a, B: b, Choices: list, Summary: summarize(ch)}
	for _, c := range ch {
		row := diffRow{Change: c}
		for _, f := range c.Fields {
			row.Fields = append(row.Fields, fieldRow{Name: f.Name, Op: f.Op})
		}
		sort.Slice(row.Fields, func(i, j int) bool { return row.Fields[i].Name < row.Fields[j].Name })
		body.Changes = append(body.Changes, row)
	}
	title := fmt.Sprintf("Diff %s → %s", a.ID.Short(), b.ID.Short())
	s.render(w, "diff", http.StatusOK, view{Title: title, Host: b.Host, Source: b.Source, Snap: &b, Tab: "diff", Body: body})
}
