// Package media reads what lifeboat needs from photos and videos.
package media

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/bep/imagemeta"
)

// CaptureTime reads a photo's capture time (EXIF DateTimeOriginal, else
// DateTime) from the first bytes of the file. Hostile or truncated data
// gives false, never a crash.
func CaptureTime(head []byte) (t time.Time, ok bool) {
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
		R: bytes.NewReader(head), ImageFormat: f, Sources: imagemeta.EXIF, Timeout: time.Second,
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
	}
	return 0, false
}
