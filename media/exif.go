// Package media reads what lifeboat needs from photos and videos.
package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bep/imagemeta"
)

// CaptureTime reads a photo's capture time (EXIF DateTimeOriginal, else
// DateTime) from the first bytes of the file: JPEG, PNG, WebP, TIFF and
// DNG (a TIFF), HEIC/HEIF/AVIF. Hostile or truncated data gives false,
// never a crash. A HEIC keeps its Exif item wherever its meta/iloc box
// says, often past the first bytes; use CaptureTimeAt for the whole file.
func CaptureTime(head []byte) (t time.Time, ok bool) {
	return captureTime(bytes.NewReader(head), head)
}

// CaptureTimeAt is CaptureTime reading the whole file of size bytes
// through r, so that a HEIC's Exif item is found at any offset its iloc
// box gives, and a DNG's Exif IFD anywhere in the file. imagemeta bounds
// each read (no buffer over its maximum, at most 5000 tags).
func CaptureTimeAt(r io.ReaderAt, size int64) (time.Time, bool) {
	if r == nil || size <= 0 {
		return time.Time{}, false
	}
	head := make([]byte, min(size, 256))
	if n, err := r.ReadAt(head, 0); n < len(head) && err != nil {
		return time.Time{}, false
	}
	return captureTime(io.NewSectionReader(r, 0, size), head)
}

func captureTime(rs io.ReadSeeker, head []byte) (t time.Time, ok bool) {
	f, known := imageFormat(head)
	if !known {
		return time.Time{}, false
	}
	defer func() {
		if recover() != nil {
			t, ok = time.Time{}, false
		}
	}()
	var original, modified string
	_, err := imagemeta.Decode(imagemeta.Options{
		R: rs, ImageFormat: f, Sources: imagemeta.EXIF, Timeout: time.Second,
		ShouldHandleTag: func(ti imagemeta.TagInfo) bool {
			return ti.Tag == "DateTimeOriginal" || ti.Tag == "DateTime" || strings.HasSuffix(ti.Tag, "IFDPointer")
		},
		HandleTag: func(ti imagemeta.TagInfo) error {
			switch ti.Tag {
			case "DateTimeOriginal":
				original = fmt.Sprint(ti.Value)
				return imagemeta.ErrStopWalking
			case "DateTime":
				modified = fmt.Sprint(ti.Value)
			}
			return nil
		},
		Warnf: func(string, ...any) {},
	})
	if err != nil && original == "" && modified == "" {
		return time.Time{}, false
	}
	for _, s := range []string{original, modified} {
		if t, err := time.Parse("2006:01:02 15:04:05", strings.TrimSpace(strings.TrimRight(s, "\x00"))); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func imageFormat(b []byte) (imagemeta.ImageFormat, bool) {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return imagemeta.JPEG, true
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return imagemeta.PNG, true
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return imagemeta.WebP, true
	case bytes.HasPrefix(b, []byte("II*\x00")) || bytes.HasPrefix(b, []byte("MM\x00*")):
		return imagemeta.TIFF, true
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return heifBrand(b)
	}
	return 0, false
}

// heifBrand reads an ISO BMFF ftyp box: a HEIC, HEIF or AVIF by its major
// brand, else by a compatible brand (ISO/IEC 23008-12, AV1-ISOBMFF).
func heifBrand(b []byte) (imagemeta.ImageFormat, bool) {
	end := int(binary.BigEndian.Uint32(b[:4]))
	if end > len(b) || end < 12 {
		end = 12
	}
	brands := []string{string(b[8:12])}
	for i := 16; i+4 <= end; i += 4 {
		brands = append(brands, string(b[i:i+4]))
	}
	for _, brand := range brands {
		switch brand {
		case "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1":
			return imagemeta.HEIF, true
		case "avif", "avis":
			return imagemeta.AVIF, true
		}
	}
	return 0, false
}
