package serve

import (
	"archive/zip"
	"fmt"
	"log"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/lifeboat-backup/lifeboat/export"
	"github.com/lifeboat-backup/lifeboat/format"
)

// filesBody is one folder of a snapshot, as ls shows it.
type filesBody struct {
	// Path is the folder's slash path ("" for the root); Crumbs lead to it.
	Path           string
	Crumbs         []crumb
	Entries        []entry
	Folders, Files int
	Bytes          uint64
}

type crumb struct{ Name, Path string }

type entry struct {
	Name, Path string
	Node       format.Node
	Dir, Link  bool
}

// files shows a folder, or sends a file as stored.
func (s *Server) files(w http.ResponseWriter, req *http.Request, sv *snapView) {
	rel := req.PathValue("path")
	n, err := s.lookup(req.Context(), sv.Snapshot, rel)
	if err != nil {
		s.fail(w, err)
		return
	}
	rel = strings.TrimSuffix(rel, "/")
	switch n.Type {
	case format.NodeFile:
		s.download(w, req, n)
		return
	case format.NodeSymlink:
		s.fail(w, errNotFound)
		return
	}
	nodes, err := s.dirs.load(req.Context(), s.r, n.Content)
	if err != nil {
		s.fail(w, err)
		return
	}
	body := filesBody{Path: rel}
	if rel != "" {
		parts := strings.Split(rel, "/")
		for i := range parts {
			body.Crumbs = append(body.Crumbs, crumb{Name: parts[i], Path: strings.Join(parts[:i+1], "/")})
		}
	}
	for _, nd := range nodes {
		e := entry{Name: nd.Name, Path: path.Join(rel, nd.Name), Node: nd,
			Dir: nd.Type == format.NodeDir, Link: nd.Type == format.NodeSymlink}
		if e.Dir {
			body.Folders++
		} else {
			body.Files++
			body.Bytes += nd.Size
		}
		body.Entries = append(body.Entries, e)
	}
	title := "Files"
	if rel != "" {
		title = path.Base(rel)
	}
	s.render(w, "files", http.StatusOK, sv.view(title, "files", body))
}

// attachment sets the headers of a download named name.
func attachment(w http.ResponseWriter, name, ctype string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
}

// download sends one file's bytes as they were stored.
func (s *Server) download(w http.ResponseWriter, req *http.Request, n format.Node) {
	attachment(w, n.Name, "application/octet-stream")
	if n.Seal == nil {
		w.Header().Set("Content-Length", fmt.Sprint(n.Size))
	}
	if err := s.r.WriteFile(req.Context(), w, n); err != nil {
		// The status line is sent: cut the response short, so that the
		// browser does not keep a truncated file as whole.
		log.Printf("lifeboat serve: %s: %v", n.Name, err)
		panic(http.ErrAbortHandler)
	}
}

// folderZip streams a folder as a zip, each file as restore writes it,
// straight to the response: nothing lands on disk.
func (s *Server) folderZip(w http.ResponseWriter, req *http.Request, sv *snapView) {
	rel := strings.TrimSuffix(req.PathValue("path"), "/")
	n, err := s.lookup(req.Context(), sv.Snapshot, rel)
	if err == nil && n.Type != format.NodeDir {
		err = errNotFound
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	base := path.Base(rel)
	if rel == "" {
		base = zipName(sv.Source)
	}
	attachment(w, base+"-"+sv.ID.Short()+".zip", "application/zip")
	zw := zip.NewWriter(w)
	err = s.r.Walk(req.Context(), n.Content, func(p string, nd format.Node) error {
		name := base + "/" + p
		switch nd.Type {
		case format.NodeDir:
			h := &zip.FileHeader{Name: name + "/", Modified: nd.MTime.Time()}
			h.SetMode(0o700 | 1<<31) // fs.ModeDir
			_, err := zw.CreateHeader(h)
			return err
		case format.NodeFile:
			h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: nd.MTime.Time()}
			h.SetMode(0o600)
			fw, err := zw.CreateHeader(h)
			if err != nil {
				return err
			}
			return s.r.WriteFile(req.Context(), fw, nd)
		}
		return nil // symlinks: a zip has no portable form for them
	})
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		log.Printf("lifeboat serve: zip of %s: %v", rel, err)
		panic(http.ErrAbortHandler)
	}
}

// zipName makes a source's name a file name: its last path element.
func zipName(source string) string {
	name := path.Base(strings.TrimRight(strings.ReplaceAll(source, `\`, "/"), "/"))
	if !format.ValidName(name) || strings.ContainsAny(name, ":") {
		return "snapshot"
	}
	return name
}

// kit streams the phone-reset kit of a snapshot, what 'lifeboat export'
// writes, as a zip.
func (s *Server) kit(w http.ResponseWriter, req *http.Request, sv *snapView) {
	attachment(w, "lifeboat-kit-"+sv.ID.Short()+".zip", "application/zip")
	zw := zip.NewWriter(w)
	_, err := export.Run(req.Context(), s.r, sv.Snapshot, export.Options{Sink: export.ZipSink{W: zw},
		Contacts: true, Calendars: true, Photos: true})
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		log.Printf("lifeboat serve: kit of %s: %v", sv.ID.Short(), err)
		panic(http.ErrAbortHandler)
	}
}
