package serve

import (
	"io/fs"
	"net/http"
)

// routes lists every page. Contacts, Calendar and Photos are placeholders
// ("coming"): each is one handler of the snapHandler form, to be replaced
// by the page built on serve/records and serve/photos.
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
	// The lead's pages: replace s.coming with the real handlers.
	m.HandleFunc("GET /s/{id}/contacts/{rest...}", s.snap(s.coming("contacts", "Contacts")))
	m.HandleFunc("GET /s/{id}/calendar/{rest...}", s.snap(s.coming("calendar", "Calendar")))
	m.HandleFunc("GET /s/{id}/photos/{rest...}", s.snap(s.coming("photos", "Photos")))
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

// coming is the placeholder of a page not built yet.
func (s *Server) coming(tab, title string) snapHandler {
	return func(w http.ResponseWriter, req *http.Request, sv *snapView) {
		s.render(w, "coming", http.StatusOK, sv.view(title, tab, title))
	}
}
