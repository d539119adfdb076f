package thumb

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
	"time"
)

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("thumbnail is no JPEG: %v", err)
	}
	return img
}

// near reports whether c is within 40 of want in each channel.
func near(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, w uint8) bool { x := int(a>>8) - int(w); return x > -40 && x < 40 }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}

// corners returns the colours at the centres of the four quadrants: top
// left, top right, bottom left, bottom right.
func corners(img image.Image) [4]color.Color {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	return [4]color.Color{
		img.At(b.Min.X+w/4, b.Min.Y+h/4), img.At(b.Min.X+3*w/4, b.Min.Y+h/4),
		img.At(b.Min.X+w/4, b.Min.Y+3*h/4), img.At(b.Min.X+3*w/4, b.Min.Y+3*h/4),
	}
}

func make1(t *testing.T, data []byte, name string, max int) ([]byte, bool) {
	t.Helper()
	return Make(bytes.NewReader(data), int64(len(data)), name, max)
}

func TestDecodedAndScaled(t *testing.T) {
	src := quad(800, 400)
	var pngBuf, gifBuf bytes.Buffer
	if err := png.Encode(&pngBuf, src); err != nil {
		t.Fatal(err)
	}
	if err := gif.Encode(&gifBuf, src, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
	}{{"a.jpg", encJPEG(t, src)}, {"a.png", pngBuf.Bytes()}, {"a.gif", gifBuf.Bytes()}} {
		got, ok := make1(t, c.data, c.name, 200)
		if !ok {
			t.Fatalf("%s: no thumbnail", c.name)
		}
		img := decode(t, got)
		if b := img.Bounds(); b.Dx() != 200 || b.Dy() != 100 {
			t.Errorf("%s: thumbnail %v, want 200x100", c.name, b)
		}
		want := [4]color.RGBA{red, green, blue, white}
		for i, c2 := range corners(img) {
			if !near(c2, want[i]) {
				t.Errorf("%s: quadrant %d is %v, want %v", c.name, i, c2, want[i])
			}
		}
	}
}

func TestWebP(t *testing.T) {
	data, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp") // libwebp's, from golang.org/x/image
	if err != nil {
		t.Fatal(err)
	}
	got, ok := make1(t, data, "x.webp", 64)
	if !ok {
		t.Fatal("no thumbnail of a WebP")
	}
	if b := decode(t, got).Bounds(); b.Dx() > 64 || b.Dy() > 64 || b.Dx() != 64 && b.Dy() != 64 {
		t.Errorf("WebP thumbnail %v, want to fit 64x64 exactly on one side", b)
	}
}

// TestOrientation: a decoded picture is turned upright as its EXIF says.
func TestOrientation(t *testing.T) {
	for _, c := range []struct {
		o    int
		w, h int
		want [4]color.RGBA // quadrants of the upright thumbnail
	}{
		{1, 160, 80, [4]color.RGBA{red, green, blue, white}},
		{3, 160, 80, [4]color.RGBA{white, blue, green, red}},
		{6, 80, 160, [4]color.RGBA{blue, red, white, green}},
		{8, 80, 160, [4]color.RGBA{green, white, red, blue}},
	} {
		data := withExif(t, encJPEG(t, quad(640, 320)), exifTIFF(c.o, nil))
		got, ok := make1(t, data, "o.jpg", 160)
		if !ok {
			t.Fatalf("orientation %d: no thumbnail", c.o)
		}
		img := decode(t, got)
		if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
			t.Errorf("orientation %d: %v, want %dx%d", c.o, b, c.w, c.h)
		}
		for i, col := range corners(img) {
			if !near(col, c.want[i]) {
				t.Errorf("orientation %d: quadrant %d is %v, want %v", c.o, i, col, c.want[i])
			}
		}
	}
}

// TestEmbeddedThumbnail: the EXIF IFD1 thumbnail is used (it is yellow,
// the picture is not), as is when small and upright, turned otherwise.
func TestEmbeddedThumbnail(t *testing.T) {
	yellow := color.RGBA{230, 220, 20, 255}
	small := encJPEG(t, flat(160, 120, yellow))
	data := withExif(t, encJPEG(t, quad(1600, 1200)), exifTIFF(1, small))
	got, ok := make1(t, data, "e.jpg", 256)
	if !ok || !bytes.Equal(got, small) {
		t.Fatalf("ok=%v, thumbnail of %d bytes is not the embedded one (%d bytes)", ok, len(got), len(small))
	}
	data = withExif(t, encJPEG(t, quad(1600, 1200)), exifTIFF(6, small))
	got, ok = make1(t, data, "e.jpg", 256)
	if !ok {
		t.Fatal("no thumbnail")
	}
	img := decode(t, got)
	if b := img.Bounds(); b.Dx() != 120 || b.Dy() != 160 || !near(img.At(60, 80), yellow) {
		t.Errorf("turned embedded thumbnail: %v, centre %v; want 120x160 yellow", b, img.At(60, 80))
	}
	// Larger than asked: scaled down.
	got, ok = make1(t, withExif(t, encJPEG(t, quad(400, 300)), exifTIFF(1, small)), "e.jpg", 80)
	if !ok {
		t.Fatal("no thumbnail")
	}
	if img := decode(t, got); img.Bounds().Dx() != 80 || img.Bounds().Dy() != 60 || !near(img.At(40, 30), yellow) {
		t.Errorf("scaled embedded thumbnail: %v centre %v", img.Bounds(), img.At(40, 30))
	}
	// A damaged embedded thumbnail: the picture itself is decoded.
	bad := append([]byte{}, small[:len(small)/3]...)
	got, ok = make1(t, withExif(t, encJPEG(t, quad(400, 300)), exifTIFF(1, bad)), "e.jpg", 80)
	if !ok || !near(corners(decode(t, got))[0], red) {
		t.Errorf("damaged embedded thumbnail: ok=%v, want the picture decoded", ok)
	}
}

func TestHEICExifThumbnail(t *testing.T) {
	pink := color.RGBA{240, 120, 200, 255}
	small := encJPEG(t, flat(160, 120, pink))
	got, ok := make1(t, heicWithExif(exifTIFF(1, small)), "IMG_0001.HEIC", 256)
	if !ok || !bytes.Equal(got, small) {
		t.Fatalf("HEIC Exif thumbnail: ok=%v, %d bytes, want the embedded %d", ok, len(got), len(small))
	}
	// Without an IFD1 thumbnail (as iPhones write it): no thumbnail, the
	// "unknown" placeholder.
	noThumb := heicWithExif(exifTIFF(6, nil))
	if _, ok := make1(t, noThumb, "IMG_0002.HEIC", 256); ok {
		t.Fatal("thumbnail from a HEIC with none in its Exif")
	}
	th := Thumbnail(bytes.NewReader(noThumb), int64(len(noThumb)), "IMG_0002.HEIC", 256)
	if th.Type != PlaceholderType || !bytes.Equal(th.Data, Placeholder("unknown")) {
		t.Errorf("HEIC without thumbnail: %s, want the unknown placeholder", th.Type)
	}
}

func TestDNGPreview(t *testing.T) {
	small := encJPEG(t, quad(320, 240))
	got, ok := make1(t, dngWithPreview(8, small), "x.dng", 256)
	if !ok {
		t.Fatal("no thumbnail from a DNG preview")
	}
	img := decode(t, got)
	if b := img.Bounds(); b.Dx() != 192 || b.Dy() != 256 { // 320x240 fits as 256x192, turned
		t.Errorf("DNG preview thumbnail %v, want 192x256", b)
	}
	if c := corners(img); !near(c[0], green) || !near(c[3], blue) {
		t.Errorf("DNG preview not turned anticlockwise: %v", c)
	}
}

func TestBrokenAndBombs(t *testing.T) {
	full := encJPEG(t, quad(400, 300))
	cut := full[:len(full)/2]
	if _, ok := make1(t, cut, "cut.jpg", 100); ok {
		t.Error("thumbnail from a truncated JPEG")
	}
	th := Thumbnail(bytes.NewReader(cut), int64(len(cut)), "cut.jpg", 100)
	if th.Type != PlaceholderType || !bytes.Equal(th.Data, Placeholder("broken")) {
		t.Errorf("truncated JPEG: %s, want the broken placeholder", th.Type)
	}
	if th := Thumbnail(bytes.NewReader(full), int64(len(full)), "clip.MOV", 100); !bytes.Equal(th.Data, Placeholder("video")) {
		t.Error("a video did not get the video placeholder")
	}
	// A header that claims 30000x30000 is refused before decoding.
	sof := bytes.Index(full, []byte{0xFF, 0xC0})
	if sof < 0 {
		t.Fatal("no SOF0 in the stdlib's JPEG")
	}
	bombJPEG := append([]byte{}, full...)
	bombJPEG[sof+5], bombJPEG[sof+6], bombJPEG[sof+7], bombJPEG[sof+8] = 0x75, 0x30, 0x75, 0x30 // 30000, 30000
	for name, data := range map[string][]byte{"bomb.png": pngHeader(30000, 30000), "bomb.jpg": bombJPEG} {
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width != 30000 {
			t.Fatalf("%s: header not 30000 wide: %v %v", name, cfg, err)
		}
		start := time.Now()
		if _, ok := make1(t, data, name, 100); ok {
			t.Errorf("%s: thumbnail from a 900-megapixel header", name)
		}
		if d := time.Since(start); d > 200*time.Millisecond {
			t.Errorf("%s: refused in %v, want at once", name, d)
		}
	}
	for _, data := range [][]byte{nil, []byte("hello"), []byte{0xFF, 0xD8, 0xFF}} {
		if _, ok := make1(t, data, "x.jpg", 100); ok {
			t.Errorf("thumbnail from %q", data)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	for _, k := range []string{"video", "broken", "unknown", "whatever"} {
		p := Placeholder(k)
		if !bytes.HasPrefix(p, []byte("<svg")) || !bytes.Contains(p, []byte(`width="256"`)) {
			t.Errorf("%s: placeholder is no sized SVG: %.40q", k, p)
		}
	}
	if bytes.Equal(Placeholder("video"), Placeholder("broken")) {
		t.Error("video and broken placeholders are the same")
	}
}

func FuzzMake(f *testing.F) {
	f.Add(withExif(f, encJPEG(f, quad(64, 48)), exifTIFF(6, encJPEG(f, quad(32, 24)))))
	f.Add(heicWithExif(exifTIFF(3, encJPEG(f, quad(16, 16)))))
	f.Add(dngWithPreview(8, encJPEG(f, quad(16, 16))))
	f.Add(pngHeader(100, 100))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, ok := Make(bytes.NewReader(data), int64(len(data)), "f", 64)
		if !ok {
			return
		}
		img, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("Make gave a JPEG that does not decode: %v", err)
		}
		if s := img.Bounds().Size(); s.X > 64 || s.Y > 64 || s.X < 1 || s.Y < 1 {
			t.Fatalf("thumbnail %v does not fit 64x64", s)
		}
	})
}
