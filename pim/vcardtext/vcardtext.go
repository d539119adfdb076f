// Package vcardtext is the text forms a vCard writer needs: folded content
// lines, escaped text and compound values, URI values and parameter
// values. The renderers of a phone's contacts (Android's provider rows, an
// iPhone's address book) share it, so their cards read alike.
package vcardtext

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Fold writes l in lines of at most 75 octets, continuation lines starting
// with a space (RFC 2425 5.8.1), never cutting a UTF-8 sequence, each line
// ended by CRLF.
func Fold(b *strings.Builder, l string) {
	max := 75
	for len(l) > max {
		cut := max
		for cut > max-4 && !utf8.RuneStart(l[cut]) {
			cut-- // a UTF-8 sequence is at most 4 bytes
		}
		b.WriteString(l[:cut])
		b.WriteString("\r\n ")
		l = l[cut:]
		max = 74 // the leading space counts
	}
	b.WriteString(l)
	b.WriteString("\r\n")
}

// Escape makes s a vCard text value: backslash, comma and semicolon
// escaped, every line break (CRLF, CR or LF) written \n, as RFC 2426 4 and
// RFC 6350 3.4 say.
func Escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ',', ';':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Compound escapes each part and joins them with ';' (N, ADR, ORG). It
// escapes parts in place.
func Compound(parts ...string) string {
	for i, p := range parts {
		parts[i] = Escape(p)
	}
	return strings.Join(parts, ";")
}

// URI makes s a URI value: URIs are not escaped as text, but a line break
// cannot stay in a content line, so each becomes a space.
func URI(s string) string {
	return strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)
}

// URIValue is a URI or date as a property value: URI, with a backslash
// doubled, since readers (Android's own VCardParser among them) undo vCard
// escapes in every value, and a lone backslash would vanish there.
func URIValue(s string) string { return strings.ReplaceAll(URI(s), `\`, `\\`) }

// Param quotes a parameter value when it holds ',', ';' or ':'; a DQUOTE,
// which no parameter value may hold, becomes a single quote and line
// breaks become spaces.
func Param(s string) string {
	s = strings.ReplaceAll(URI(s), `"`, "'")
	if strings.ContainsAny(s, ",;:") {
		return `"` + s + `"`
	}
	return s
}

// Card accumulates the content lines of one vCard 3.0, as lifeboat's
// renderers of phone contacts write them: CRLF, folded at 75 octets.
type Card struct {
	b     strings.Builder
	items int // vCard groups used so far (item1, item2, ...)
}

// Line writes name (with its parameters, already formed) and value,
// already escaped.
func (c *Card) Line(name, value string) {
	Fold(&c.b, name+":"+value)
}

// Labelled writes a property in a new group with an X-ABLabel line naming
// its label, the form Apple's and Android's exports use for a label vCard
// has no TYPE for.
func (c *Card) Labelled(name, value, label string) {
	if label == "" {
		c.Line(name, value)
		return
	}
	c.items++
	g := "item" + strconv.Itoa(c.items) + "."
	c.Line(g+name, value)
	c.Line(g+"X-ABLabel", Escape(label))
}

// String is the lines written so far.
func (c *Card) String() string { return c.b.String() }
