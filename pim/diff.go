package pim

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// FieldChange is one difference between two versions of a record.
type FieldChange struct {
	Name string `json:"name"` // a Record.Fields name, e.g. "TEL" or "VALARM.TRIGGER"
	Op   string `json:"op"`   // "added", "removed" or "changed"
}

// Diff compares two versions of the same record field by field, sorted by
// Name. A field is "changed" when its values differ as a multiset (order is
// ignored, so re-sorting phone numbers is no change). Volatile fields are
// ignored even if present.
func Diff(a, b Record) []FieldChange {
	var out []FieldChange
	for name, av := range a.Fields {
		if Volatile(name) {
			continue
		}
		bv, ok := b.Fields[name]
		switch {
		case !ok || len(bv) == 0:
			if len(av) > 0 {
				out = append(out, FieldChange{name, "removed"})
			}
		case len(av) == 0:
			out = append(out, FieldChange{name, "added"})
		case !sameValues(av, bv):
			out = append(out, FieldChange{name, "changed"})
		}
	}
	for name, bv := range b.Fields {
		if _, ok := a.Fields[name]; !ok && len(bv) > 0 && !Volatile(name) {
			out = append(out, FieldChange{name, "added"})
		}
	}
	slices.SortFunc(out, func(x, y FieldChange) int { return strings.Compare(x.Name, y.Name) })
	return out
}

// sameValues reports whether a and b hold the same values, in any order.
func sameValues(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	if slices.Equal(a, b) {
		return true
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// matchFields are the fields besides Name that Matches searches. NOTE and
// DESCRIPTION are left out: long free text matches too much.
var matchFields = []string{"FN", "N", "NICKNAME", "ORG", "TITLE", "EMAIL", "TEL",
	"IMPP", "SUMMARY", "LOCATION", "CATEGORIES", "UID"}

// Matches reports whether the record matches a find query: the query,
// case- and accent-insensitively ("muller" finds "Müller"), is a substring
// of Name or of a value (parameters excluded) of FN, N, NICKNAME, ORG, TITLE,
// EMAIL, TEL, IMPP, SUMMARY, LOCATION, CATEGORIES or UID. A query that looks
// like a phone number (only digits, blanks, "+-./()") with at least 4 digits
// also matches a TEL whose digits contain the query's digits, or, for 7
// digits or more, a TEL whose digits end like the query's once leading
// zeros and a country code are set aside: "+44 7700 900461" finds
// "07700 900461".
func (r Record) Matches(query string) bool {
	q := searchFold(strings.TrimSpace(query))
	if q == "" {
		return false
	}
	if strings.Contains(searchFold(r.Name), q) {
		return true
	}
	for _, name := range matchFields {
		for _, v := range r.Fields[name] {
			_, v = FieldValue(v)
			if strings.Contains(searchFold(v), q) {
				return true
			}
		}
	}
	qd, phone := phoneDigits(query)
	if !phone || len(qd) < 4 {
		return false
	}
	for _, v := range r.Fields["TEL"] {
		_, v = FieldValue(v)
		vd, _ := phoneDigits(v)
		if sameNumber(qd, vd) {
			return true
		}
	}
	return false
}

// SearchFold is how find compares text, contact names and file paths
// alike: lower-cased, accents stripped, so that "cafe", "Café" typed in NFC
// and "Café" as a Mac writes it (NFD) are one.
func SearchFold(s string) string { return searchFold(s) }

// searchFold lower-cases s and strips accents (NFD, marks removed).
func searchFold(s string) string {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii {
		return strings.ToLower(s)
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// phoneDigits returns the digits of s and whether s looks like a phone
// number (only digits, blanks and "+-./()").
func phoneDigits(s string) (string, bool) {
	var b strings.Builder
	phone := true
	for _, c := range s {
		switch {
		case '0' <= c && c <= '9':
			b.WriteRune(c)
		case strings.ContainsRune(" \t+-./()", c):
		default:
			phone = false
		}
	}
	return b.String(), phone
}

// sameNumber reports whether phone digits q (from a query) match v.
func sameNumber(q, v string) bool {
	if len(v) == 0 {
		return false
	}
	if strings.Contains(v, q) {
		return true
	}
	q, v = strings.TrimLeft(q, "0"), strings.TrimLeft(v, "0")
	n := min(len(q), len(v))
	return n >= 7 && q[len(q)-n:] == v[len(v)-n:]
}
