package iosgen

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"time"
)

// The file formats of the camera roll, each built as small as a reader
// needs and padded with the noise CameraRoll gives it: a JPEG with an
// APP1 Exif segment, a HEIC whose meta box points at an Exif item in
// mdat, a QuickTime or MP4 video with moov/mvhd, and a PNG with no date.

// mac1904 is the QuickTime epoch in Unix seconds.
const mac1904 = -2082844800

// shot is one photo's or video's metadata.
type shot struct {
	wall   time.Time // the camera's wall clock (local time)
	offset string    // OffsetTimeOriginal, "+02:00"; "" writes none
	model  string
}

// tiffExif is a big-endian TIFF: IFD0 with Make, Model, DateTime and the
// ExifIFD pointer; the Exif IFD with DateTimeOriginal (0x9003),
// DateTimeDigitized (0x9004) and, when s.offset is set,
// OffsetTimeOriginal (0x9011).
func tiffExif(s shot) []byte {
	type entry struct {
		tag, typ uint16
		count    uint32
		value    []byte // ASCII with its NUL, or a LONG
	}
	ascii := func(tag uint16, v string) entry {
		return entry{tag, 2, uint32(len(v) + 1), append([]byte(v), 0)}
	}
	when := s.wall.Format("2006:01:02 15:04:05")
	ifd0 := []entry{ascii(0x010f, "Apple"), ascii(0x0110, s.model), ascii(0x0132, when), {0x8769, 4, 1, nil}}
	exif := []entry{ascii(0x9003, when), ascii(0x9004, when)}
	if s.offset != "" {
		exif = append(exif, ascii(0x9011, s.offset))
	}
	be := binary.BigEndian
	size := func(es []entry) int { return 2 + 12*len(es) + 4 }
	extra := func(es []entry) int {
		n := 0
		for _, e := range es {
			if len(e.value) > 4 {
				n += len(e.value)
			}
		}
		return n
	}
	exifAt := 8 + size(ifd0) + extra(ifd0)
	ifd0[3].value = be.AppendUint32(nil, uint32(exifAt))
	out := []byte("MM\x00*")
	out = be.AppendUint32(out, 8)
	write := func(es []entry, at int) {
		data := at + size(es)
		out = be.AppendUint16(out, uint16(len(es)))
		var tail []byte
		for _, e := range es {
			out = be.AppendUint16(out, e.tag)
			out = be.AppendUint16(out, e.typ)
			out = be.AppendUint32(out, e.count)
			if len(e.value) <= 4 {
				out = append(out, append(e.value, make([]byte, 4-len(e.value))...)...)
				continue
			}
			out = be.AppendUint32(out, uint32(data+len(tail)))
			tail = append(tail, e.value...)
		}
		out = be.AppendUint32(out, 0) // no next IFD
		out = append(out, tail...)
	}
	write(ifd0, 8)
	write(exif, exifAt)
	return out
}

// segment is a JPEG marker segment: FF, marker, 16-bit length, payload.
func segment(marker byte, payload []byte) []byte {
	b := []byte{0xff, marker}
	b = binary.BigEndian.AppendUint16(b, uint16(len(payload)+2))
	return append(b, payload...)
}

// jpegFile is SOI, APP1 Exif, a DQT and SOF0 and SOS header, noise as
// entropy-coded data (each 0xFF followed by a stuffed 0x00), and EOI; the
// noise is changed in place.
func jpegFile(s shot, noise []byte) []byte {
	for i := 0; i < len(noise); i++ {
		if noise[i] == 0xff {
			if i+1 < len(noise) {
				noise[i+1] = 0
			} else {
				noise[i] = 0xfe
			}
			i++
		}
	}
	b := []byte{0xff, 0xd8}
	b = append(b, segment(0xe1, append([]byte("Exif\x00\x00"), tiffExif(s)...))...)
	b = append(b, segment(0xdb, append([]byte{0}, bytes.Repeat([]byte{1}, 64)...))...)
	// SOF0: 8-bit, 3024x4032, 3 components.
	b = append(b, segment(0xc0, []byte{8, 0x0f, 0xc0, 0x0b, 0xd0, 3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0})...)
	b = append(b, segment(0xda, []byte{3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0})...)
	b = append(b, noise...)
	return append(b, 0xff, 0xd9)
}

// box is an ISO BMFF box: 32-bit size, type, payload.
func box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	b = append(b, typ...)
	return append(b, body...)
}

func be16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func be32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// heicFile is ftyp heic, meta (hdlr pict, pitm, iinf with the primary
// hvc1 item 1 and an Exif item 2, iloc giving both extents in mdat, iref
// cdsc from the Exif to the image), then mdat: the Exif item (a 4-byte
// offset to the TIFF header, then the TIFF) and the noise as the coded
// image.
func heicFile(s shot, noise []byte) []byte {
	ftyp := box("ftyp", []byte("heic"), be32(0), []byte("mif1MiHEmiafMiHBheic"))
	hdlr := box("hdlr", be32(0), be32(0), []byte("pict"), make([]byte, 13))
	pitm := box("pitm", be32(0), be16(1))
	infe := func(id uint16, typ string) []byte {
		return box("infe", []byte{2, 0, 0, 0}, be16(id), be16(0), []byte(typ), []byte{0})
	}
	iinf := box("iinf", be32(0), be16(2), infe(1, "hvc1"), infe(2, "Exif"))
	iref := box("iref", be32(0), box("cdsc", be16(2), be16(1), be16(1)))
	exif := append([]byte{0, 0, 0, 0}, tiffExif(s)...)
	build := func(mdat uint32) []byte {
		// iloc v0: offset_size 4, length_size 4, base_offset_size 0.
		iloc := box("iloc", be32(0), []byte{0x44, 0x00}, be16(2),
			be16(1), be16(0), be16(1), be32(mdat+uint32(len(exif))), be32(uint32(len(noise))),
			be16(2), be16(0), be16(1), be32(mdat), be32(uint32(len(exif))))
		meta := box("meta", be32(0), hdlr, pitm, iinf, iref, iloc)
		return append(append([]byte{}, ftyp...), meta...)
	}
	head := build(0)
	head = build(uint32(len(head) + 8))
	return append(head, box("mdat", exif, noise)...)
}

// videoFile is a QuickTime movie (ftyp qt, wide, mdat, then moov with
// mvhd and, as an iPhone writes it, meta with
// com.apple.quicktime.creationdate in the camera's zone) or, when mp4 is
// set, an MP4 with moov (mvhd only) before mdat. The noise is the media
// data.
func videoFile(taken time.Time, zone *time.Location, mp4 bool, noise []byte) []byte {
	secs := uint32(taken.Unix() - mac1904)
	mvhd := make([]byte, 100)
	binary.BigEndian.PutUint32(mvhd[4:], secs)
	binary.BigEndian.PutUint32(mvhd[8:], secs)
	binary.BigEndian.PutUint32(mvhd[12:], 600)
	binary.BigEndian.PutUint32(mvhd[16:], 600*uint32(3+len(noise)%40))
	binary.BigEndian.PutUint32(mvhd[20:], 0x00010000) // rate 1.0
	binary.BigEndian.PutUint16(mvhd[24:], 0x0100)     // volume 1.0
	for i, v := range []uint32{0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000} {
		binary.BigEndian.PutUint32(mvhd[36+4*i:], v)
	}
	binary.BigEndian.PutUint32(mvhd[96:], 2) // next track ID
	mdat := box("mdat", noise)
	if mp4 {
		moov := box("moov", box("mvhd", mvhd))
		return bytes.Join([][]byte{box("ftyp", []byte("mp42"), be32(0), []byte("isommp42")), moov, mdat}, nil)
	}
	const key = "com.apple.quicktime.creationdate"
	keys := box("keys", be32(0), be32(1), box("mdta", []byte(key)))
	date := taken.In(zone).Format("2006-01-02T15:04:05-0700")
	ilst := box("ilst", box(string(be32(1)), box("data", be32(1), be32(0), []byte(date))))
	meta := box("meta", box("hdlr", be32(0), be32(0), []byte("mdta"), make([]byte, 13)), keys, ilst)
	moov := box("moov", box("mvhd", mvhd), meta)
	return bytes.Join([][]byte{box("ftyp", []byte("qt  "), be32(0), []byte("qt  ")), box("wide"), mdat, moov}, nil)
}

// pngChunk is one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// pngFile is a screenshot as iOS saves one: signature, IHDR (1179x2556
// RGBA), sRGB, the noise as IDAT, IEND; no eXIf, no date.
func pngFile(noise []byte) []byte {
	ihdr := append(be32(1179), be32(2556)...)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, pngChunk("IHDR", ihdr)...)
	b = append(b, pngChunk("sRGB", []byte{0})...)
	b = append(b, pngChunk("IDAT", noise)...)
	return append(b, pngChunk("IEND", nil)...)
}
