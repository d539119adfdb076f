package takeoutgen

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"time"
)

// Photo bodies are JPEG-ish: SOI, a JFIF APP0, optionally an Exif APP1
// whose IFD0 points to an Exif IFD holding DateTimeOriginal, a start of
// scan, pseudo-random scan bytes (no 0xFF, so no marker appears in them)
// and EOI. Videos are an ISO BMFF ftyp box (mp42) and an mdat of
// pseudo-random bytes, with no mvhd: no date of their own.

// body sizes: 2 to 20 KiB.
func bodySize(rng *rand.Rand) int { return 2<<10 + rng.IntN(18<<10) }

// jpeg is a photo body; exif, when not zero, is its DateTimeOriginal (a
// camera's wall clock, written as the time's own fields).
func jpeg(rng *rand.Rand, exif time.Time) []byte {
	var b bytes.Buffer
	b.Write([]byte{0xFF, 0xD8})
	b.Write([]byte{0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0})
	if !exif.IsZero() {
		tiff := exifTIFF(exif.Format("2006:01:02 15:04:05"))
		seg := append([]byte("Exif\x00\x00"), tiff...)
		b.Write([]byte{0xFF, 0xE1})
		binary.Write(&b, binary.BigEndian, uint16(len(seg)+2))
		b.Write(seg)
	}
	// SOS: one component.
	b.Write([]byte{0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00})
	n := bodySize(rng) - b.Len() - 2
	for range max(n, 16) {
		b.WriteByte(byte(rng.IntN(0xFF)))
	}
	b.Write([]byte{0xFF, 0xD9})
	return b.Bytes()
}

// exifTIFF is a little-endian TIFF: IFD0 with Make and the Exif IFD
// pointer, the Exif IFD with DateTimeOriginal.
func exifTIFF(when string) []byte {
	le := binary.LittleEndian
	var b bytes.Buffer
	b.WriteString("II*\x00")
	binary.Write(&b, le, uint32(8))
	const make_ = "Google\x00"
	// IFD0 at 8: 2 entries, next IFD 0.
	ifd0End := uint32(8 + 2 + 2*12 + 4)
	makeOff := ifd0End
	exifIFD := makeOff + uint32(len(make_))
	binary.Write(&b, le, uint16(2))
	binary.Write(&b, le, []uint16{0x010F, 2})
	binary.Write(&b, le, []uint32{uint32(len(make_)), makeOff})
	binary.Write(&b, le, []uint16{0x8769, 4})
	binary.Write(&b, le, []uint32{1, exifIFD})
	binary.Write(&b, le, uint32(0))
	b.WriteString(make_)
	// Exif IFD: 1 entry, next 0, then the string.
	str := exifIFD + 2 + 12 + 4
	binary.Write(&b, le, uint16(1))
	binary.Write(&b, le, []uint16{0x9003, 2})
	binary.Write(&b, le, []uint32{uint32(len(when) + 1), str})
	binary.Write(&b, le, uint32(0))
	b.WriteString(when + "\x00")
	return b.Bytes()
}

// video is a motion photo's video part: ftyp mp42, then mdat.
func video(rng *rand.Rand) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(24))
	b.WriteString("ftypmp42\x00\x00\x00\x00mp42isom")
	n := bodySize(rng)
	binary.Write(&b, binary.BigEndian, uint32(n+8))
	b.WriteString("mdat")
	for range n {
		b.WriteByte(byte(rng.Uint32()))
	}
	return b.Bytes()
}

// sidecarJSON is a Takeout sidecar as Google writes it: title (the full
// original name), photoTakenTime, creationTime (the upload), geoData.
func sidecarJSON(title string, taken, uploaded time.Time, rng *rand.Rand) []byte {
	lat, lon := 47+rng.Float64()*8, 6+rng.Float64()*9
	stamp := func(t time.Time) string {
		return fmt.Sprintf(`{
    "timestamp": "%d",
    "formatted": "%s"
  }`, t.Unix(), t.UTC().Format("Jan 2, 2006, 3:04:05 PM UTC"))
	}
	geo := fmt.Sprintf(`{
    "latitude": %.7f,
    "longitude": %.7f,
    "altitude": 0.0,
    "latitudeSpan": 0.0,
    "longitudeSpan": 0.0
  }`, lat, lon)
	return fmt.Appendf(nil, `{
  "title": %q,
  "description": "",
  "imageViews": "%d",
  "creationTime": %s,
  "photoTakenTime": %s,
  "geoData": %s,
  "geoDataExif": %s,
  "url": "https://photos.google.com/photo/AF1Qip%016x",
  "googlePhotosOrigin": {
    "mobileUpload": {
      "deviceType": "ANDROID_PHONE"
    }
  }
}`, title, rng.IntN(40), stamp(uploaded), stamp(taken), geo, geo, rng.Uint64())
}

// albumJSON is an album folder's metadata.json.
func albumJSON(title string, made time.Time) []byte {
	return fmt.Appendf(nil, `{
  "title": %q,
  "description": "",
  "access": "protected",
  "date": {
    "timestamp": "%d",
    "formatted": "%s"
  }
}`, title, made.Unix(), made.UTC().Format("Jan 2, 2006, 3:04:05 PM UTC"))
}
