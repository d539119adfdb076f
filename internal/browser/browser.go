// Package browser starts Debian's headless Chromium for tests, driven
// through chromedp, and saves screenshots of what it shows. A test that
// needs it skips when chromium is not installed, and fails instead under
// LIFEBOAT_REQUIRE_INTEGRATION=1 (CI installs it).
package browser

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
)

// candidates are where Debian (and others) put Chromium.
var candidates = []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}

// Path returns the Chromium binary, or "" when there is none.
func Path() string {
	if p := os.Getenv("LIFEBOAT_CHROMIUM"); p != "" {
		return p
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// New starts a headless Chromium with a fresh profile and returns a
// chromedp context of one tab in it, 1280×900; both stop when the test
// ends. Chromium starts with every background request off (the network
// here is closed, and it would hang on them otherwise).
func New(t testing.TB) context.Context {
	t.Helper()
	bin := Path()
	if bin == "" {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("chromium is not installed (LIFEBOAT_REQUIRE_INTEGRATION=1): apt-get install chromium")
		}
		t.Skip("chromium is not installed; apt-get install chromium to run this test")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// Start the browser now, so that a Chromium that cannot start fails
	// here rather than in the test's first step. (No timeout: the context
	// of the first call is the browser's whole life.)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v", bin, err)
	}
	return ctx
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot saves the whole page the tab shows as NAME.png in the
// test's temporary folder, and in $LIFEBOAT_SCREENSHOTS when that is set
// (to look at them after the test); it returns the first path.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	file := unsafeName.ReplaceAllString(name, "_") + ".png"
	p := filepath.Join(t.TempDir(), file)
	if err := os.WriteFile(p, png, 0o600); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("LIFEBOAT_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshot %s", p)
	return p
}
