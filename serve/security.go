package serve

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/serve/safepath"
)

// csp forbids every origin but the server's own, inline scripts and
// styles, framing, and forms posting elsewhere.
const csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// secure wraps h: the headers every response carries, then the Host
// check (DNS rebinding), the token, and the path check.
func (s *Server) secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cache-Control", "no-store")
		hd.Set("X-Frame-Options", "DENY")
		if !s.hostAllowed(req.Host) {
			http.Error(w, "forbidden: this server answers only at the address it printed", http.StatusForbidden)
			return
		}
		if !s.authorized(w, req) {
			return
		}
		if !safepath.Safe(req.URL) {
			http.NotFound(w, req)
			return
		}
		h.ServeHTTP(w, req)
	})
}

// hostAllowed reports whether a Host header names the listening address.
func (s *Server) hostAllowed(host string) bool {
	if s.hosts[host] {
		return true
	}
	if s.anyIPHost == "" {
		return false
	}
	h, port, err := net.SplitHostPort(host)
	return err == nil && port == s.anyIPHost && net.ParseIP(h) != nil
}

// authorized checks the cookie, or the token in the query: a right token
// sets the cookie and redirects to the same URL without it (so it does not
// stay in the address bar or the history). It answers 403 itself.
func (s *Server) authorized(w http.ResponseWriter, req *http.Request) bool {
	if c, err := req.Cookie(s.cookie); err == nil && s.same(c.Value) {
		return true
	}
	q := req.URL.Query()
	if t := q.Get("token"); t != "" && s.same(t) && req.Method == http.MethodGet {
		http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: s.token, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Expires: time.Now().Add(30 * 24 * time.Hour)})
		q.Del("token")
		u := url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: q.Encode()}
		to := u.String()
		if !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") || !safepath.Safe(&u) {
			to = "/" // never elsewhere: "//host" would be another site
		}
		http.Redirect(w, req, to, http.StatusSeeOther)
		return false
	}
	http.Error(w, "forbidden: open the URL that 'lifeboat serve' printed (it carries the token)", http.StatusForbidden)
	return false
}

func (s *Server) same(t string) bool {
	return subtle.ConstantTimeCompare([]byte(t), []byte(s.token)) == 1
}
