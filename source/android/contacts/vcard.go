package contacts

import (
	"strings"
	"unicode/utf8"
)

// card accumulates the content lines of one vCard 3.0.
type card struct {
	b     strings.Builder
	items int // vCard groups used so far (item1, item2, ...)
}

// line writes name (with its parameters, already formed) and value, both
// unescaped-safe, folded at 75 octets and ended by CRLF.
func (c *card) line(name, value string) {
	fold(&c.b, name+":"+value)
}

// labelled writes a property in a new group with an X-ABLabel line naming
// its label, the form Apple and Android exports use for custom labels.
func (c *card) labelled(name, value, label string) {
	if label == "" {
		c.line(name, value)
		return
	}
	c.items++
	g := "item" + itoa(c.items) + "."
	c.line(g+name, value)
	c.line(g+"X-ABLabel", escape(label))
}

// fold writes l in lines of at most 75 octets, continuation lines starting
// with a space (RFC 2425 5.8.1), never cutting a UTF-8 sequence.
func fold(b *strings.Builder, l string) {
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

// escape makes s a vCard text value: backslash, comma and semicolon
// escaped, every line break (CRLF, CR or LF) written \n, as RFC 2426 4 and
// RFC 6350 3.4 say.
func escape(s string) string {
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

// compound escapes each part and joins them with ';' (N, ADR, ORG).
func compound(parts ...string) string {
	for i, p := range parts {
		parts[i] = escape(p)
	}
	return strings.Join(parts, ";")
}

// uri makes s a URI value: URIs are not escaped as text, but a line break
// cannot stay in a content line, so each becomes a space.
func uri(s string) string {
	return strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)
}

// uriValue is a URI or date as a property value: uri, with a backslash
// doubled, since readers (Android's own VCardParser among them) undo vCard
// escapes in every value, and a lone backslash would vanish there.
func uriValue(s string) string { return strings.ReplaceAll(uri(s), `\`, `\\`) }

// param quotes a parameter value when it holds ',', ';' or ':'; a DQUOTE,
// which no parameter value may hold, becomes a single quote and line
// breaks become spaces.
func param(s string) string {
	s = strings.ReplaceAll(uri(s), `"`, "'")
	if strings.ContainsAny(s, ",;:") {
		return `"` + s + `"`
	}
	return s
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
