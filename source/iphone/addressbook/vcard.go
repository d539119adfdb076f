package addressbook

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// card accumulates the content lines of one vCard 3.0, as
// source/android/contacts writes them: CRLF, folded at 75 octets.
type card struct {
	b     strings.Builder
	items int // vCard groups used so far (item1, item2, ...)
}

// line writes name (with its parameters, already formed) and value.
func (c *card) line(name, value string) {
	fold(&c.b, name+":"+value)
}

// labelled writes a property in a new group with an X-ABLabel line naming
// its label, as iOS's own export does for a label vCard has no TYPE for.
func (c *card) labelled(name, value, label string) {
	if label == "" {
		c.line(name, value)
		return
	}
	c.items++
	g := "item" + strconv.Itoa(c.items) + "."
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
			cut--
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
// escaped, every line break written \n (RFC 2426 4).
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

// uriValue is a URI as a property value: line breaks become spaces and a
// backslash is doubled, since readers undo vCard escapes in every value.
func uriValue(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)
	return strings.ReplaceAll(s, `\`, `\\`)
}

// param makes s a parameter value: quoted when it holds ',', ';' or ':',
// a DQUOTE becoming a single quote and line breaks spaces.
func param(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ", `"`, "'").Replace(s)
	if strings.ContainsAny(s, ",;:") {
		return `"` + s + `"`
	}
	return s
}
