package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
)

// video returns an MP4-like file: a valid ftyp box, an empty free box and
// an mdat box with 40 KiB of incompressible pseudo-random bytes. There is
// no moov box, so it does not play, but it is sniffed as video/mp4.
func video(seed uint64) []byte {
	box := func(typ string, payload []byte) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(8+len(payload)))
		return append(append(b, typ...), payload...)
	}
	ftyp := []byte("mp42")                        // major brand
	ftyp = binary.BigEndian.AppendUint32(ftyp, 0) // minor version
	ftyp = append(ftyp, "isommp42"...)            // compatible brands

	r := &rng{seed}
	mdat := make([]byte, 40*1024)
	for i := 0; i < len(mdat); i += 8 {
		binary.LittleEndian.PutUint64(mdat[i:], r.next())
	}
	var out []byte
	out = append(out, box("ftyp", ftyp)...)
	out = append(out, box("free", nil)...)
	out = append(out, box("mdat", mdat)...)
	return out
}

// notesTxt is Documents/notes.txt (UTF-8, LF line endings).
const notesTxt = `Things to sort out before the summer
====================================

- Book the vet for Biscuit (vaccination due in July)
- Ask Jürgen whether he still has the tile cutter
- Return the library books: "The Overstory", "Piranesi"
- Wi-Fi for the guest room: network "Altbau-2.4", password marmalade-periscope-quintet
- Bike: new chain + brake pads (~45 €)

Shopping
--------
oat milk, coffee beans (dark roast), lemons x3, feta, rye bread,
AA batteries, bin bags, sunscreen SPF 50

Ideas for Oma Mina's birthday
-----------------------------
* framed print of the Harrogate photo from last year
* a day trip to Fountains Abbey
* the good marmalade from the Thursday market
`

// scanPDF returns a one-page PDF as a phone scanner app produces it: a
// grayscale JPEG page image (DCTDecode) with an invisible OCR text layer.
// Cross-reference offsets are exact.
func scanPDF() ([]byte, error) {
	const w, h = 124, 175
	img := image.NewGray(image.Rect(0, 0, w, h))
	r := &rng{20250601}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 236 + r.intn(12)
			inText := x > 12 && x < w-12 && y > 14 && y < h-30 && y%9 < 3 && (x*7+y*3)%53 > 6
			if inText || (y > 20 && y < 26 && x > 30 && x < 94) {
				v = 40 + r.intn(50)
			}
			img.SetGray(x, y, color.Gray{uint8(v)})
		}
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, img, &jpeg.Options{Quality: 60}); err != nil {
		return nil, err
	}

	content := "q\n595 0 0 842 0 0 cm\n/Im1 Do\nQ\n" +
		"BT\n3 Tr\n/F1 14 Tf\n72 780 Td\n(Grimsby-Velasquez Hardware) Tj\n" +
		"0 -18 Td\n(Receipt 2025-06-01 10:42  No. 004417) Tj\n" +
		"0 -18 Td\n(2x wall plug 8mm  3.98   1x tile cutter hire  12.00) Tj\n" +
		"0 -18 Td\n(TOTAL EUR 15.98  paid by card) Tj\nET\n"

	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " +
			"/Resources << /Font << /F1 4 0 R >> /XObject << /Im1 6 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(content), content),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "+
			"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream", w, h, jpg.Len(), jpg.Bytes()),
		"<< /Title (Scan 2025-06-01) /Producer (Scanner Lite 4.2 for Android) " +
			"/CreationDate (D:20250601104512+02'00') /ModDate (D:20250601104512+02'00') >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(objs)+1, len(objs), xref)
	return b.Bytes(), nil
}
