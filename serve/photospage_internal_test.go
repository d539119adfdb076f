package serve

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/serve/photos"
)

// TestMonthLabels: months are headed "June 2025", newest first, and the
// photos with no date at all come last under "No date".
func TestMonthLabels(t *testing.T) {
	ps := []photos.Photo{{Path: "a.jpg"}, {Path: "b.jpg", Taken: time.Date(2025, 6, 14, 10, 0, 0, 0, time.UTC)},
		{Path: "c.jpg", Taken: time.Date(2024, 12, 31, 23, 0, 0, 0, time.UTC)}}
	var got []string
	for _, m := range photos.ByMonth(ps) {
		got = append(got, monthLabel(m))
	}
	if strings.Join(got, "|") != "June 2025|December 2024|No date" {
		t.Errorf("months %q", got)
	}
}

// TestPager: the pager shows the first and last pages and two either
// side of the current one, with a gap for the rest.
func TestPager(t *testing.T) {
	var id format.ID
	show := func(page, pages int) string {
		var b strings.Builder
		for _, l := range pager(id, page, pages) {
			switch {
			case l.N == 0:
				b.WriteString("… ")
			case l.On:
				fmt.Fprintf(&b, "[%d] ", l.N)
			default:
				fmt.Fprintf(&b, "%d ", l.N)
			}
		}
		return strings.TrimSpace(b.String())
	}
	for _, c := range []struct {
		page, pages int
		want        string
	}{{1, 2, "[1] 2"}, {7, 20, "1 … 5 6 [7] 8 9 … 20"}, {20, 20, "1 … 18 19 [20]"}, {3, 6, "1 2 [3] 4 5 6"}} {
		if got := show(c.page, c.pages); got != c.want {
			t.Errorf("page %d of %d: %q, want %q", c.page, c.pages, got, c.want)
		}
	}
	if u := pager(id, 2, 3)[0].URL; u != "/s/"+id.String()+"/photos/" {
		t.Errorf("page 1's URL is %s", u)
	}
}

// TestPhotoIndex: a list's index finds photos by content and path, is
// made again for a new list of the same root, and keeps only the last
// photos.KeepSnapshots roots.
func TestPhotoIndex(t *testing.T) {
	var x photoIndex
	ps := []photos.Photo{{Path: "a.jpg", Content: "c1"}, {Path: "b.jpg", Content: "c2"}, {Path: "copy.jpg", Content: "c1"}}
	root := format.Ref{IDs: []format.ID{{1}}}
	ix := x.lookup(root, ps)
	if p, ok := ix.content("c1"); !ok || p.Path != "a.jpg" {
		t.Errorf("c1: %v %v", p.Path, ok)
	}
	if ix.at("copy.jpg") != 2 || ix.at("nope.jpg") != -1 {
		t.Error("paths")
	}
	if x.lookup(root, ps) != ix {
		t.Error("the same list indexed twice")
	}
	other := []photos.Photo{{Path: "z.jpg", Content: "c9"}}
	if _, ok := x.lookup(root, other).content("c9"); !ok {
		t.Error("a new list of the root kept the old index")
	}
	for i := range photos.KeepSnapshots + 2 {
		x.lookup(format.Ref{IDs: []format.ID{{byte(10 + i)}}}, ps)
	}
	if len(x.roots) != photos.KeepSnapshots || len(x.order) != photos.KeepSnapshots {
		t.Errorf("%d roots kept, want %d", len(x.roots), photos.KeepSnapshots)
	}
}
