// Package thumb makes the small JPEG pictures lifeboat serve shows for
// photos: the thumbnail the camera embedded in the file's EXIF where there
// is one (JPEG, TIFF and DNG, HEIC), else the picture decoded and scaled
// (JPEG, PNG, GIF, WebP), turned as its EXIF orientation says. Every read
// is bounded; a file that cannot be shown small gets a placeholder
// (Placeholder), never an error. Cache keeps thumbnails in memory only.
package thumb

import (
	"bufio"
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Limits of what Make decodes.
const (
	// DefaultMax is the thumbnail's longest side when Make is given none.
	DefaultMax = 256
	// MaxPixels is the largest picture Make decodes, by its header.
	MaxPixels = 50_000_000
	// MaxRead is the largest file Make reads whole to decode it.
	MaxRead = 64 << 20
	// Quality is the JPEG quality of the thumbnails Make encodes.
	Quality = 80
)

// format is what a file's first bytes say it is.
type format int

const (
	formatUnknown format = iota
	formatJPEG
	formatPNG
	formatGIF
	formatWebP
	formatTIFF
	formatHEIC
)

func sniff(head []byte) format {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return formatJPEG
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return formatPNG
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return formatGIF
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return formatWebP
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return formatTIFF
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		switch string(head[8:12]) {
		case "heic", "heix", "heim", "heis", "mif1", "msf1", "avif":
			return formatHEIC
		}
	}
	return formatUnknown
}

// Make returns a JPEG of the picture in r (size bytes; name is only a
// hint) that fits in max×max pixels (DefaultMax when max <= 0), turned
// upright. The embedded EXIF thumbnail is used when the file has one,
// else the picture is decoded if it is JPEG, PNG, GIF or WebP and at most
// MaxPixels by its header. ok is false when neither works: a truncated or
// damaged file, a picture too large, a HEIC whose only thumbnail is HEVC,
// a video. Make never panics on hostile input.
func Make(r io.ReaderAt, size int64, name string, max int) (jpegData []byte, ok bool) {
	_ = name
	if max <= 0 {
		max = DefaultMax
	}
	defer func() {
		if recover() != nil {
			jpegData, ok = nil, false
		}
	}()
	if r == nil || size <= 0 {
		return nil, false
	}
	head := make([]byte, min(size, 16))
	if !readFull(r, head, 0) {
		return nil, false
	}
	f := sniff(head)
	var info exifInfo
	switch f {
	case formatJPEG:
		info, _ = jpegExif(r, size)
	case formatTIFF:
		info, _ = readTIFF(r, 0, size)
	case formatHEIC:
		info, _ = heicExif(r, size)
	case formatUnknown:
		return nil, false
	}
	if b, ok := fromEmbedded(r, info, max); ok {
		return b, true
	}
	switch f {
	case formatJPEG, formatPNG, formatGIF, formatWebP:
		return decodeScaled(r, size, f, info.orientation, max)
	}
	return nil, false
}

// fromEmbedded makes the thumbnail from the best embedded JPEG: the
// smallest that is at least max on its longest side, else the largest.
func fromEmbedded(r io.ReaderAt, info exifInfo, max int) ([]byte, bool) {
	type cand struct {
		s    span
		w, h int
	}
	var best *cand
	for _, s := range info.thumbs {
		cfg, err := jpeg.DecodeConfig(io.NewSectionReader(r, s.off, s.n))
		if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
			continue
		}
		c := cand{s, cfg.Width, cfg.Height}
		big, area := c.w >= max || c.h >= max, c.w*c.h
		switch {
		case best == nil:
			best = &c
		case big && (best.w < max && best.h < max || area < best.w*best.h):
			best = &c
		case !big && best.w < max && best.h < max && area > best.w*best.h:
			best = &c
		}
	}
	if best == nil {
		return nil, false
	}
	if best.w*best.h > 1<<20 { // a preview as large as a picture: decoded as one
		decoding <- struct{}{}
		defer func() { <-decoding }()
	}
	data := make([]byte, best.s.n)
	if !readFull(r, data, best.s.off) {
		return nil, false
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, false
	}
	if info.orientation <= 1 && best.w <= max && best.h <= max {
		return data, true // already small and upright: as the camera made it
	}
	return encode(orient(scale(img, max), info.orientation))
}

// decoding bounds how many pictures are decoded whole at once: a 50
// megapixel PNG takes 200 MB while it is scaled.
var decoding = make(chan struct{}, 2)

// decodeScaled decodes the whole picture, refusing one whose header says
// it is larger than MaxPixels or a file larger than MaxRead.
func decodeScaled(r io.ReaderAt, size int64, f format, orientation, max int) ([]byte, bool) {
	if size > MaxRead {
		return nil, false
	}
	decoding <- struct{}{}
	defer func() { <-decoding }()
	open := func() io.Reader { return bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 64<<10) }
	var cfg image.Config
	var err error
	switch f {
	case formatJPEG:
		cfg, err = jpeg.DecodeConfig(open())
	case formatPNG:
		cfg, err = png.DecodeConfig(open())
	case formatGIF:
		cfg, err = gif.DecodeConfig(open())
	case formatWebP:
		cfg, err = webp.DecodeConfig(open())
	}
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, false
	}
	var img image.Image
	switch f {
	case formatJPEG:
		img, err = jpeg.Decode(open())
	case formatPNG:
		img, err = png.Decode(open())
	case formatGIF:
		img, err = gif.Decode(open())
	case formatWebP:
		img, err = webp.Decode(open())
	}
	if err != nil {
		return nil, false
	}
	return encode(orient(scale(img, max), orientation))
}

// fit returns w×h scaled to fit in max×max, never larger than it was.
func fit(w, h, max int) (int, int) {
	if w <= max && h <= max {
		return w, h
	}
	if w >= h {
		return max, int(max64(1, int64(h)*int64(max)/int64(w)))
	}
	return int(max64(1, int64(w)*int64(max)/int64(h))), max
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// scale draws img into an RGBA that fits in max×max: a fast approximate
// pass down to twice the size, then bilinear for the last step.
func scale(img image.Image, max int) *image.RGBA {
	b := img.Bounds()
	w, h := fit(b.Dx(), b.Dy(), max)
	if b.Dx() > 4*w && b.Dy() > 4*h {
		mid := image.NewRGBA(image.Rect(0, 0, 2*w, 2*h))
		draw.ApproxBiLinear.Scale(mid, mid.Bounds(), img, b, draw.Src, nil)
		img, b = mid, mid.Bounds()
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.BiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// orient turns src upright as EXIF orientation o (1 to 8) says.
func orient(src *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return src
	}
	w, h := src.Bounds().Dx(), src.Bounds().Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		for x := 0; x < dw; x++ {
			var sx, sy int
			switch o {
			case 2: // mirrored
				sx, sy = w-1-x, y
			case 3: // upside down
				sx, sy = w-1-x, h-1-y
			case 4: // mirrored upside down
				sx, sy = x, h-1-y
			case 5: // mirrored, turned
				sx, sy = y, x
			case 6: // to be turned clockwise
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8: // to be turned anticlockwise
				sx, sy = w-1-y, x
			}
			si, di := src.PixOffset(sx, sy), dst.PixOffset(x, y)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}

func encode(img image.Image) ([]byte, bool) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: Quality}); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}
