package records

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// fold is how names are compared and sorted: lower case, accents
// (combining marks after NFD) removed, ß as ss, ligatures and widths
// folded (NFKD), blanks collapsed. "Müller", "MULLER" and "Muller" are one.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii {
		return strings.Join(strings.Fields(strings.ToLower(s)), " ")
	}
	t := folders.Get().(transform.Transformer)
	out, _, err := transform.String(t, s)
	folders.Put(t)
	if err != nil {
		out = s
	}
	out = strings.ToLower(out)
	out = strings.ReplaceAll(out, "ß", "ss")
	return strings.Join(strings.Fields(out), " ")
}

// folders hold the transformers of fold: a chain costs some kilobytes of
// buffers, and names are folded by the thousand.
var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// digits returns the digits of s.
func digits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if '0' <= c && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// Search returns the contacts that match every word of q, in their order:
// a word matches when it is part of the name, organisation, an e-mail
// address or a nickname, case and accents aside ("jose" finds "José",
// "muller" finds "Müller", "strasse" finds "Straße"), or, when it holds
// digits and nothing but digits and "+-./()", when its digits are part of
// a phone number's digits, separators aside ("7700-900" and "7700900"
// find "+44 7700 900461"). An empty q matches every contact.
func Search(cs []Contact, q string) []Contact {
	words := strings.Fields(fold(q))
	if len(words) == 0 {
		return cs
	}
	var out []Contact
	for i := range cs {
		if matchesAll(&cs[i], words) {
			out = append(out, cs[i])
		}
	}
	return out
}

func matchesAll(c *Contact, words []string) bool {
	for _, w := range words {
		if !matches(c, w) {
			return false
		}
	}
	return true
}

func matches(c *Contact, w string) bool {
	for _, s := range c.words {
		if strings.Contains(s, w) {
			return true
		}
	}
	d := digits(w)
	if d == "" || strings.Trim(w, "0123456789+-./()") != "" {
		return false
	}
	for _, p := range c.Phones {
		if strings.Contains(digits(p), d) {
			return true
		}
	}
	return false
}
