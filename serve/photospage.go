package serve

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"path"
	"slices"
	"strconv"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/media"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/serve/photos"
	"github.com/lifeboat-backup/lifeboat/serve/thumb"
)

// Sizes of the photo pages.
const (
	// photosPer is how many photos a page of the grid shows.
	photosPer = 200
	// largeMax is the longest side of the picture the photo page shows.
	largeMax = 1600
)

// photosBody is one page of the photo grid.
type photosBody struct {
	Months         []monthView
	Photos, Videos int
	Page, Pages    int
	Newer, Older   string // the previous and next page's URLs, "" for none
	Pager          []pageLink
}

// monthView is a month's heading and its tiles; Continued when the
// month began on the page before.
type monthView struct {
	Label     string
	Continued bool
	Tiles     []tile
}

// tile is one photo of the grid: its page and its thumbnail.
type tile struct {
	photos.Photo
	View, Thumb string
}

// pageLink is one entry of the pager: a page number, or a gap (N 0).
type pageLink struct {
	N   int
	URL string
	On  bool
}

func photoBase(id format.ID) string { return "/s/" + id.String() + "/photos/" }

func photoViewURL(id format.ID, p string) string { return photoBase(id) + "view/" + escapePath(p) }

func photoPageURL(id format.ID, page int) string {
	if page <= 1 {
		return photoBase(id)
	}
	return photoBase(id) + "?page=" + strconv.Itoa(page)
}

// monthLabel is a month's heading: "June 2025", or "No date".
func monthLabel(m photos.Month) string {
	if m.Year == 0 {
		return "No date"
	}
	return fmt.Sprintf("%s %d", m.Month, m.Year)
}

// photoList lists the photos of the snapshot a page shows.
func (s *Server) photoList(ctx context.Context, sv *snapView) ([]photos.Photo, error) {
	return s.photos.Photos(ctx, sv.Root.Content)
}

// photoGrid shows the photos of a snapshot by month, a page at a time
// (?page=N, from 1).
func (s *Server) photoGrid(w http.ResponseWriter, req *http.Request, sv *snapView) {
	page := 1
	if q := req.URL.Query().Get("page"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 {
			s.fail(w, errNotFound)
			return
		}
		page = n
	}
	ps, err := s.photoList(req.Context(), sv)
	if err != nil {
		s.fail(w, err)
		return
	}
	pages := max(photos.Pages(len(ps), photosPer), 1)
	if page > pages {
		s.fail(w, errNotFound)
		return
	}
	id := sv.ID
	body := photosBody{Page: page, Pages: pages}
	for _, p := range ps {
		if p.Video {
			body.Videos++
		} else {
			body.Photos++
		}
	}
	shown := photos.Page(ps, page, photosPer)
	for i, m := range photos.ByMonth(shown) {
		mv := monthView{Label: monthLabel(m)}
		if i == 0 && page > 1 {
			before := photos.ByMonth(ps[(page-1)*photosPer-1 : (page-1)*photosPer])[0]
			mv.Continued = before.Year == m.Year && before.Month == m.Month
		}
		for _, p := range m.Photos {
			mv.Tiles = append(mv.Tiles, tile{Photo: p, View: photoViewURL(id, p.Path), Thumb: photoBase(id) + "thumb/" + p.Content})
		}
		body.Months = append(body.Months, mv)
	}
	if page > 1 {
		body.Newer = photoPageURL(id, page-1)
	}
	if page < pages {
		body.Older = photoPageURL(id, page+1)
	}
	if pages > 1 {
		body.Pager = pager(id, page, pages)
	}
	s.render(w, "photos", http.StatusOK, sv.view("Photos", "photos", body))
}

// pager lists the first and last pages, and those near page, with gaps.
func pager(id format.ID, page, pages int) []pageLink {
	var out []pageLink
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= page-2 && n <= page+2) {
			out = append(out, pageLink{N: n, URL: photoPageURL(id, n), On: n == page})
		} else if len(out) > 0 && out[len(out)-1].N != 0 {
			out = append(out, pageLink{})
		}
	}
	return out
}

// photoThumb sends the picture of the photo whose content key the URL
// names, at most size pixels on its longest side: a thumbnail made once
// and kept in memory, or a placeholder (a video, a file that cannot be
// shown small or read), never an error page for a photo of the snapshot.
func (s *Server) photoThumb(size int) snapHandler {
	return func(w http.ResponseWriter, req *http.Request, sv *snapView) {
		ps, err := s.photoList(req.Context(), sv)
		if err != nil {
			s.fail(w, err)
			return
		}
		p, ok := s.photoIdx.lookup(sv.Root.Content, ps).content(req.PathValue("content"))
		if !ok {
			s.fail(w, errNotFound)
			return
		}
		t, err := photos.Thumb(req.Context(), s.r, s.thumbs, p, size)
		if err != nil {
			if req.Context().Err() != nil {
				return // the browser went away (scrolled past): no one to answer
			}
			log.Printf("lifeboat serve: thumbnail of %s: %v", p.Path, err)
			t = thumb.Thumb{Data: thumb.Placeholder("broken"), Type: thumb.PlaceholderType}
		}
		w.Header().Set("Content-Type", t.Type)
		w.Header().Set("Content-Length", strconv.Itoa(len(t.Data)))
		w.Write(t.Data)
	}
}

// photoBody is the page of one photo.
type photoBody struct {
	photos.Photo
	Index, Total                    int
	Picture, Download, Folder, Back string
	Newer, Older                    string
	Taken, From, Size               string
	Held                            []heldView
	HeldErr                         string
}

// heldView is a snapshot that holds the photo's bytes.
type heldView struct {
	ID           format.ID
	Time         time.Time
	Host, Source string
	Path         string
	URL          string
	This         bool
}

// dateFrom says where a photo's date came from, for people.
var dateFrom = map[string]string{
	media.SourceEXIF:    "EXIF (the camera's own record)",
	media.SourceSidecar: "the Google Takeout sidecar (.json)",
	media.SourceVideo:   "the video's own header",
	media.SourceICloud:  "iCloud's Photo Details.csv",
	media.SourceMTime:   "the file's modification time only (not a capture date)",
}

// photoView shows one photo larger, with its date, size and the
// snapshots that hold the same bytes.
func (s *Server) photoView(w http.ResponseWriter, req *http.Request, sv *snapView) {
	rel := req.PathValue("path")
	ps, err := s.photoList(req.Context(), sv)
	if err != nil {
		s.fail(w, err)
		return
	}
	i := s.photoIdx.lookup(sv.Root.Content, ps).at(rel)
	if i < 0 {
		s.fail(w, errNotFound)
		return
	}
	p, id := ps[i], sv.ID
	b := photoBody{Photo: p, Index: i + 1, Total: len(ps), Size: humanBytes(uint64(p.Size)),
		Picture: photoBase(id) + "large/" + p.Content, Download: "/s/" + id.String() + "/files/" + escapePath(p.Path),
		Back: photoPageURL(id, i/photosPer+1), From: dateFrom[p.DateFrom], Taken: "unknown"}
	if p.Video {
		b.Picture = photoBase(id) + "thumb/" + p.Content
	}
	b.Folder = "/s/" + id.String() + "/files/"
	if dir := path.Dir(p.Path); dir != "." {
		b.Folder += escapePath(dir) + "/"
	}
	if !p.Taken.IsZero() {
		b.Taken = p.Taken.UTC().Format("Monday 2 January 2006, 15:04:05")
	}
	if b.From == "" {
		b.From = "nothing: no date is known"
	}
	if i > 0 {
		b.Newer = photoViewURL(id, ps[i-1].Path)
	}
	if i+1 < len(ps) {
		b.Older = photoViewURL(id, ps[i+1].Path)
	}
	b.Held, err = s.holders(req.Context(), sv, p.Content)
	if err != nil {
		if req.Context().Err() != nil {
			return
		}
		b.HeldErr = err.Error()
	}
	s.render(w, "photo", http.StatusOK, sv.view(p.Name, "photos", b))
}

// holders lists the snapshots, newest first, that hold a content key.
func (s *Server) holders(ctx context.Context, sv *snapView, content string) ([]heldView, error) {
	all, _, err := s.snaps.list(ctx)
	if err != nil {
		return nil, err
	}
	all = slices.Clone(all)
	slices.SortStableFunc(all, func(a, b repo.SnapshotInfo) int {
		switch {
		case repo.Older(b, a):
			return -1
		case repo.Older(a, b):
			return 1
		}
		return 0
	})
	held, err := photos.Holding(ctx, cachedDirs{s}, all, content)
	if err != nil {
		return nil, err
	}
	byID := map[format.ID]repo.SnapshotInfo{}
	for _, sn := range all {
		byID[sn.ID] = sn
	}
	var out []heldView
	for _, h := range held {
		sn := byID[h.ID]
		out = append(out, heldView{ID: h.ID, Time: sn.Time, Host: sn.Host, Source: sn.Source, Path: h.Path,
			URL: photoViewURL(h.ID, h.Path), This: h.ID == sv.ID})
	}
	return out, nil
}

// cachedDirs loads trees through the server's cache (photos.Dirs).
type cachedDirs struct{ s *Server }

func (c cachedDirs) LoadDir(ctx context.Context, ref format.Ref) ([]format.Node, error) {
	return c.s.dirs.load(ctx, c.s.r, ref)
}
