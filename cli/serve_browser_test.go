package cli

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lifeboat-backup/lifeboat/internal/browser"
)

// lbRun runs lifeboat in this process and returns its stdout.
func lbRun(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := Run(append([]string{"lifeboat"}, args...), &out, &errb); code != 0 {
		t.Fatalf("lifeboat %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// startServe starts 'lifeboat serve' as a process of its own and returns
// the URL it printed, and a function that stops it with SIGINT and
// returns its exit code and stderr.
func startServe(t *testing.T, args ...string) (string, func() (int, string)) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve"}, args...)...)
	cmd.Env = append(os.Environ(), "LIFEBOAT_TEST_MAIN=1")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+/\?token=[0-9a-f]{32}`).FindString(sc.Text()); m != "" {
				urls <- m
			}
		}
	}()
	select {
	case u := <-urls:
		return u, func() (int, string) {
			cmd.Process.Signal(syscall.SIGINT)
			err := cmd.Wait()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			return code, errb.String()
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("lifeboat serve printed no URL; stderr: %s", errb.String())
	}
	return "", nil
}

// TestServeInBrowser drives lifeboat serve, started as its own process on
// a repository of two snapshots, in headless Chromium: the overview's
// counts are those of 'snapshots --json', the timeline lists both
// snapshots with the edit between them, the files page lists the
// snapshot's folders, a folder's zip holds the files restore writes,
// byte for byte; Ctrl-C stops the server with exit 0.
func TestServeInBrowser(t *testing.T) {
	ctx := browser.New(t)
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("LIFEBOAT_TEST_SCRYPT_WORK_FACTOR", "10")
	repoDir := filepath.Join(dir, "repo")
	t.Setenv("LIFEBOAT_REPO", repoDir)
	src := filepath.Join(dir, "phone")
	if err := os.CopyFS(src, os.DirFS(filepath.Join("..", "testdata", "phone"))); err != nil {
		t.Fatal(err)
	}
	lbRun(t, "init")
	lbRun(t, "backup", src)
	card := filepath.Join(src, "Contacts", "family.vcf")
	b, err := os.ReadFile(card)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(card, bytes.Replace(b, []byte("+44 7700 900123"), []byte("+44 7700 900999"), 1), 0o644)
	lbRun(t, "backup", src)

	var snaps []struct {
		ID                                    string
		Source                                string
		Contacts, Events, Todos, Media, Files int
	}
	for _, line := range strings.Split(strings.TrimSpace(lbRun(t, "snapshots", "--json")), "\n") {
		var s struct {
			ID                                    string
			Source                                string
			Contacts, Events, Todos, Media, Files int
		}
		if json.Unmarshal([]byte(line), &s) == nil && s.ID != "" {
			snaps = append(snaps, s)
		}
	}
	if len(snaps) != 2 {
		t.Fatalf("snapshots --json: %d snapshots", len(snaps))
	}
	newest := snaps[1]

	url, stop := startServe(t)
	base := url[:strings.Index(url, "/?token=")]
	err = chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(".source")))
	if err != nil {
		t.Fatalf("overview: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if loc != base+"/" {
		t.Errorf("after the token, the page is %s, want %s/ (token dropped from the address)", loc, base)
	}
	for sel, want := range map[string]int{".n-contacts": newest.Contacts, ".n-events": newest.Events,
		".n-todos": newest.Todos, ".n-photos": newest.Media, ".n-files": newest.Files} {
		got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(got) != fmt.Sprint(want) || want == 0 {
			t.Errorf("overview %s = %q, snapshots --json says %d", sel, got, want)
		}
	}
	browser.Screenshot(t, ctx, "serve-overview")

	// The timeline, through the source's link.
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".source h2 a")), chromedp.WaitVisible(chromedp.CSS("table.timeline")))
	if err != nil {
		t.Fatalf("timeline: %v", err)
	}
	rows, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll("table.timeline tbody tr")))
	if err != nil || len(rows) != 2 {
		t.Fatalf("timeline rows: %d, %v", len(rows), err)
	}
	text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("table.timeline")))
	if !strings.Contains(text, "1 contact changed") || !strings.Contains(text, "first snapshot") {
		t.Errorf("timeline does not show the edit:\n%s", text)
	}
	browser.Screenshot(t, ctx, "serve-timeline")

	// The diff, from the timeline's change.
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS("table.timeline tbody tr:first-child td:last-child a")),
		chromedp.WaitVisible(chromedp.CSS("table.diff")))
	if err != nil {
		t.Fatalf("diff: %v", err)
	}
	text, _ = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("table.diff")))
	if !strings.Contains(text, "Wilhelmina Thistlewaite") || !strings.Contains(text, "TEL") {
		t.Errorf("diff does not show the contact's changed TEL:\n%s", text)
	}
	browser.Screenshot(t, ctx, "serve-diff")

	// Files: the root, then DCIM.
	err = chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+newest.ID+"/files/"), chromedp.WaitVisible(chromedp.CSS("table.files")))
	if err != nil {
		t.Fatalf("files: %v", err)
	}
	text, _ = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("table.files")))
	for _, name := range []string{"Calendar/", "Contacts/", "DCIM/", "Documents/"} {
		if !strings.Contains(text, name) {
			t.Errorf("files page lacks %s:\n%s", name, text)
		}
	}
	browser.Screenshot(t, ctx, "serve-files")
	err = chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+newest.ID+"/files/DCIM/Camera/"), chromedp.WaitVisible(chromedp.CSS("table.files")))
	if err != nil {
		t.Fatalf("files DCIM/Camera: %v", err)
	}
	browser.Screenshot(t, ctx, "serve-files-camera")

	// The folder's zip, fetched by the page (with its cookie), against
	// restore --include DCIM.
	js := `fetch("/s/` + newest.ID + `/zip/DCIM").then(r => r.ok ? r.arrayBuffer() : Promise.reject(r.status)).then(b => {
		let s = ""; const u = new Uint8Array(b); for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); return btoa(s) })`
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch the zip: %v", err)
	}
	zipped, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	got := unzipAll(t, zipped)
	restored := filepath.Join(dir, "restored")
	lbRun(t, "restore", "--include", "DCIM", "--to", restored, newest.ID)
	n := 0
	filepath.WalkDir(restored, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(restored, p)
		want, _ := os.ReadFile(p)
		if !bytes.Equal(got[filepath.ToSlash(rel)], want) {
			t.Errorf("%s: the zip's bytes differ from restore's (%d, %d)", rel, len(got[filepath.ToSlash(rel)]), len(want))
		}
		n++
		return nil
	})
	if n != len(got) || n != 5 {
		t.Errorf("restore wrote %d files, the zip holds %d", n, len(got))
	}

	// The overview on a phone-sized screen: the page fits its width.
	err = chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(".source")))
	if err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
	if err != nil || width > 390 {
		t.Errorf("on a 390 px screen the overview is %d px wide (%v)", width, err)
	}
	browser.Screenshot(t, ctx, "serve-overview-narrow")

	code, stderr := stop()
	if code != 0 || !strings.Contains(stderr, "stopped") {
		t.Errorf("after SIGINT: exit %d, stderr %q; want 0 and stopped", code, stderr)
	}
}

// unzipAll returns a zip's files by name.
func unzipAll(t *testing.T, b []byte) map[string][]byte {
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

// TestServeListenWarns: an address other machines reach is served after
// a warning, answers at the printed URL, refuses a request without the
// token, and stops on SIGINT with exit 0.
func TestServeListenWarns(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("LIFEBOAT_TEST_SCRYPT_WORK_FACTOR", "10")
	t.Setenv("LIFEBOAT_REPO", filepath.Join(dir, "repo"))
	lbRun(t, "init")
	url, stop := startServe(t, "--listen", "0.0.0.0:0")
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "holds no snapshot yet") {
		t.Errorf("the printed URL: %d\n%s", resp.StatusCode, body)
	}
	resp, err = http.Get(url[:strings.Index(url, "?")]) // no cookie
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("without the token: %d, want 403", resp.StatusCode)
	}
	code, stderr := stop()
	if code != 0 || !strings.Contains(stderr, "warning: --listen 0.0.0.0:0: other machines may reach this server") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
