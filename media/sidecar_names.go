package media

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf16"
)

// Google Takeout names a photo's JSON sidecar after the photo. The rules
// below are the ones the Takeout tools found by reading real exports:
//
//   - Old exports: NAME.ext.json. New exports (late 2024 on):
//     NAME.ext.supplemental-metadata.json. One export may mix both.
//   - Clipping: the part before ".json" is cut to 46 characters, so the
//     whole name fits 51 (TheLastGimbus/GooglePhotosTakeoutHelper
//     lib/date_extractors/json_extractor.dart _shortenName; ente
//     web/packages/gallery/services/upload/metadata-json.ts, PR #4956).
//     In the new style the suffix is appended first and clipped with the
//     name, ".json" never: NAME.ext.supple.json, NAME.ext.s.json, even
//     NAME.ext..json, and for a name of 46 or more characters the suffix
//     is gone entirely (ente PR #4956; gpth PR #449). Some 2026 exports do
//     not clip at all (ente PR #12691), so the unclipped name is tried too.
//   - A "character" is a UTF-16 code unit: gpth and ente clip Dart and
//     JavaScript strings, and the one export with emoji on record
//     (simulot/immich-go issue #35) has a sidecar of exactly 46 UTF-16
//     units before ".json" (23 emoji, 92 bytes). Where the cut would split
//     a surrogate pair, both neighbouring cuts are tried.
//   - Duplicates: Google's "(N)" is not clipped and moves behind the
//     clipped part: image(1).jpg has image.jpg(1).json, or
//     image.jpg.supplemental-metadata(1).json, or image.jpg.suppl(1).json
//     when clipped. Some exports keep it in place:
//     image(1).jpg.supplemental-metadata.json (ente metadata-json.ts). A
//     "(N)" can also be part of the user's own name ("Schneifel (38).JPG"
//     has "Schneifel (38).JP.json", gpth test/gpth_test.dart), so both
//     readings are tried.
//   - A file uploaded without an extension has a sidecar without it:
//     IMG_1234.json for IMG_1234.jpg (gpth _noExtension; immich-go issue
//     #674: "Peanut Butter Balls.supplemental-metadata.json").
const (
	clipUnits  = 46
	supplement = ".supplemental-metadata"
	jsonExt    = ".json"
)

// Ranks of the primary rules, best first. A sidecar goes to the media file
// with the best rank for it; see Sidecars.
const (
	rankExact    = iota // NAME.ext.json, NAME.ext.supplemental-metadata.json
	rankClipped         // clipped to 46 UTF-16 units
	rankNumbered        // "(N)" moved behind the (clipped) name or suffix
	rankAnyClip         // any other clip of ".supplemental-metadata"
	rankNoExt           // the same rules on the name without its extension
)

var numbered = regexp.MustCompile(`\(\d{1,9}\)$`)

type candidate struct {
	name string
	rank int
}

// primaryCandidates lists, in order of preference, the sidecar names
// Takeout may have given the media file called name that exist (by
// exists), each once.
func primaryCandidates(name string, exists func(string) bool) []candidate {
	var out []candidate
	add := func(rank int, names ...string) {
	next:
		for _, n := range names {
			if !exists(n) {
				continue
			}
			for _, c := range out {
				if c.name == n {
					continue next
				}
			}
			out = append(out, candidate{n, rank})
		}
	}
	// The name as it is, then (rank offset rankNoExt) without extension.
	type form struct {
		base   string
		off    int
		hasExt bool
	}
	stem, ext := splitExt(name)
	forms := []form{{name, 0, ext != ""}}
	if ext != "" {
		forms = append(forms, form{stem, rankNoExt, false})
	}
	for _, f := range forms {
		b, off := f.base, f.off
		add(off+rankExact, b+jsonExt, b+supplement+jsonExt)
		bare, num, numbered := splitNumber(b, f.hasExt)
		numEnd := len(b) // where the "(N)" ends in b
		if f.hasExt {
			_, e := splitExt(b)
			numEnd -= len(e)
		}
		for _, c := range append(clip(b), clip(b+supplement)...) {
			// A clip that cuts a "(N)" away reads it as part of the
			// user's name, which Google would not have done for its own
			// duplicate marker: that reading ranks below the moved "(N)",
			// so X(1).jpg never takes X.jpg's clipped sidecar first.
			rank := rankClipped
			if numbered && len(c) < numEnd {
				rank = rankAnyClip
			}
			add(off+rank, c+jsonExt)
		}
		// "(N)" moved: split it off the stem, keep it out of the clip.
		if numbered {
			add(off+rankNumbered, bare+num+jsonExt, bare+supplement+num+jsonExt)
			add(off+rankNumbered, suffixed(clip(bare), num)...)
			add(off+rankNumbered, suffixed(clip(bare+supplement), num)...)
			for i := len(supplement) - 1; i >= 2; i-- {
				add(off+rankAnyClip, bare+supplement[:i]+num+jsonExt)
			}
		}
		for i := len(supplement) - 1; i >= 2; i-- {
			add(off+rankAnyClip, b+supplement[:i]+jsonExt)
		}
	}
	return out
}

// splitNumber takes Google's "(N)" off a name: for a name with an
// extension it sits just before the extension (image(1).jpg gives
// image.jpg and "(1)"); for a bare stem at its end.
func splitNumber(name string, hasExt bool) (bare, num string, ok bool) {
	stem, ext := name, ""
	if hasExt {
		stem, ext = splitExt(name)
	}
	loc := numbered.FindStringIndex(stem)
	if loc == nil || loc[0] == 0 {
		return "", "", false
	}
	return stem[:loc[0]] + ext, stem[loc[0]:], true
}

// splitExt splits "a.b.jpg" into "a.b" and ".jpg". A leading dot is not an
// extension, nor is a final dot.
func splitExt(name string) (stem, ext string) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || i == len(name)-1 {
		return name, ""
	}
	return name[:i], name[i:]
}

// clip cuts s to clipUnits UTF-16 code units. It returns s itself when it
// fits, one prefix otherwise, or two when the cut would fall inside a
// surrogate pair (the prefixes just before and just after that pair).
func clip(s string) []string {
	units := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 1 {
			w = 1
		}
		if units+w > clipUnits {
			if units == clipUnits || w == 1 {
				return []string{s[:i]}
			}
			// clipUnits falls inside r.
			end := i + len(string(r))
			if end > len(s) {
				end = len(s)
			}
			return []string{s[:i], s[:end]}
		}
		units += w
	}
	return []string{s}
}

func withJSON(ss []string) []string { return suffixed(ss, "") }

func suffixed(ss []string, num string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s + num + jsonExt
	}
	return out
}

// editSuffixes are the suffixes Google Photos gives an edited copy (or a
// creation made from a photo), which has no sidecar of its own, in the
// languages the Takeout tools have met: gpth lib/extras.dart and
// Xentraxx/GooglePhotosTakeoutHelper_Neo lib/common/constants/
// extra_formats.dart, immich-go's "-modifié" test. Matched
// case-insensitively on the NFC form; longest first so "-ha editado" wins
// over "-editado".
var editSuffixes = []string{
	"-edited", "-effects", "-smile", "-mix", "-motion", "-animation", "-collage",
	"-edytowane", "-bearbeitet", "-bewerkt", "-編集済み", "-modificato", "-modifié",
	"-ha editado", "-editado", "-editada", "-editat", "-отредактировано", "-已编辑",
	"-编辑", "-편집됨", "-düzenlendi", "-تم التعديل", "-संपादित", "-đã chỉnh sửa",
	"-แก้ไขแล้ว", "-diedit",
}

func init() {
	// Longest first (in runes), then by text, so matching is deterministic.
	sort.Slice(editSuffixes, func(i, j int) bool {
		a, b := editSuffixes[i], editSuffixes[j]
		la, lb := len([]rune(a)), len([]rune(b))
		if la != lb {
			return la > lb
		}
		return a < b
	})
}

// motionExts are the video halves of motion and live photos: Pixel's .MP
// (beside NAME.MP.jpg), older Google .MP4 (beside MVIMG_*.jpg), Apple's
// .MOV (beside .HEIC or .JPG). They carry no sidecar of their own
// (photoprism issue #2133, jrstrunk's Takeout listing).
var motionExts = map[string]bool{".mp": true, ".mp4": true, ".mov": true}

// photoExts are the still halves a motion part may sit beside.
var photoExts = map[string]bool{".jpg": true, ".jpeg": true, ".heic": true, ".heif": true}
