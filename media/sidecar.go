package media

import (
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Sidecars pairs the media files of one folder with their Google Takeout
// JSON sidecars. names are the entry names of the folder (base names, in
// any order); every name not ending in ".json" is taken as a possible
// media file. The result maps a media name to the name of its sidecar, as
// both appear in names; a media file without one is absent.
//
// The naming rules, with their sources, are described in sidecar_names.go.
// Names are compared in Unicode NFC form, so a folder unpacked on macOS
// (NFD names) pairs like the original.
//
// Matching is deterministic and runs in two rounds:
//
//  1. Own sidecars. Every media file's candidate names are ranked: the
//     exact name (old or new style), then the clipped name, then the "(N)"
//     moved behind the clip, then any other clip of the new suffix, then
//     the same four on the name without its extension. Pairs are taken
//     best rank first; between equal ranks the media name that sorts first
//     (bytewise) wins. A sidecar taken this way belongs to one media file
//     only, so an exact match always beats a looser one for the same
//     sidecar.
//  2. Shared sidecars, for media files still without one, first rule that
//     gives a sidecar wins: an edited copy ("-edited", "-bearbeitet",
//     "-modifié", "-編集済み", ..., with or without "(N)") takes the
//     original's; a motion-photo or live-photo video (.MP, .MP4, .MOV)
//     takes the sidecar of the photo with the same name (X.MP beside
//     X.MP.jpg, X.MP4 beside X.jpg, X.MOV beside X.HEIC); a name Google
//     clipped to 47 units with its edit suffix cut ("..._DSCN0091-ha
//     edit.JPG") takes the original's; last, a "(N)" duplicate of a name
//     long enough to be clipped, with no sidecar of its own, takes the
//     plain name's (immich-go matchers.go "forgotten duplicates"). A short
//     "(N)" duplicate never takes the plain name's sidecar: it is another
//     photo (immich-go matcher_test.go DSC_0104; the Neo fork dropped its
//     _removeDigit rule for the wrong dates it gave). The original is
//     looked up as a media file of the folder first, then by the
//     own-sidecar rules applied to its name.
func Sidecars(names []string) map[string]string {
	f := newFolder(names)
	out := map[string]string{}
	f.own(out)
	for _, m := range f.media {
		if _, ok := out[m]; ok {
			continue
		}
		if s, ok := f.shared(m, out); ok {
			out[m] = s
		}
	}
	return out
}

// folder indexes one folder's names.
type folder struct {
	media    []string            // sorted, as given
	sidecars map[string]string   // NFC name -> name as given
	mediaNFC map[string]string   // NFC name -> name as given
	photos   map[string][]string // NFC stem of a still photo -> names, sorted
}

func newFolder(names []string) *folder {
	f := &folder{sidecars: map[string]string{}, mediaNFC: map[string]string{}, photos: map[string][]string{}}
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	for _, n := range sorted {
		k := norm.NFC.String(n)
		if strings.HasSuffix(strings.ToLower(n), jsonExt) {
			if _, dup := f.sidecars[k]; !dup {
				f.sidecars[k] = n
			}
			continue
		}
		if _, dup := f.mediaNFC[k]; dup {
			continue
		}
		f.mediaNFC[k] = n
		f.media = append(f.media, n)
		if stem, ext := splitExt(k); photoExts[strings.ToLower(ext)] {
			f.photos[stem] = append(f.photos[stem], n)
		}
	}
	return f
}

// own runs round 1: every sidecar to at most one media file, best rank first.
func (f *folder) own(out map[string]string) {
	type pair struct {
		rank, order int
		media, side string
	}
	var pairs []pair
	for _, m := range f.media {
		for i, c := range primaryCandidates(norm.NFC.String(m), f.exists) {
			pairs = append(pairs, pair{c.rank, i, m, f.sidecars[c.name]})
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool {
		a, b := pairs[i], pairs[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if a.media != b.media {
			return a.media < b.media
		}
		return a.order < b.order
	})
	taken := map[string]bool{}
	for _, p := range pairs {
		if _, done := out[p.media]; done || taken[p.side] {
			continue
		}
		out[p.media] = p.side
		taken[p.side] = true
	}
}

// lookup finds the sidecar of a (possibly absent) original called name:
// its round-1 pairing when it is a media file here, else the first
// own-sidecar candidate that exists.
func (f *folder) lookup(name string, out map[string]string) (string, bool) {
	k := norm.NFC.String(name)
	if m, ok := f.mediaNFC[k]; ok {
		if s, ok := out[m]; ok {
			return s, true
		}
	}
	if cs := primaryCandidates(k, f.exists); len(cs) > 0 {
		return f.sidecars[cs[0].name], true
	}
	return "", false
}

// exists reports whether the folder holds a sidecar of NFC name n.
func (f *folder) exists(n string) bool {
	_, ok := f.sidecars[n]
	return ok
}

// shared runs the round-2 rules for media file m.
func (f *folder) shared(m string, out map[string]string) (string, bool) {
	name := norm.NFC.String(m)
	for _, o := range editedOriginals(name) {
		if s, ok := f.lookup(o, out); ok {
			return s, true
		}
	}
	for _, o := range f.motionPhotos(name) {
		if s, ok := f.lookup(o, out); ok {
			return s, true
		}
	}
	for _, o := range clippedEditOriginals(name) {
		if s, ok := f.lookup(o, out); ok {
			return s, true
		}
	}
	if bare, _, ok := splitNumber(name, true); ok && utf16Len(bare) > clipUnits {
		if s, ok := f.lookup(bare, out); ok {
			return s, true
		}
	}
	return "", false
}

// editedOriginals gives the names an edited copy's original may have:
// "X-edited(1).jpg" gives "X(1).jpg", then "X.jpg".
func editedOriginals(name string) []string {
	stem, ext := splitExt(name)
	num := ""
	if bare, n, ok := splitNumber(stem, false); ok {
		stem, num = bare, n
	}
	for _, suf := range editSuffixes {
		if base, ok := cutSuffixFold(stem, suf); ok {
			if num != "" {
				return []string{base + num + ext, base + ext}
			}
			return []string{base + ext}
		}
	}
	return nil
}

// clippedEditOriginals handles an edited copy whose name Google clipped
// (the stem is 47 UTF-16 units or more, simulot/immich-go issue #1) so
// that only the start of the edit suffix is left:
// "..._DSCN0091-ha edit.JPG" (Xentraxx/GooglePhotosTakeoutHelper_Neo
// issue #29). At least "-" and two letters of the suffix must remain.
func clippedEditOriginals(name string) []string {
	stem, ext := splitExt(name)
	if utf16Len(stem) < clipUnits+1 {
		return nil
	}
	var out []string
	for _, suf := range editSuffixes {
		rs := []rune(suf)
		for n := len(rs) - 1; n >= 3; n-- {
			if base, ok := cutSuffixFold(stem, string(rs[:n])); ok {
				out = append(out, base+ext)
				break
			}
		}
	}
	return out
}

// cutSuffixFold removes suf from the end of s, compared with Unicode case
// folding, leaving a non-empty rest.
func cutSuffixFold(s, suf string) (string, bool) {
	n := len([]rune(suf))
	rs := []rune(s)
	if len(rs) <= n {
		return "", false
	}
	if !strings.EqualFold(string(rs[len(rs)-n:]), suf) {
		return "", false
	}
	return string(rs[:len(rs)-n]), true
}

// motionPhotos gives the still photos a motion part may belong to, in a
// fixed order: X.MP.jpg (and other cases) for X.MP, then the folder's
// photos named X.MP.<photo ext>, then those named X.<photo ext>, each
// sorted.
func (f *folder) motionPhotos(name string) []string {
	stem, ext := splitExt(name)
	if !motionExts[strings.ToLower(ext)] {
		return nil
	}
	var out []string
	if strings.EqualFold(ext, ".mp") {
		out = append(out, name+".jpg", name+".JPG")
	}
	out = append(out, f.photos[name]...)
	return append(out, f.photos[stem]...)
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
