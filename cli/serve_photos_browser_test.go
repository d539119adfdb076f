package cli

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lifeboat-backup/lifeboat/internal/browser"
)

// scene is a w×h picture that looks a little like a photo: a sky
// gradient of hue h over a darker ground, a sun, a few hills.
func scene(w, h int, hue float64, seed int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rgb := func(hh, s, v float64) (float64, float64, float64) {
		hh = math.Mod(hh, 360) / 60
		c := v * s
		x := c * (1 - math.Abs(math.Mod(hh, 2)-1))
		p := [6][3]float64{{c, x, 0}, {x, c, 0}, {0, c, x}, {0, x, c}, {x, 0, c}, {c, 0, x}}[int(hh)%6]
		m := v - c
		return p[0] + m, p[1] + m, p[2] + m
	}
	sunX, sunY := float64(w)*(0.2+0.6*float64(seed%5)/4), float64(h)*(0.25+0.1*float64(seed%3))
	for y := range h {
		for x := range w {
			fy := float64(y) / float64(h)
			hill := 0.62 + 0.08*math.Sin(float64(x)/float64(w)*math.Pi*float64(2+seed%3)+float64(seed))
			var r, g, b float64
			if fy > hill {
				r, g, b = rgb(hue+140, 0.55, 0.25+0.2*(1-fy))
			} else {
				r, g, b = rgb(hue+30*fy, 0.55-0.3*fy, 0.95-0.35*fy)
				if d := math.Hypot(float64(x)-sunX, float64(y)-sunY); d < float64(h)/10 {
					r, g, b = 1, 0.95, 0.8
				} else if d < float64(h)/5 {
					k := (d - float64(h)/10) / (float64(h) / 10)
					r, g, b = r*k+(1-k), g*k+0.9*(1-k), b*k+0.7*(1-k)
				}
			}
			img.Set(x, y, color.RGBA{uint8(255 * r), uint8(255 * g), uint8(255 * b), 255})
		}
	}
	return img
}

// withTaken is a JPEG of img whose Exif holds DateTimeOriginal.
func withTaken(t *testing.T, img image.Image, taken string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	tiff := []byte("II*\x00\x08\x00\x00\x00")
	tiff = le.AppendUint16(tiff, 1)
	tiff = le.AppendUint16(le.AppendUint16(tiff, 0x8769), 4)
	tiff = le.AppendUint32(le.AppendUint32(tiff, 1), 8+18)
	tiff = le.AppendUint32(tiff, 0)
	tiff = le.AppendUint16(tiff, 1)
	tiff = le.AppendUint16(le.AppendUint16(tiff, 0x9003), 2)
	tiff = le.AppendUint32(le.AppendUint32(tiff, 20), 8+18+18)
	tiff = le.AppendUint32(tiff, 0)
	tiff = append(tiff, taken+"\x00"...)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(payload)+2))
	j := buf.Bytes()
	return append(append(append([]byte{}, j[:2]...), append(seg, payload...)...), j[2:]...)
}

// TestServePhotosInBrowser opens the Photos tab of lifeboat serve (its
// own process) in headless Chromium: the grid has a heading per month,
// newest first; scrolled to the end, every thumbnail has loaded with
// naturalWidth > 0, the video's placeholder and badge among them; a
// tile opens the photo's page, whose large picture loads and which shows
// the EXIF date and the snapshot holding it.
func TestServePhotosInBrowser(t *testing.T) {
	ctx := browser.New(t)
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("LIFEBOAT_TEST_SCRYPT_WORK_FACTOR", "10")
	t.Setenv("LIFEBOAT_REPO", filepath.Join(dir, "repo"))
	src := filepath.Join(dir, "phone")
	cam := filepath.Join(src, "DCIM", "Camera")
	if err := os.MkdirAll(cam, 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	const n = 60
	for i := range n {
		at := start.Add(time.Duration(i) * 97 * time.Hour)
		w, h := 640, 480
		if i%4 == 1 {
			w, h = 480, 640
		}
		b := withTaken(t, scene(w, h, float64(i*37%360), i), at.Format("2006:01:02 15:04:05"))
		if err := os.WriteFile(filepath.Join(cam, at.Format("IMG_20060102_150405.jpg")), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mp4 := []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
	vid := filepath.Join(cam, "VID_20250601_120000.mp4")
	if err := os.WriteFile(vid, mp4, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(vid, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	lbRun(t, "init")
	lbRun(t, "backup", src)
	var snap struct{ ID string }
	for _, line := range strings.Split(lbRun(t, "snapshots", "--json"), "\n") {
		var s struct{ ID string }
		if json.Unmarshal([]byte(line), &s) == nil && s.ID != "" {
			snap = s
		}
	}
	if snap.ID == "" {
		t.Fatal("snapshots --json names no snapshot")
	}
	url, stop := startServe(t)
	base := url[:strings.Index(url, "/?token=")]
	err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(".source")),
		chromedp.Navigate(base+"/s/"+snap.ID+"/photos/"), chromedp.WaitVisible(chromedp.CSS("ul.grid")))
	if err != nil {
		t.Fatalf("photos page: %v", err)
	}
	heads, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".month h2"), h => h.firstChild.textContent.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	last := start.Add((n - 1) * 97 * time.Hour)
	if len(heads) < 3 || heads[0] != last.Format("January 2006") || heads[len(heads)-1] != "March 2025" {
		t.Errorf("month headings %q: want %s first, March 2025 last", heads, last.Format("January 2006"))
	}
	// Scroll to the end a screen at a time, so that the lazy images load.
	for range 20 {
		end, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollBy(0, 700), window.innerHeight + window.scrollY >= document.body.scrollHeight - 2`))
		if err != nil {
			t.Fatal(err)
		}
		chromedp.Do(ctx, chromedp.Sleep(150*time.Millisecond))
		if end {
			break
		}
	}
	const loaded = `(() => { const im = Array.from(document.querySelectorAll("ul.grid img"));
		return [im.length, im.filter(i => i.complete && i.naturalWidth > 0).length] })()`
	var counts []int
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		if counts, err = chromedp.Run(ctx, chromedp.Evaluate[[]int](loaded)); err != nil {
			t.Fatal(err)
		}
		if len(counts) == 2 && counts[0] == counts[1] {
			break
		}
		chromedp.Do(ctx, chromedp.Sleep(200*time.Millisecond))
	}
	if len(counts) != 2 || counts[0] != n+1 || counts[1] != n+1 {
		t.Errorf("thumbnails loaded: %v, want %d of %d", counts, n+1, n+1)
	}
	badges, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".tile.video .vbadge").length`))
	if badges != 1 {
		t.Errorf("%d video badges, want 1", badges)
	}
	chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	fmt.Fprintln(os.Stderr, "photos grid:", browser.Screenshot(t, ctx, "serve-photos"))

	// The newest photo's page.
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS("ul.grid li:first-child a")), chromedp.WaitVisible(chromedp.CSS(".photo-info")))
	if err != nil {
		t.Fatalf("photo page: %v", err)
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		w, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`(i => i.complete ? i.naturalWidth : 0)(document.querySelector(".stage img"))`))
		if w > 0 {
			if w != 640 && w != 480 {
				t.Errorf("the large picture is %d px wide, want the photo's own 640 or 480", w)
			}
			break
		}
		chromedp.Do(ctx, chromedp.Sleep(200*time.Millisecond))
	}
	info, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".photo-info")))
	if !strings.Contains(info, last.Format("Monday 2 January 2006, 15:04:05")) || !strings.Contains(info, "EXIF") ||
		!strings.Contains(info, "Kept in 1 snapshot") {
		t.Errorf("photo page:\n%s", info)
	}
	fmt.Fprintln(os.Stderr, "photo page:", browser.Screenshot(t, ctx, "serve-photo"))

	// On a phone-sized screen the grid fits the width.
	err = chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(base+"/s/"+snap.ID+"/photos/"), chromedp.WaitVisible(chromedp.CSS("ul.grid")), chromedp.Sleep(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
	if err != nil || width > 390 {
		t.Errorf("on a 390 px screen the photos page is %d px wide (%v)", width, err)
	}
	fmt.Fprintln(os.Stderr, "narrow:", browser.Screenshot(t, ctx, "serve-photos-narrow"))
	if code, stderr := stop(); code != 0 {
		t.Errorf("after SIGINT: exit %d, %s", code, stderr)
	}
}
