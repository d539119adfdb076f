package serve_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/serve"
	"github.com/lifeboat-backup/lifeboat/serve/thumb"
)

// plainJPEG is a w×h JPEG of one colour with no metadata.
func plainJPEG(t testing.TB, w, h int, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, 255
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// exifJPEG is plainJPEG with an APP1 Exif segment: IFD0 pointing at an
// Exif IFD that holds DateTimeOriginal (tag 0x9003, ASCII
// "YYYY:MM:DD HH:MM:SS", EXIF 2.3 §4.6.5).
func exifJPEG(t testing.TB, w, h int, c color.RGBA, taken string) []byte {
	j := plainJPEG(t, w, h, c)
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
	return append(append(append([]byte{}, j[:2]...), append(seg, payload...)...), j[2:]...)
}

func writeAt(t testing.TB, dir, rel string, data []byte, mtime time.Time) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

const hostilePhoto = "<img src=x onerror=alert(9)>\u202e.jpg"

// photoFixture is a repository with two snapshots of a phone's photos:
// the second adds DCIM/Camera/new.jpg.
type photoFixture struct {
	r     *repo.Repository
	ids   [2]format.ID // oldest first
	files map[string][]byte
}

func newPhotoFixture(t *testing.T) *photoFixture {
	t.Helper()
	src := filepath.Join(t.TempDir(), "phone")
	mt := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	var pngBuf bytes.Buffer
	png.Encode(&pngBuf, image.NewGray(image.Rect(0, 0, 40, 30)))
	files := map[string][]byte{
		"DCIM/Camera/IMG_A.jpg":    exifJPEG(t, 320, 240, color.RGBA{220, 60, 40, 255}, "2025:06:14 10:15:00"),
		"DCIM/Camera/IMG_B.jpg":    exifJPEG(t, 240, 320, color.RGBA{40, 160, 90, 255}, "2025:06:20 18:30:45"),
		"DCIM/Camera/IMG_C.jpg":    exifJPEG(t, 1800, 1200, color.RGBA{40, 90, 200, 255}, "2025:07:01 07:12:10"),
		"DCIM/Camera/broken.jpg":   append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte("no picture"), 20)...),
		"Pictures/plain.jpg":       plainJPEG(t, 100, 100, color.RGBA{200, 200, 40, 255}),
		"Pictures/shot.png":        pngBuf.Bytes(),
		"Pictures/" + hostilePhoto: exifJPEG(t, 50, 50, color.RGBA{90, 40, 160, 255}, "2024:03:09 09:00:00"),
		"Movies/clip.mp4":          []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"),
		"Contacts/people.vcf":      []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n"),
	}
	for rel, b := range files {
		writeAt(t, src, rel, b, mt)
	}
	e := testrepo.New(t)
	e.Backup(t, src)
	files["DCIM/Camera/new.jpg"] = exifJPEG(t, 64, 64, color.RGBA{250, 250, 250, 255}, "2025:08:03 12:00:00")
	writeAt(t, src, "DCIM/Camera/new.jpg", files["DCIM/Camera/new.jpg"], mt)
	e.Backup(t, src)
	f := &photoFixture{r: e.Open(t, repo.AccessRead), files: files}
	all, _, err := f.r.Snapshots(context.Background())
	if err != nil || len(all) != 2 {
		t.Fatalf("snapshots: %d, %v", len(all), err)
	}
	f.ids = [2]format.ID{all[0].ID, all[1].ID}
	return f
}

func (f *photoFixture) handler(t *testing.T) http.Handler {
	t.Helper()
	s, err := serve.New(f.r, addr, serve.Options{Token: "secret-token"})
	if err != nil {
		t.Fatal(err)
	}
	return s.Handler()
}

// tiles are the grid's photos in page order: view URL, name, thumb URL.
var tileRE = regexp.MustCompile(`<a class="tile[^"]*" href="([^"]+)" title="([^"]*)"><img src="([^"]+)" alt="[^"]*" loading="lazy" decoding="async" width="256" height="256">`)

var headingRE = regexp.MustCompile(`<h2>([^<]+?)(?: <span class="muted">\(continued\)</span>)? <span class="count">(\d+)</span></h2>`)

// TestPhotoGrid: the grid groups the photos by month, newest month first
// (the file times' months after the EXIF dates), every photo once as a
// lazy thumbnail linking to its page, the video with its badge, the
// hostile name escaped.
func TestPhotoGrid(t *testing.T) {
	f := newPhotoFixture(t)
	h := f.handler(t)
	id := f.ids[1].String()
	w := get(h, "/s/"+id+"/photos/", nil)
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("grid: %d\n%s", w.Code, body)
	}
	var heads []string
	for _, m := range headingRE.FindAllStringSubmatch(body, -1) {
		heads = append(heads, m[1]+" "+m[2])
	}
	want := []string{"August 2025 1", "July 2025 1", "June 2025 2", "March 2024 1", "January 2020 4"}
	if strings.Join(heads, ", ") != strings.Join(want, ", ") {
		t.Errorf("months %q, want %q", heads, want)
	}
	tiles := tileRE.FindAllStringSubmatch(body, -1)
	var names []string
	for _, m := range tiles {
		names = append(names, m[2])
		if !strings.HasPrefix(m[1], "/s/"+id+"/photos/view/") || !regexp.MustCompile(`^/s/`+id+`/photos/thumb/[0-9a-f]{32}$`).MatchString(m[3]) {
			t.Errorf("tile %q: view %s, thumb %s", m[2], m[1], m[3])
		}
	}
	wantNames := []string{"new.jpg", "IMG_C.jpg", "IMG_B.jpg", "IMG_A.jpg", `&lt;img src=x onerror=alert(9)&gt;\u202e.jpg`,
		"broken.jpg", "clip.mp4", "plain.jpg", "shot.png"}
	if strings.Join(names, "|") != strings.Join(wantNames, "|") {
		t.Errorf("tiles %q,\nwant %q", names, wantNames)
	}
	if strings.Contains(body, "<img src=x") || strings.Contains(body, "\u202e") {
		t.Error("the hostile name is in the page unescaped")
	}
	if n := strings.Count(body, `class="vbadge"`); n != 1 || !strings.Contains(body, `class="tile video"`) {
		t.Errorf("%d video badges, want 1", n)
	}
	if strings.Contains(body, `class="pager"`) {
		t.Error("one page has a pager")
	}
	// The older snapshot lacks new.jpg.
	old := get(h, "/s/"+f.ids[0].String()+"/photos/", nil).Body.String()
	if strings.Contains(old, "new.jpg") || !strings.Contains(old, "IMG_A.jpg") {
		t.Error("the first snapshot's grid is not its own")
	}
}

// thumbs maps the tiles' names to their thumbnail URLs.
func thumbs(t *testing.T, h http.Handler, id format.ID) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range tileRE.FindAllStringSubmatch(get(h, "/s/"+id.String()+"/photos/", nil).Body.String(), -1) {
		out[m[2]] = m[3]
	}
	return out
}

// TestPhotoThumbs: a photo's thumbnail is a decodable JPEG at most 256
// px, its large picture 1600 px; a broken file and a video get their
// placeholders with 200, never an error page; a thumbnail of content the
// snapshot does not hold is 404; responses are not cached by the browser.
func TestPhotoThumbs(t *testing.T) {
	f := newPhotoFixture(t)
	h := f.handler(t)
	th := thumbs(t, h, f.ids[1])
	for name, want := range map[string]int{"IMG_C.jpg": 256, "IMG_A.jpg": 256, "plain.jpg": 100, "shot.png": 40} {
		w := get(h, th[name], nil)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/jpeg" || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("%s: %d %q %q", name, w.Code, w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"))
		}
		img, err := jpeg.Decode(w.Body)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); max(b.Dx(), b.Dy()) != want {
			t.Errorf("%s: thumbnail %v, want longest side %d", name, b, want)
		}
	}
	w := get(h, strings.Replace(th["IMG_C.jpg"], "/thumb/", "/large/", 1), nil)
	cfg, err := jpeg.DecodeConfig(w.Body)
	if err != nil || cfg.Width != 1600 || cfg.Height < 1066 || cfg.Height > 1067 {
		t.Errorf("large IMG_C: %v, %d×%d; want 1600×1066", err, cfg.Width, cfg.Height)
	}
	for name, kind := range map[string]string{"broken.jpg": "broken", "clip.mp4": "video"} {
		w := get(h, th[name], nil)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != thumb.PlaceholderType || !bytes.Equal(w.Body.Bytes(), thumb.Placeholder(kind)) {
			t.Errorf("%s: %d %q, want the %s placeholder", name, w.Code, w.Header().Get("Content-Type"), kind)
		}
	}
	newThumb := strings.Replace(th["new.jpg"], f.ids[1].String(), f.ids[0].String(), 1)
	for _, u := range []string{newThumb, "/s/" + f.ids[1].String() + "/photos/thumb/" + strings.Repeat("0", 32),
		"/s/" + f.ids[1].String() + "/photos/thumb/..%2f..%2f", "/s/" + f.ids[1].String() + "/photos/other"} {
		if w := get(h, u, nil); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", u, w.Code)
		}
	}
}

// TestPhotoView: a photo's page shows its capture date and where it came
// from, its size and path, the original's download (its bytes), and the
// snapshots holding the same bytes, each a link to the photo there;
// names are escaped; paths outside the snapshot's photos are 404.
func TestPhotoView(t *testing.T) {
	f := newPhotoFixture(t)
	h := f.handler(t)
	id := f.ids[1].String()
	w := get(h, "/s/"+id+"/photos/view/DCIM/Camera/IMG_A.jpg", nil)
	body := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("view: %d\n%s", w.Code, body)
	}
	for _, want := range []string{"Saturday 14 June 2025, 10:15:00", "EXIF", `href="/s/` + id + `/files/DCIM/Camera/IMG_A.jpg" download`,
		`href="/s/` + id + `/files/DCIM/Camera/"`, "Kept in 2 snapshots",
		`href="/s/` + f.ids[0].String() + `/photos/view/DCIM/Camera/IMG_A.jpg"`,
		`href="/s/` + id + `/photos/view/DCIM/Camera/IMG_A.jpg"`,
		`href="/s/` + id + `/photos/view/DCIM/Camera/IMG_B.jpg" rel="prev"`,
		`src="/s/` + id + `/photos/large/`, fmt.Sprintf("%.1f KiB", float64(len(f.files["DCIM/Camera/IMG_A.jpg"]))/1024)} {
		if !strings.Contains(body, want) {
			t.Errorf("view page lacks %q", want)
		}
	}
	if d := get(h, "/s/"+id+"/files/DCIM/Camera/IMG_A.jpg", nil); !bytes.Equal(d.Body.Bytes(), f.files["DCIM/Camera/IMG_A.jpg"]) {
		t.Error("the download is not the original")
	}
	nw := get(h, "/s/"+id+"/photos/view/DCIM/Camera/new.jpg", nil).Body.String()
	if !strings.Contains(nw, "Kept in 1 snapshot") || strings.Contains(nw, f.ids[0].String()+"/photos/view") {
		t.Error("new.jpg's page names a snapshot that lacks it")
	}
	pl := get(h, "/s/"+id+"/photos/view/Pictures/plain.jpg", nil).Body.String()
	if !strings.Contains(pl, "modification time only") || !strings.Contains(pl, "Thursday 2 January 2020, 03:04:05") {
		t.Error("plain.jpg's page does not say its date is the file time")
	}
	hp := get(h, "/s/"+id+"/photos/view/Pictures/"+escape(hostilePhoto), nil)
	if hp.Code != http.StatusOK || strings.Contains(hp.Body.String(), "<img src=x") || strings.Contains(hp.Body.String(), "\u202e") ||
		!strings.Contains(hp.Body.String(), `&lt;img src=x onerror=alert(9)&gt;\u202e.jpg`) {
		t.Errorf("hostile photo page: %d, name not escaped", hp.Code)
	}
	for _, p := range []string{"../../files/Contacts/people.vcf", "..%2f..%2ffiles%2fContacts", "Contacts/people.vcf",
		"DCIM/Camera/../Camera/IMG_A.jpg", "DCIM/Camera/missing.jpg", "/etc/passwd", ""} {
		if w := get(h, "/s/"+id+"/photos/view/"+p, nil); w.Code != http.StatusNotFound {
			t.Errorf("view/%s: %d, want 404", p, w.Code)
		}
	}
}

func escape(name string) string {
	return strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20", "=", "%3D", "\u202e", "%E2%80%AE").Replace(name)
}

// TestPhotoPages: 203 photos are two pages of 200 and 3, newest first,
// with next and previous links; the second page's first month says it
// continues; a page past the end, 0 and a word are 404.
func TestPhotoPages(t *testing.T) {
	src := filepath.Join(t.TempDir(), "phone")
	start := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range 203 {
		writeAt(t, src, fmt.Sprintf("DCIM/p%03d.jpg", i), plainJPEG(t, 8, 8, color.RGBA{uint8(i), 100, 50, 255}), start.Add(time.Duration(i)*6*time.Hour))
	}
	e := testrepo.New(t)
	e.Backup(t, src)
	r := e.Open(t, repo.AccessRead)
	all, _, err := r.Snapshots(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s, err := serve.New(r, addr, serve.Options{Token: "secret-token"})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	base := "/s/" + all[0].ID.String() + "/photos/"
	p1 := get(h, base, nil).Body.String()
	p2 := get(h, base+"?page=2", nil).Body.String()
	t1, t2 := tileRE.FindAllStringSubmatch(p1, -1), tileRE.FindAllStringSubmatch(p2, -1)
	if len(t1) != 200 || len(t2) != 3 {
		t.Fatalf("pages of %d and %d photos, want 200 and 3", len(t1), len(t2))
	}
	if t1[0][2] != "p202.jpg" || t1[199][2] != "p003.jpg" || t2[2][2] != "p000.jpg" {
		t.Errorf("order: %s..%s, %s", t1[0][2], t1[199][2], t2[2][2])
	}
	if !strings.Contains(p1, `href="`+base+`?page=2" rel="next"`) || strings.Contains(p1, `rel="prev"`) {
		t.Error("page 1 lacks its next link")
	}
	if !strings.Contains(p2, `href="`+base+`" rel="prev"`) || strings.Contains(p2, `rel="next"`) {
		t.Error("page 2 lacks its previous link")
	}
	if !strings.Contains(p2, `January 2024 <span class="muted">(continued)</span>`) {
		t.Error("page 2 does not say January continues")
	}
	for _, q := range []string{"?page=3", "?page=0", "?page=two"} {
		if w := get(h, base+q, nil); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", q, w.Code)
		}
	}
}
