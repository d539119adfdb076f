package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"sort"
)

// photo describes one camera JPEG with its EXIF metadata.
type photo struct {
	name     string // file name in DCIM/Camera
	w, h     int
	taken    string // EXIF local date/time "YYYY:MM:DD HH:MM:SS"
	offset   string // OffsetTimeOriginal, e.g. "+02:00"
	subsec   string // SubSecTimeOriginal
	uniqueID string // ImageUniqueID (32 hex digits)
	expo     [2]uint32
	fnum     [2]uint32
	iso      uint16
	flash    uint16
	gps      *gpsFix
	seed     uint64
	paint    func(x, y, w, h int, r *rng) color.RGBA
}

// gpsFix is a position in degrees, minutes and hundredths of seconds.
type gpsFix struct {
	latRef, lonRef string
	lat, lon       [3][2]uint32
	altCM          uint32
	utcTime        [3]uint32 // h, m, s
	date           string    // "YYYY:MM:DD"
}

const (
	cameraMake     = "Google"
	cameraModel    = "Pixel 7a"
	cameraSoftware = "HDR+ 1.0.641377693zd"
)

// cameraPhotos lists the DCIM/Camera JPEGs. Names follow the Android
// IMG_yyyyMMdd_HHmmss convention and agree with DateTimeOriginal.
func cameraPhotos() []photo {
	return []photo{{
		name: "IMG_20250614_101500.jpg", w: 160, h: 120,
		taken: "2025:06:14 10:15:00", offset: "+02:00", subsec: "118",
		uniqueID: "b7e4f19a2c5d4e6f8a1b3c5d7e9f0a21",
		expo:     [2]uint32{1, 640}, fnum: [2]uint32{189, 100}, iso: 52, flash: 16,
		gps: &gpsFix{
			latRef: "N", lat: [3][2]uint32{{52, 1}, {30, 1}, {5421, 100}},
			lonRef: "E", lon: [3][2]uint32{{13, 1}, {24, 1}, {3720, 100}},
			altCM: 4210, utcTime: [3]uint32{8, 14, 59}, date: "2025:06:14",
		},
		seed: 101500, paint: paintLandscape(0),
	}, {
		name: "IMG_20250614_101503.jpg", w: 160, h: 120,
		taken: "2025:06:14 10:15:03", offset: "+02:00", subsec: "402",
		uniqueID: "c3a91e0d5b7f4c2a9e6d1f8b0a4c7e35",
		expo:     [2]uint32{1, 800}, fnum: [2]uint32{189, 100}, iso: 50, flash: 16,
		seed: 101503, paint: paintLandscape(9),
	}, {
		name: "IMG_20250620_183045.jpg", w: 120, h: 90,
		taken: "2025:06:20 18:30:45", offset: "+02:00", subsec: "770",
		uniqueID: "0f6d2b8e4a1c4d7f9b3e5a7c9d1f2e48",
		expo:     [2]uint32{1, 120}, fnum: [2]uint32{189, 100}, iso: 320, flash: 16,
		seed: 183045, paint: paintTiles,
	}, {
		name: "IMG_20250701_071210.jpg", w: 48, h: 64,
		taken: "2025:07:01 07:12:10", offset: "+02:00", subsec: "055",
		uniqueID: "7a5c3e1f9d0b4a6c8e2f4a6b8c0d1e93",
		expo:     [2]uint32{1, 50}, fnum: [2]uint32{189, 100}, iso: 800, flash: 25,
		seed: 71210, paint: paintRings,
	}}
}

// encode renders the picture and returns a baseline JPEG whose first
// segment is an EXIF APP1, as phone cameras write it.
func (p photo) encode() ([]byte, error) {
	r := &rng{p.seed}
	img := image.NewRGBA(image.Rect(0, 0, p.w, p.h))
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			img.SetRGBA(x, y, p.paint(x, y, p.w, p.h, r))
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 88}); err != nil {
		return nil, err
	}
	return insertAfterSOI(buf.Bytes(), segment(0xE1, append([]byte("Exif\x00\x00"), p.exif()...)))
}

// exif returns the little-endian TIFF structure of the EXIF APP1 payload:
// IFD0 (camera, resolution, pointers) -> Exif sub-IFD -> optional GPS IFD.
func (p photo) exif() []byte {
	ifd0 := []ifdEntry{
		ascii(0x010F, cameraMake),
		ascii(0x0110, cameraModel),
		short(0x0112, 1), // Orientation: top-left
		rational(0x011A, 72, 1),
		rational(0x011B, 72, 1),
		short(0x0128, 2), // ResolutionUnit: inch
		ascii(0x0131, cameraSoftware),
		ascii(0x0132, p.taken), // DateTime
		short(0x0213, 1),       // YCbCrPositioning: centered
		long(0x8769, 0),        // ExifIFDPointer, patched below
	}
	exifIFD := []ifdEntry{
		rational(0x829A, p.expo[0], p.expo[1]), // ExposureTime
		rational(0x829D, p.fnum[0], p.fnum[1]), // FNumber
		short(0x8822, 2),                       // ExposureProgram: normal
		short(0x8827, p.iso),                   // ISOSpeedRatings
		undefined(0x9000, []byte("0232")),      // ExifVersion
		ascii(0x9003, p.taken),                 // DateTimeOriginal
		ascii(0x9004, p.taken),                 // DateTimeDigitized
		ascii(0x9010, p.offset),                // OffsetTime
		ascii(0x9011, p.offset),                // OffsetTimeOriginal
		ascii(0x9012, p.offset),                // OffsetTimeDigitized
		undefined(0x9101, []byte{1, 2, 3, 0}),  // ComponentsConfiguration: YCbCr
		short(0x9207, 2),                       // MeteringMode: center weighted
		short(0x9209, p.flash),                 // Flash
		rational(0x920A, 489, 100),             // FocalLength 4.89 mm
		ascii(0x9290, p.subsec),                // SubSecTime
		ascii(0x9291, p.subsec),                // SubSecTimeOriginal
		ascii(0x9292, p.subsec),                // SubSecTimeDigitized
		undefined(0xA000, []byte("0100")),      // FlashpixVersion
		short(0xA001, 1),                       // ColorSpace: sRGB
		long(0xA002, uint32(p.w)),              // PixelXDimension
		long(0xA003, uint32(p.h)),              // PixelYDimension
		short(0xA402, 0),                       // ExposureMode: auto
		short(0xA403, 0),                       // WhiteBalance: auto
		short(0xA405, 26),                      // FocalLengthIn35mmFilm
		ascii(0xA420, p.uniqueID),              // ImageUniqueID
	}
	ifds := [][]ifdEntry{ifd0, exifIFD}
	if g := p.gps; g != nil {
		ifd0 = append(ifd0, long(0x8825, 0)) // GPSInfoIFDPointer
		ifds[0] = ifd0
		ifds = append(ifds, []ifdEntry{
			{tag: 0x0000, typ: typeByte, count: 4, data: []byte{2, 2, 0, 0}}, // GPSVersionID
			ascii(0x0001, g.latRef),
			rationals(0x0002, g.lat[:]),
			ascii(0x0003, g.lonRef),
			rationals(0x0004, g.lon[:]),
			{tag: 0x0005, typ: typeByte, count: 1, data: []byte{0}}, // above sea level
			rational(0x0006, g.altCM, 100),
			rationals(0x0007, [][2]uint32{{g.utcTime[0], 1}, {g.utcTime[1], 1}, {g.utcTime[2], 1}}),
			ascii(0x001D, g.date),
		})
	}

	// Lay the IFDs out one after another behind the 8-byte TIFF header,
	// then patch the sub-IFD pointers in IFD0.
	offsets := make([]uint32, len(ifds))
	off := uint32(8)
	for i, es := range ifds {
		offsets[i] = off
		off += ifdSize(es)
	}
	for i := range ifd0 {
		switch ifd0[i].tag {
		case 0x8769:
			ifd0[i] = long(0x8769, offsets[1])
		case 0x8825:
			ifd0[i] = long(0x8825, offsets[2])
		}
	}
	tiff := []byte{'I', 'I', 42, 0, 8, 0, 0, 0}
	for i, es := range ifds {
		tiff = append(tiff, serializeIFD(es, offsets[i])...)
	}
	return tiff
}

// TIFF field types used here.
const (
	typeByte      = 1
	typeASCII     = 2
	typeShort     = 3
	typeLong      = 4
	typeRational  = 5
	typeUndefined = 7
)

// ifdEntry is one TIFF directory entry; data holds the little-endian
// encoded value (inlined when at most 4 bytes, else stored after the IFD).
type ifdEntry struct {
	tag, typ uint16
	count    uint32
	data     []byte
}

var le = binary.LittleEndian

func ascii(tag uint16, s string) ifdEntry {
	return ifdEntry{tag, typeASCII, uint32(len(s) + 1), append([]byte(s), 0)}
}

func short(tag uint16, v uint16) ifdEntry {
	return ifdEntry{tag, typeShort, 1, le.AppendUint16(nil, v)}
}

func long(tag uint16, v uint32) ifdEntry {
	return ifdEntry{tag, typeLong, 1, le.AppendUint32(nil, v)}
}

func rational(tag uint16, num, den uint32) ifdEntry {
	return rationals(tag, [][2]uint32{{num, den}})
}

func rationals(tag uint16, vs [][2]uint32) ifdEntry {
	var b []byte
	for _, v := range vs {
		b = le.AppendUint32(le.AppendUint32(b, v[0]), v[1])
	}
	return ifdEntry{tag, typeRational, uint32(len(vs)), b}
}

func undefined(tag uint16, b []byte) ifdEntry {
	return ifdEntry{tag, typeUndefined, uint32(len(b)), b}
}

// ifdSize is the encoded size of an IFD including its out-of-line values,
// each of which is padded to an even length (TIFF word alignment).
func ifdSize(es []ifdEntry) uint32 {
	n := 2 + 12*len(es) + 4
	for _, e := range es {
		if len(e.data) > 4 {
			n += len(e.data) + len(e.data)%2
		}
	}
	return uint32(n)
}

// serializeIFD encodes es (sorted by tag, as TIFF requires) for placement
// at TIFF offset base. The next-IFD link is 0: there is no thumbnail IFD1.
func serializeIFD(es []ifdEntry, base uint32) []byte {
	es = append([]ifdEntry(nil), es...)
	sort.Slice(es, func(i, j int) bool { return es[i].tag < es[j].tag })
	b := le.AppendUint16(nil, uint16(len(es)))
	dataOff := base + uint32(2+12*len(es)+4)
	var ext []byte
	for _, e := range es {
		b = le.AppendUint16(b, e.tag)
		b = le.AppendUint16(b, e.typ)
		b = le.AppendUint32(b, e.count)
		if len(e.data) <= 4 {
			var v [4]byte
			copy(v[:], e.data)
			b = append(b, v[:]...)
			continue
		}
		b = le.AppendUint32(b, dataOff+uint32(len(ext)))
		ext = append(ext, e.data...)
		if len(e.data)%2 == 1 {
			ext = append(ext, 0)
		}
	}
	b = le.AppendUint32(b, 0)
	return append(b, ext...)
}

// segment returns a JPEG marker segment 0xFF marker, length, payload.
func segment(marker byte, payload []byte) []byte {
	b := []byte{0xFF, marker}
	b = binary.BigEndian.AppendUint16(b, uint16(2+len(payload)))
	return append(b, payload...)
}

// insertAfterSOI places segments directly after the SOI marker of jpg.
func insertAfterSOI(jpg []byte, segs ...[]byte) ([]byte, error) {
	if len(jpg) < 2 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		return nil, fmt.Errorf("not a JPEG")
	}
	out := append([]byte(nil), jpg[:2]...)
	for _, s := range segs {
		if len(s) > 2+65535 {
			return nil, fmt.Errorf("JPEG segment too large (%d bytes)", len(s))
		}
		out = append(out, s...)
	}
	return append(out, jpg[2:]...), nil
}

// jfifAPP0 is the JFIF 1.01 header found in contact photos (aspect 1:1,
// no thumbnail).
var jfifAPP0 = segment(0xE0, []byte{'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0})

// avatar renders a small square contact photo: a head-and-shoulders
// silhouette on a coloured background, JFIF-wrapped like Android/iOS do.
func avatar(size int, bg, fg color.RGBA, seed uint64) ([]byte, error) {
	r := &rng{seed}
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	s := float64(size)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			fx, fy := float64(x)/s, float64(y)/s
			c := bg
			head := math.Hypot(fx-0.5, fy-0.38) < 0.18
			body := math.Hypot((fx-0.5)*0.8, fy-1.02) < 0.34
			if head || body {
				c = fg
			}
			img.SetRGBA(x, y, jitter(c, r, 6))
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 75}); err != nil {
		return nil, err
	}
	return insertAfterSOI(buf.Bytes(), jfifAPP0)
}

// jitter adds sensor-like noise of amplitude ±amp to c.
func jitter(c color.RGBA, r *rng, amp int) color.RGBA {
	n := func(v uint8) uint8 {
		x := int(v) + r.intn(2*amp+1) - amp
		return uint8(min(max(x, 0), 255))
	}
	return color.RGBA{n(c.R), n(c.G), n(c.B), 255}
}

// paintLandscape draws sky, sun and hills; shift moves the camera a little
// so burst shots differ.
func paintLandscape(shift int) func(x, y, w, h int, r *rng) color.RGBA {
	return func(x, y, w, h int, r *rng) color.RGBA {
		fx := float64(x+shift) / float64(w)
		fy := float64(y) / float64(h)
		hill := 0.62 + 0.08*math.Sin(fx*7) + 0.04*math.Sin(fx*19+1)
		var c color.RGBA
		switch {
		case math.Hypot(fx-0.75, fy-0.22) < 0.09:
			c = color.RGBA{255, 236, 150, 255}
		case fy < hill:
			t := fy / hill
			c = color.RGBA{uint8(90 + 120*t), uint8(150 + 80*t), uint8(235 - 20*t), 255}
		default:
			t := (fy - hill) / (1 - hill)
			c = color.RGBA{uint8(70 - 30*t), uint8(140 - 60*t), uint8(50 - 20*t), 255}
		}
		return jitter(c, r, 10)
	}
}

// paintTiles draws warm evening floor tiles with diagonal grout lines.
func paintTiles(x, y, w, h int, r *rng) color.RGBA {
	c := color.RGBA{196, 120, 72, 255}
	if (x/15+y/15)%2 == 1 {
		c = color.RGBA{222, 190, 140, 255}
	}
	if x%15 == 0 || y%15 == 0 || (x+y)%29 == 0 {
		c = color.RGBA{60, 48, 40, 255}
	}
	return jitter(c, r, 14)
}

// paintRings draws concentric rings (a coffee cup from above).
func paintRings(x, y, w, h int, r *rng) color.RGBA {
	d := math.Hypot(float64(x)-float64(w)/2, float64(y)-float64(h)/2)
	v := uint8(128 + 100*math.Sin(d/2.5))
	return jitter(color.RGBA{v, uint8(int(v) * 3 / 4), uint8(int(v) / 2), 255}, r, 8)
}
