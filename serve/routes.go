package serve

import (
	"io/fs"
	"net/http"

	"github.com/lifeboat-backup/lifeboat/serve/thumb"
)

// routes lists every page:
//
//	GET /                          overview (status.Report, each source's newest snapshot)
//	GET /timeline?host=H&source=S  a source's snapshots, each diffed against its parent
//	GET /diff?a=ID&b=ID            two snapshots of one source (a: b's parent if left out)
//	GET /s/ID/                     redirects to the snapshot's files
//	GET /s/ID/files/PATH           a folder as ls shows it, or a file as stored
//	GET /s/ID/zip/PATH             a folder as a zip, streamed
//	GET /s/ID/kit.zip              the phone-reset kit (export), streamed
//	GET /s/ID/contacts/?q=WORDS    the contacts, or those matching q (records.Search)
//	GET /s/ID/contacts/CONTACT     one card, every field, its history
//	GET /s/ID/contacts/CONTACT.vcf the card's bytes as stored
//	GET /s/ID/calendar/?month=Y-M  a month's agenda (default: the snapshot's), the to-dos
//	GET /s/ID/calendar/event/EVENT one event, every field, its history
//	GET /s/ID/calendar/event/EVENT.ics the event as a calendar file
//	GET /s/ID/photos/?page=N       the photos by month, 200 a page
//	GET /s/ID/photos/thumb/CONTENT a photo's thumbnail (CONTENT: photos.ContentKey)
//	GET /s/ID/photos/large/CONTENT the photo at most 1600 px
//	GET /s/ID/photos/view/PATH     one photo: date, size, the snapshots holding it
//	GET /static/...                the embedded CSS and icon
//
// ID is a snapshot's full id; CONTACT and EVENT are records' ids. To add
// a page: write a snapHandler (sv is the snapshot the URL names, already
// found; s.r the repository, s.lookup a path in it, s.dirs.load a
// folder), render it with s.render(w, "NAME", http.StatusOK,
// sv.view(title, tab, body)) and a templates/NAME.html that defines
// "content" (the layout, nav and header come with it; .Body is body; use
// clean on every name or field shown), and route it below; every route
// gets the token, Host, header and path checks of secure.
func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /{$}", s.overview)
	m.HandleFunc("GET /timeline", s.timeline)
	m.HandleFunc("GET /diff", s.diff)
	m.HandleFunc("GET /s/{id}/{$}", s.snap(s.snapHome))
	m.HandleFunc("GET /s/{id}/files/{path...}", s.snap(s.files))
	m.HandleFunc("GET /s/{id}/zip/{path...}", s.snap(s.folderZip))
	m.HandleFunc("GET /s/{id}/kit.zip", s.snap(s.kit))
	m.HandleFunc("GET /s/{id}/contacts/{$}", s.snap(s.contactList))
	m.HandleFunc("GET /s/{id}/contacts/{cid}", s.snap(s.contactCard))
	m.HandleFunc("GET /s/{id}/calendar/{$}", s.snap(s.calendarMonth))
	m.HandleFunc("GET /s/{id}/calendar/event/{eid}", s.snap(s.calendarEvent))
	m.HandleFunc("GET /s/{id}/photos/{$}", s.snap(s.photoGrid))
	m.HandleFunc("GET /s/{id}/photos/thumb/{content}", s.snap(s.photoThumb(thumb.DefaultMax)))
	m.HandleFunc("GET /s/{id}/photos/large/{content}", s.snap(s.photoThumb(largeMax)))
	m.HandleFunc("GET /s/{id}/photos/view/{path...}", s.snap(s.photoView))
	m.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) { s.fail(w, errNotFound) })
	s.mux = m
}

// snapHandler is a page of one snapshot: the snapshot the URL's {id}
// names is found first (404 if none), then the handler runs with it.
type snapHandler func(w http.ResponseWriter, req *http.Request, sv *snapView)

// snap turns a snapHandler into an http.HandlerFunc.
func (s *Server) snap(h snapHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		sn, err := s.snapshot(req.Context(), req.PathValue("id"))
		if err != nil {
			s.fail(w, err)
			return
		}
		h(w, req, &snapView{SnapshotInfo: sn})
	}
}

// snapHome opens a snapshot on its files.
func (s *Server) snapHome(w http.ResponseWriter, req *http.Request, sv *snapView) {
	http.Redirect(w, req, "/s/"+sv.ID.String()+"/files/", http.StatusSeeOther)
}
