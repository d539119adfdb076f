package thumb

import (
	"embed"
	"io"
	"path"
	"strings"
)

//go:embed placeholders/*.svg
var placeholders embed.FS

// PlaceholderType is the content type of Placeholder's pictures.
const PlaceholderType = "image/svg+xml"

// Placeholder returns a small SVG picture (PlaceholderType) to show in
// place of a thumbnail: kind "video" for a video, "broken" for a file that
// could not be read or decoded, anything else ("unknown") for a picture
// that cannot be shown small (a HEIC with only an HEVC thumbnail, a raw).
func Placeholder(kind string) []byte {
	switch kind {
	case "video", "broken":
	default:
		kind = "unknown"
	}
	b, err := placeholders.ReadFile("placeholders/" + kind + ".svg")
	if err != nil {
		panic("thumb: placeholder missing: " + err.Error()) // embedded at build time
	}
	return b
}

// videoExt lists the extensions of videos, which get the video placeholder.
var videoExt = map[string]bool{
	".mp4": true, ".m4v": true, ".mov": true, ".qt": true, ".3gp": true, ".3g2": true,
	".avi": true, ".mkv": true, ".webm": true, ".mts": true, ".m2ts": true,
	".mpg": true, ".mpeg": true, ".wmv": true,
}

// IsVideo reports whether name is a video's by its extension.
func IsVideo(name string) bool { return videoExt[strings.ToLower(path.Ext(name))] }

// Thumbnail is Make with the placeholder when Make cannot: the picture's
// bytes and content type, "image/jpeg" or PlaceholderType.
func Thumbnail(r io.ReaderAt, size int64, name string, max int) Thumb {
	if IsVideo(name) {
		return Thumb{Data: Placeholder("video"), Type: PlaceholderType}
	}
	if b, ok := Make(r, size, name, max); ok {
		return Thumb{Data: b, Type: "image/jpeg"}
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".heic", ".heif", ".hif", ".avif", ".dng", ".cr2", ".cr3", ".nef", ".arw", ".orf", ".rw2", ".raf":
		return Thumb{Data: Placeholder("unknown"), Type: PlaceholderType}
	}
	return Thumb{Data: Placeholder("broken"), Type: PlaceholderType}
}
