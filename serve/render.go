package serve

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/status"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages are the parsed templates, one set per page: the layout and the
// page's "content".
type pages struct{ byName map[string]*template.Template }

func loadPages() (*pages, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue // the layout and the parts pages share (_history.html)
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// view is what the layout shows around a page: the title, the source and
// snapshot in the header, which tab is open.
type view struct {
	Title string
	// Host and Source name the source being looked at ("" on the overview).
	Host, Source string
	// Snap is the snapshot being looked at, if any.
	Snap *repo.SnapshotInfo
	// Tab is the nav entry to mark: overview, timeline, files, contacts,
	// calendar, photos, diff.
	Tab string
	// Body is the page's own data.
	Body any
}

// render writes a page, or a 500 page if the template fails (before
// anything was sent).
func (s *Server) render(w http.ResponseWriter, name string, status int, v view) {
	t := s.pages.byName[name]
	if t == nil {
		http.Error(w, "no template "+name, http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		log.Printf("lifeboat serve: template %s: %v", name, err)
		http.Error(w, "the page could not be made", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail answers an error: 404 for what is not there, else a 500 page that
// says what went wrong (the repository said it, not the request).
func (s *Server) fail(w http.ResponseWriter, err error) {
	if errors.Is(err, errNotFound) {
		s.render(w, "error", http.StatusNotFound, view{Title: "Not found", Body: "There is nothing at this address."})
		return
	}
	s.render(w, "error", http.StatusInternalServerError, view{Title: "Error", Body: err.Error()})
}

// escapePath percent-encodes each segment of a slash path.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// sourceQuery is the query naming one host's source.
func sourceQuery(host, source string) string {
	return url.Values{"host": {host}, "source": {source}}.Encode()
}

var funcs = template.FuncMap{
	"clean": clean,
	"short": func(id format.ID) string { return id.Short() },
	"when":  func(t time.Time) string { return t.Local().Format("2006-01-02 15:04") },
	"ago": func(t time.Time) string {
		return status.AgeString(time.Since(t))
	},
	"bytes": humanBytes,
	"plural": func(n any, noun string) string {
		var c uint64
		switch v := n.(type) {
		case int:
			c = uint64(v)
		case uint64:
			c = v
		case uint32:
			c = uint64(v)
		}
		if c == 1 {
			return "1 " + noun
		}
		return fmt.Sprintf("%d %ss", c, noun)
	},
	"filesURL": func(id format.ID, p string) string {
		u := "/s/" + id.String() + "/files/"
		if p != "" {
			u += escapePath(p)
		}
		return u
	},
	"zipURL": func(id format.ID, p string) string {
		if p == "" {
			return "/s/" + id.String() + "/zip/"
		}
		return "/s/" + id.String() + "/zip/" + escapePath(p)
	},
	"snapURL": func(id format.ID, page string) string { return "/s/" + id.String() + "/" + page },
	"timelineURL": func(host, source string) string {
		return "/timeline?" + sourceQuery(host, source)
	},
	"diffURL":    func(a, b format.ID) string { return "/diff?a=" + a.String() + "&b=" + b.String() },
	"initials":   initials,
	"fieldTitle": fieldTitle,
	"hideField":  hideField,
	"opClass":    opClass,
	"fields":     shownFields,
}

// humanBytes formats a byte count for people.
func humanBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// clean writes each control character of s (a newline, a terminal
// escape, a bidirectional override that would show a name backwards) as
// its Go escape, so that what a page shows is what the name holds.
func clean(s string) string {
	bad := func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }
	if !strings.ContainsFunc(s, bad) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if bad(r) {
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
