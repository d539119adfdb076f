package thumb

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// Colours of the quadrants of quad, to see which way a picture was turned.
var (
	red   = color.RGBA{220, 30, 30, 255}
	green = color.RGBA{30, 200, 30, 255}
	blue  = color.RGBA{30, 30, 220, 255}
	white = color.RGBA{250, 250, 250, 255}
)

// quad is a w×h picture with a red top-left, green top-right, blue
// bottom-left and white bottom-right quadrant.
func quad(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := red
			switch {
			case x >= w/2 && y < h/2:
				c = green
			case x < w/2 && y >= h/2:
				c = blue
			case x >= w/2 && y >= h/2:
				c = white
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// flat is a w×h picture of one colour.
func flat(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

func encJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ifdBytes lays out one little-endian IFD of SHORT/LONG entries with
// inline values (type 3 or 4, count 1) and the next IFD's offset.
func ifdBytes(entries [][3]uint32, next uint32) []byte {
	b := binary.LittleEndian.AppendUint16(nil, uint16(len(entries)))
	for _, e := range entries {
		b = binary.LittleEndian.AppendUint16(b, uint16(e[0]))
		b = binary.LittleEndian.AppendUint16(b, uint16(e[1]))
		b = binary.LittleEndian.AppendUint32(b, 1)
		if e[1] == 3 {
			b = binary.LittleEndian.AppendUint16(b, uint16(e[2]))
			b = append(b, 0, 0)
		} else {
			b = binary.LittleEndian.AppendUint32(b, e[2])
		}
	}
	return binary.LittleEndian.AppendUint32(b, next)
}

// exifTIFF is the TIFF structure of an EXIF APP1 as the EXIF 2.3 spec
// lays it out (§4.5.4, §4.5.8): IFD0 with the Orientation, IFD1 with
// Compression 6 and JPEGInterchangeFormat/Length pointing at thumb, which
// follows. orientation 0 leaves the tag out; a nil thumb leaves IFD1 out.
func exifTIFF(orientation int, thumb []byte) []byte {
	b := []byte("II*\x00\x08\x00\x00\x00")
	var ifd0 [][3]uint32
	if orientation != 0 {
		ifd0 = append(ifd0, [3]uint32{tagOrientation, 3, uint32(orientation)})
	}
	ifd1At := uint32(8 + 2 + 12*len(ifd0) + 4)
	if thumb == nil {
		return append(b, ifdBytes(ifd0, 0)...)
	}
	b = append(b, ifdBytes(ifd0, ifd1At)...)
	thumbAt := ifd1At + 2 + 3*12 + 4
	b = append(b, ifdBytes([][3]uint32{
		{tagCompression, 3, 6},
		{tagJPEGOffset, 4, thumbAt},
		{tagJPEGLength, 4, uint32(len(thumb))},
	}, 0)...)
	return append(b, thumb...)
}

// withExif puts an APP1 Exif segment holding tiff right after the SOI of
// a JPEG, as cameras write it.
func withExif(t testing.TB, jpg, tiff []byte) []byte {
	t.Helper()
	payload := append([]byte("Exif\x00\x00"), tiff...)
	if len(payload)+2 > 0xFFFF {
		t.Fatalf("APP1 too large: %d", len(payload))
	}
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// box is one ISO-BMFF box.
func box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(b, typ...), body...)
}

// heicWithExif is a HEIC as ISO/IEC 23008-12 lays it out, reduced to what
// the Exif item needs: ftyp, meta (hdlr, iinf with one "Exif" infe, iloc
// giving its one extent), mdat holding the Exif item (a 4-byte offset to
// the TIFF header, then the TIFF structure).
func heicWithExif(tiff []byte) []byte {
	ftyp := box("ftyp", []byte("heic\x00\x00\x00\x00mif1heic"))
	hdlr := box("hdlr", make([]byte, 8), []byte("pict"), make([]byte, 13))
	infe := box("infe", []byte{2, 0, 0, 0, 0, 1, 0, 0}, []byte("Exif\x00"))
	iinf := box("iinf", []byte{0, 0, 0, 0, 0, 1}, infe)
	payload := append([]byte{0, 0, 0, 0}, tiff...)
	ilocFor := func(off uint32) []byte {
		b := []byte{0, 0, 0, 0, 0x44, 0x00, 0, 1, 0, 1, 0, 0, 0, 1}
		b = binary.BigEndian.AppendUint32(b, off)
		b = binary.BigEndian.AppendUint32(b, uint32(len(payload)))
		return box("iloc", b)
	}
	meta := box("meta", []byte{0, 0, 0, 0}, hdlr, iinf, ilocFor(0))
	off := uint32(len(ftyp) + len(meta) + 8)
	meta = box("meta", []byte{0, 0, 0, 0}, hdlr, iinf, ilocFor(off))
	return bytes.Join([][]byte{ftyp, meta, box("mdat", payload)}, nil)
}

// dngWithPreview is a TIFF as DNG 1.6 lays out its preview: IFD0 with the
// orientation and one SubIFD, a reduced-resolution image (NewSubFileType
// 1) of Compression 7 in one strip: preview.
func dngWithPreview(orientation int, preview []byte) []byte {
	b := []byte("II*\x00\x08\x00\x00\x00")
	subAt := uint32(8 + 2 + 2*12 + 4)
	b = append(b, ifdBytes([][3]uint32{{tagOrientation, 3, uint32(orientation)}, {tagSubIFDs, 4, subAt}}, 0)...)
	dataAt := subAt + 2 + 4*12 + 4
	b = append(b, ifdBytes([][3]uint32{
		{tagNewSubFileType, 4, 1},
		{tagCompression, 3, 7},
		{tagStripOffsets, 4, dataAt},
		{tagStripCounts, 4, uint32(len(preview))},
	}, 0)...)
	return append(b, preview...)
}

// pngHeader is a PNG whose IHDR claims w×h, followed by a few bytes of
// nothing: what a decompression bomb's header looks like.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(ihdr)))
	typed := append([]byte("IHDR"), ihdr...)
	chunk = append(chunk, typed...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(typed))
	out := append([]byte("\x89PNG\r\n\x1a\n"), chunk...)
	return append(out, make([]byte, 64)...)
}
