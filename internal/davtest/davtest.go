// Package davtest starts real CardDAV/CalDAV servers on loopback for
// tests: Radicale (Debian python3-radicale, with a user and password) and
// Xandikos (Debian xandikos, no authentication). Without them the test is
// skipped, unless LIFEBOAT_REQUIRE_INTEGRATION=1.
package davtest

import (
	"bytes"
	"fmt"
	"github.com/lifeboat-backup/lifeboat/internal/loopback"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Server is a running CardDAV/CalDAV server with one address book and one
// calendar.
type Server struct {
	Name         string // "radicale" or "xandikos"
	Base         string // http://127.0.0.1:PORT
	User         string
	Password     string // "" for Xandikos
	PasswordFile string // a 0600 file holding Password
	AddressBook  string // collection path, ending in "/"
	Calendar     string
	DataDir      string
	cmd          *exec.Cmd
	logf         *os.File
	stopped      bool
}

func unavailable(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
		t.Fatalf("%s unavailable with LIFEBOAT_REQUIRE_INTEGRATION=1", what)
	}
	t.Skipf("%s unavailable; skipping", what)
}

// Radicale starts Radicale with user "me" and a password.
func Radicale(t testing.TB) *Server {
	t.Helper()
	const py = "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil || exec.Command(py, "-c", "import radicale").Run() != nil {
		unavailable(t, "Radicale (Debian python3-radicale)")
	}
	dir := t.TempDir()
	port := loopback.FreePort(t)
	s := &Server{Name: "radicale", Base: fmt.Sprintf("http://127.0.0.1:%d", port), User: "me",
		Password: "s3cret-pass", DataDir: filepath.Join(dir, "collections")}
	must(t, os.WriteFile(filepath.Join(dir, "users"), []byte("me:s3cret-pass\n"), 0o600))
	s.PasswordFile = filepath.Join(dir, "password")
	must(t, os.WriteFile(s.PasswordFile, []byte("s3cret-pass\n"), 0o600))
	cfg := fmt.Sprintf(`[server]
hosts = 127.0.0.1:%d
[auth]
type = htpasswd
htpasswd_filename = %s/users
htpasswd_encryption = plain
delay = 0
[storage]
filesystem_folder = %s
[rights]
type = owner_only
[logging]
level = warning
`, port, dir, s.DataDir)
	must(t, os.WriteFile(filepath.Join(dir, "config"), []byte(cfg), 0o600))
	s.start(t, dir, py, "-m", "radicale", "-C", filepath.Join(dir, "config"))
	s.AddressBook, s.Calendar = "/me/contacts/", "/me/calendar/"
	s.mkcol(t, s.AddressBook, `<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype><d:displayname>Contacts</d:displayname></d:prop></d:set></d:mkcol>`, "MKCOL")
	s.mkcol(t, s.Calendar, `<c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>Calendar</d:displayname><c:supported-calendar-component-set><c:comp name="VEVENT"/><c:comp name="VTODO"/></c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>`, "MKCALENDAR")
	return s
}

// Xandikos starts Xandikos with its default address book and calendar.
func Xandikos(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("xandikos")
	if err != nil {
		unavailable(t, "Xandikos (Debian xandikos)")
	}
	dir := t.TempDir()
	port := loopback.FreePort(t)
	s := &Server{Name: "xandikos", Base: fmt.Sprintf("http://127.0.0.1:%d", port), User: "user",
		DataDir: filepath.Join(dir, "data"), AddressBook: "/user/contacts/addressbook/", Calendar: "/user/calendars/calendar/"}
	s.start(t, dir, bin, "-d", s.DataDir, "--defaults", "-l", "127.0.0.1", "-p", fmt.Sprint(port))
	return s
}

func (s *Server) start(t testing.TB, dir, bin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	must(t, err)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	must(t, cmd.Start())
	s.cmd, s.logf = cmd, logf
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("%s log:\n%s", s.Name, b)
		}
		logf.Close()
	})
	loopback.Wait(t, s.Name, strings.TrimPrefix(s.Base, "http://"))
}

// Stop kills the server (idempotent).
func (s *Server) Stop() {
	if s.stopped {
		return
	}
	s.stopped = true
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	_ = s.cmd.Wait()
}

// Source is the lifeboat source URL for kind "carddav" or "caldav".
func (s *Server) Source(kind string) string {
	return kind + "+http://" + s.User + "@" + strings.TrimPrefix(s.Base, "http://") + "/"
}

// Do sends a request with the server's credentials.
func (s *Server) Do(method, path string, body []byte, header map[string]string) (*http.Response, []byte, error) {
	req, err := http.NewRequest(method, s.Base+path, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if s.Password != "" {
		req.SetBasicAuth(s.User, s.Password)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func (s *Server) mkcol(t testing.TB, path, body, method string) {
	t.Helper()
	resp, b, err := s.Do(method, path, []byte(body), map[string]string{"Content-Type": "application/xml"})
	if err != nil || resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %v %v %s", method, path, err, resp, b)
	}
}

// Put stores a resource; it reports whether the server accepted it.
func (s *Server) Put(path string, data []byte) (bool, error) {
	ct := "text/calendar; charset=utf-8"
	if strings.HasSuffix(path, ".vcf") {
		ct = "text/vcard; charset=utf-8"
	}
	resp, _, err := s.Do("PUT", path, data, map[string]string{"Content-Type": ct})
	if err != nil {
		return false, err
	}
	return resp.StatusCode/100 == 2, nil
}

// Get returns a resource's bytes as served.
func (s *Server) Get(path string) ([]byte, error) {
	resp, b, err := s.Do("GET", path, nil, nil)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return b, nil
}

// Delete removes a resource.
func (s *Server) Delete(path string) error {
	resp, _, err := s.Do("DELETE", path, nil, nil)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("DELETE %s: %s", path, resp.Status)
	}
	return nil
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
