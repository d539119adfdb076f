package takeoutgen

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// Sidecar naming, as Google Takeout writes it (research notes,
// phone-sources.md §Google Takeout; gpth json_extractor.dart, ente
// metadata-json.ts and PR #4956):
//
//   - old style: NAME.ext.json; new style (late 2024 on):
//     NAME.ext.supplemental-metadata.json;
//   - the part before ".json" is cut to 46 UTF-16 units, so the whole name
//     fits 51; in the new style the suffix is appended first and clipped
//     with the name (NAME.ext.supple.json), ".json" never;
//   - a "(N)" duplicate, image(1).jpg, has its number behind the clipped
//     part: image.jpg(1).json, image.jpg.supplemental-metadata(1).json.
const (
	clipUnits  = 46
	supplement = ".supplemental-metadata"
)

// Style is how a sidecar is named.
type Style int

// The sidecar styles, mixed in one export.
const (
	Old Style = iota // NAME.ext.json
	New              // NAME.ext.supplemental-metadata.json
	// NewInPlace keeps a duplicate's "(N)" where it is:
	// NAME(1).ext.supplemental-metadata.json (ente metadata-json.ts).
	NewInPlace
	// Unclipped is the new style not clipped at all, as some 2026
	// exports write it (ente PR #12691).
	Unclipped
)

// SidecarName is the name Takeout gives the sidecar of the media file
// called name, in style st. A name with a "(N)" before its extension is
// taken as Google's duplicate marker.
func SidecarName(name string, st Style) string {
	base, num := splitDup(name)
	switch st {
	case New:
		base += supplement
	case NewInPlace:
		return clip(name+supplement) + ".json"
	case Unclipped:
		return base + supplement + num + ".json"
	}
	return clip(base) + num + ".json"
}

// splitDup takes Google's "(N)" off a name: "IMG(1).jpg" gives "IMG.jpg"
// and "(1)".
func splitDup(name string) (base, num string) {
	stem, ext := name, ""
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		stem, ext = name[:i], name[i:]
	}
	if !strings.HasSuffix(stem, ")") {
		return name, ""
	}
	open := strings.LastIndexByte(stem, '(')
	if open <= 0 {
		return name, ""
	}
	if _, err := strconv.Atoi(stem[open+1 : len(stem)-1]); err != nil {
		return name, ""
	}
	return stem[:open] + ext, stem[open:]
}

// clip cuts s to 46 UTF-16 code units, never inside a character.
func clip(s string) string {
	units := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if units+w > clipUnits {
			return s[:i]
		}
		units += w
	}
	return s
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }
