package serve_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/serve"
)

// hostileName is a path: a name cannot hold a slash, so the folder
// "<script>alert(1)<" holds "script>.vcf"; hostileFile is one name.
const (
	hostileName = "<script>alert(1)</script>.vcf"
	hostileFile = "<img src=x onerror=alert(3)>\x01.txt"
)

// hostileCard is a contact whose name is HTML.
func hostileCard(tel string) string {
	return "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:hostile-1\r\nFN:<img src=x onerror=alert(2)>Eve\r\n" +
		"N:Eve;<b>bold</b>;;;\r\nTEL:" + tel + "\r\nEND:VCARD\r\n"
}

// fixture is a repository with two snapshots of one folder: the second
// changes the hostile contact's phone number and adds a photo folder
// file.
type fixture struct {
	env    *testrepo.Env
	r      *repo.Repository
	first  *format.Snapshot
	second *format.Snapshot
	ids    [2]format.ID
	src    string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	src := filepath.Join(t.TempDir(), "phone")
	write := func(rel, data string) {
		p := filepath.Join(src, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Contacts/"+hostileName, hostileCard("+1 555 0100"))
	write("Documents/notes.txt", "first notes\n")
	write("Contacts/"+hostileFile, "x")
	write("Documents/deep/inner.txt", "inner\n")
	e := testrepo.New(t)
	b1 := e.Backup(t, src)
	write("Contacts/"+hostileName, hostileCard("+1 555 0199"))
	write("Documents/more.txt", "more\n")
	b2 := e.Backup(t, src)
	f := &fixture{env: e, r: e.Open(t, repo.AccessRead), first: b1.Snapshot, second: b2.Snapshot, src: src}
	all, _, err := f.r.Snapshots(context.Background())
	if err != nil || len(all) != 2 {
		t.Fatalf("snapshots: %d, %v", len(all), err)
	}
	f.ids = [2]format.ID{all[0].ID, all[1].ID}
	return f
}

const addr = "127.0.0.1:9"

// client serves f through httptest with a known token and returns a
// function that makes a request with the cookie (or as given).
func (f *fixture) server(t *testing.T) (*serve.Server, http.Handler) {
	t.Helper()
	s, err := serve.New(f.r, addr, serve.Options{Token: "secret-token"})
	if err != nil {
		t.Fatal(err)
	}
	return s, s.Handler()
}

func get(h http.Handler, target string, mod func(*http.Request)) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "http://"+addr+target, nil)
	req.Host = addr
	req.AddCookie(&http.Cookie{Name: "lifeboat-9", Value: "secret-token"})
	if mod != nil {
		mod(req)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// TestToken: no token and a wrong token are 403; the right token in the
// query sets an HttpOnly, SameSite=Strict cookie and redirects to the
// same address without it; the cookie then lets requests in.
func TestToken(t *testing.T) {
	f := newFixture(t)
	_, h := f.server(t)
	noCookie := func(r *http.Request) { r.Header.Del("Cookie") }
	if w := get(h, "/", noCookie); w.Code != http.StatusForbidden {
		t.Errorf("no token: %d, want 403", w.Code)
	}
	if w := get(h, "/?token=wrong", noCookie); w.Code != http.StatusForbidden {
		t.Errorf("wrong token: %d, want 403", w.Code)
	}
	w := get(h, "/timeline?host=x&token=secret-token", noCookie)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/timeline?host=x" {
		t.Fatalf("token: %d to %q, want 303 to /timeline?host=x", w.Code, w.Header().Get("Location"))
	}
	if w := get(h, "//evil.example/?token=secret-token", noCookie); w.Header().Get("Location") != "/" {
		t.Errorf("token on //evil.example/: redirects to %q, want /", w.Header().Get("Location"))
	}
	c := w.Result().Cookies()
	if len(c) != 1 || !c[0].HttpOnly || c[0].SameSite != http.SameSiteStrictMode || c[0].Value != "secret-token" {
		t.Fatalf("cookie %+v", c)
	}
	if w := get(h, "/", nil); w.Code != http.StatusOK {
		t.Errorf("with the cookie: %d, want 200", w.Code)
	}
	wrong := func(r *http.Request) {
		r.Header.Del("Cookie")
		r.AddCookie(&http.Cookie{Name: "lifeboat-9", Value: "secret-tokem"})
	}
	if w := get(h, "/", wrong); w.Code != http.StatusForbidden {
		t.Errorf("wrong cookie: %d, want 403", w.Code)
	}
}

// TestForeignHost: a Host header other than the listening address is
// refused even with the cookie (DNS rebinding), localhost with the same
// port is not.
func TestForeignHost(t *testing.T) {
	f := newFixture(t)
	_, h := f.server(t)
	for _, host := range []string{"evil.example:9", "127.0.0.1:10", "rebind.127.0.0.1.nip.io:9", ""} {
		if w := get(h, "/", func(r *http.Request) { r.Host = host }); w.Code != http.StatusForbidden {
			t.Errorf("Host %q: %d, want 403", host, w.Code)
		}
	}
	if w := get(h, "/", func(r *http.Request) { r.Host = "localhost:9" }); w.Code != http.StatusOK {
		t.Errorf("Host localhost:9: %d, want 200", w.Code)
	}
}

// TestHeaders: every response, 403 and 404 included, carries the CSP
// that allows no other origin, nosniff, no referrer, and no-store.
func TestHeaders(t *testing.T) {
	f := newFixture(t)
	_, h := f.server(t)
	for _, target := range []string{"/", "/nothing", "/static/style.css", "/s/" + f.ids[0].String() + "/files/"} {
		for _, mod := range []func(*http.Request){nil, func(r *http.Request) { r.Header.Del("Cookie") }} {
			w := get(h, target, mod)
			hd := w.Header()
			csp := hd.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") ||
				!strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "http") || strings.Contains(csp, "*") {
				t.Errorf("%s (%d): CSP %q", target, w.Code, csp)
			}
			if hd.Get("X-Content-Type-Options") != "nosniff" || hd.Get("Referrer-Policy") != "no-referrer" ||
				hd.Get("Cache-Control") != "no-store" {
				t.Errorf("%s (%d): headers %v", target, w.Code, hd)
			}
		}
	}
}

// TestPathsLeavingTheSnapshot: dot segments plain or encoded, encoded
// slashes and backslashes, NULs, absolute paths and names not in the tree
// are 404, never a file.
func TestPathsLeavingTheSnapshot(t *testing.T) {
	f := newFixture(t)
	_, h := f.server(t)
	base := "/s/" + f.ids[1].String()
	if w := get(h, base+"/files/Documents/notes.txt", nil); w.Code != http.StatusOK || w.Body.String() != "first notes\n" {
		t.Fatalf("a file in the tree: %d %q", w.Code, w.Body.String())
	}
	for _, p := range []string{
		"/files/Documents/../Documents/notes.txt", "/files/../../etc/passwd", "/files/%2e%2e/%2e%2e/etc/passwd",
		"/files/Documents/%2E%2E/Documents/notes.txt", "/files/Documents%2fnotes.txt", "/files/Documents%2Fnotes.txt",
		"/files/Documents%5cnotes.txt", "/files//etc/passwd", "/files/%2fetc%2fpasswd", "/files/Documents/notes.txt%00",
		"/files/./Documents/notes.txt", "/files/Documents/nope.txt", "/files/etc/passwd", "/zip/../Documents",
		"/zip/%2e%2e", "/zip/Documents/notes.txt", "/files/Documents/notes.txt/x",
	} {
		w := get(h, base+p, nil)
		if w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, w.Code)
		}
		if strings.Contains(w.Body.String(), "first notes") || strings.Contains(w.Body.String(), "root:") {
			t.Errorf("%s: served content", p)
		}
	}
	for _, p := range []string{"/s/" + strings.Repeat("0", 64) + "/files/", "/s/../files/", "/s/abc/files/"} {
		if w := get(h, p, nil); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, w.Code)
		}
	}
}

// TestHostileNamesEscaped: files named with HTML and a control character
// (Contacts/<script>alert(1)</script>.vcf, a folder and a file) and a
// contact whose name is HTML appear escaped on the files, timeline and
// diff pages.
func TestHostileNamesEscaped(t *testing.T) {
	f := newFixture(t)
	_, h := f.server(t)
	files := get(h, "/s/"+f.ids[1].String()+"/files/Contacts/", nil)
	inner := get(h, "/s/"+f.ids[1].String()+"/files/Contacts/%3Cscript%3Ealert%281%29%3C/", nil)
	diff := get(h, "/diff?a="+f.ids[0].String()+"&b="+f.ids[1].String(), nil)
	for name, w := range map[string]*httptest.ResponseRecorder{"files": files, "inner": inner, "diff": diff} {
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", name, w.Code, body)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "<img src=x") || strings.Contains(body, "\x01") {
			t.Errorf("%s page holds raw HTML from the snapshot:\n%s", name, body)
		}
	}
	if !strings.Contains(files.Body.String(), "&lt;script&gt;alert(1)&lt;/</a>") ||
		!strings.Contains(files.Body.String(), "&lt;img src=x onerror=alert(3)&gt;") {
		t.Errorf("files page does not show the names escaped:\n%s", files.Body.String())
	}
	if !strings.Contains(inner.Body.String(), "script&gt;.vcf</a>") {
		t.Errorf("the folder's page does not show script>.vcf escaped:\n%s", inner.Body.String())
	}
	if !strings.Contains(diff.Body.String(), "&lt;img src=x onerror=alert(2)&gt;Eve") || !strings.Contains(diff.Body.String(), "TEL") {
		t.Errorf("diff page does not show the contact escaped with its changed TEL:\n%s", diff.Body.String())
	}
	// The file downloads by its escaped URL, as stored; the same with
	// the slash encoded is refused.
	w := get(h, "/s/"+f.ids[1].String()+"/files/Contacts/%3Cscript%3Ealert%281%29%3C/script%3E.vcf", nil)
	if w.Code != http.StatusOK || w.Body.String() != hostileCard("+1 555 0199") {
		t.Errorf("the hostile card by its path: %d %q", w.Code, w.Body.String())
	}
	w = get(h, "/s/"+f.ids[1].String()+"/files/Contacts/%3Cscript%3Ealert%281%29%3C%2Fscript%3E.vcf", nil)
	if w.Code != http.StatusNotFound {
		t.Errorf("a name with an encoded slash: %d, want 404", w.Code)
	}
}

// TestPages: the overview shows the source's counts, the timeline both
// snapshots with the change, the files page the folder; a folder zip
// holds the folder's files byte for byte as restore writes them.
func TestPages(t *testing.T) {
	f := newFixture(t)
	_, h := f.server(t)
	over := get(h, "/", nil)
	if over.Code != http.StatusOK || !strings.Contains(over.Body.String(), f.src) ||
		!strings.Contains(over.Body.String(), `<dd class="n-contacts">1</dd>`) {
		t.Errorf("overview: %d\n%s", over.Code, over.Body.String())
	}
	tl := get(h, "/timeline?host="+f.second.Host+"&source="+f.src, nil)
	if tl.Code != http.StatusOK || !strings.Contains(tl.Body.String(), "1 contact changed") ||
		!strings.Contains(tl.Body.String(), f.ids[0].Short()) || !strings.Contains(tl.Body.String(), "first snapshot") {
		t.Errorf("timeline: %d\n%s", tl.Code, tl.Body.String())
	}
	if w := get(h, "/timeline?host=nobody&source=none", nil); w.Code != http.StatusNotFound {
		t.Errorf("timeline of no source: %d", w.Code)
	}
	w := get(h, "/s/"+f.ids[1].String()+"/zip/Documents", nil)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/zip" {
		t.Fatalf("zip: %d %s", w.Code, w.Body.String())
	}
	restored := f.env.Restore(t, f.ids[1])
	got := unzip(t, w.Body.Bytes())
	want := map[string][]byte{}
	filepath.WalkDir(filepath.Join(restored, "Documents"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(restored, p)
			want[filepath.ToSlash(rel)], _ = os.ReadFile(p)
		}
		return err
	})
	if len(got) != len(want) || len(want) != 3 {
		t.Errorf("zip holds %d files, restore %d", len(got), len(want))
	}
	for name, b := range want {
		if !bytes.Equal(got[name], b) {
			t.Errorf("%s: zip and restore differ", name)
		}
	}
}

// TestKit: the kit zip holds what export writes: contacts.vcf with the
// snapshot's one card.
func TestKit(t *testing.T) {
	f := newFixture(t)
	_, h := f.server(t)
	w := get(h, "/s/"+f.ids[1].String()+"/kit.zip", nil)
	if w.Code != http.StatusOK {
		t.Fatalf("kit: %d", w.Code)
	}
	got := unzip(t, w.Body.Bytes())
	if c := string(got["contacts.vcf"]); strings.Count(c, "BEGIN:VCARD") != 1 || !strings.Contains(c, "+1 555 0199") {
		t.Errorf("kit contacts.vcf: %q (entries %d)", c, len(got))
	}
}

func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestAlarmStandsOut: a snapshot that found a mass deletion (a whole
// address book of 12 contacts gone) is marked on the overview and the
// timeline, and its diff lists every contact removed.
func TestAlarmStandsOut(t *testing.T) {
	src := filepath.Join(t.TempDir(), "phone")
	os.MkdirAll(filepath.Join(src, "Contacts"), 0o755)
	var cards strings.Builder
	for i := range 12 {
		cards.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c" + string(rune('a'+i)) + "\r\nFN:Person " +
			string(rune('A'+i)) + "\r\nTEL:+1 555 01" + string(rune('0'+i%10)) + string(rune('0'+i/10)) + "\r\nEND:VCARD\r\n")
	}
	book := filepath.Join(src, "Contacts", "all.vcf")
	os.WriteFile(book, []byte(cards.String()), 0o644)
	os.WriteFile(filepath.Join(src, "notes.txt"), []byte("x"), 0o644)
	e := testrepo.New(t)
	e.Backup(t, src)
	os.Remove(book)
	if res := e.Backup(t, src); res.Alarm == nil {
		t.Fatal("the second backup raised no alarm")
	}
	r := e.Open(t, repo.AccessRead)
	s, err := serve.New(r, addr, serve.Options{Token: "secret-token"})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	over := get(h, "/", nil).Body.String()
	if !strings.Contains(over, `class="card source alarm"`) || !strings.Contains(over, "mass deletion") ||
		!strings.Contains(over, "Needs a look") {
		t.Errorf("overview does not mark the alarm:\n%s", over)
	}
	tl := get(h, "/timeline?host="+hostOf(t, r)+"&source="+src, nil).Body.String()
	if strings.Count(tl, `<tr class="alarm">`) != 1 || !strings.Contains(tl, "12 contacts removed") {
		t.Errorf("timeline does not mark the alarm snapshot:\n%s", tl)
	}
}

func hostOf(t *testing.T, r *repo.Repository) string {
	all, _, err := r.Snapshots(context.Background())
	if err != nil || len(all) == 0 {
		t.Fatal(err)
	}
	return all[0].Host
}
