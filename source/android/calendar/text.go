package calendar

import (
	"strings"
	"unicode/utf8"
)

// lines builds iCalendar content lines: CRLF-terminated and folded at 75
// octets (RFC 5545 section 3.1), never inside a UTF-8 sequence.
type lines struct{ b strings.Builder }

// add writes one content line, name (with its parameters) and value.
func (l *lines) add(name, value string) {
	l.fold(name + ":" + value)
}

// fold writes s as one logical line, folded.
func (l *lines) fold(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		l.b.WriteString(s[:cut])
		l.b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space of a continuation counts
	}
	l.b.WriteString(s)
	l.b.WriteString("\r\n")
}

// escapeText escapes a TEXT value: backslash, semicolon, comma and
// newlines (CRLF, CR and LF all become \n). Other control characters than
// tab are dropped, and bytes that are not UTF-8 become U+FFFD.
func escapeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\r':
			b.WriteString(`\n`)
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteByte(c)
		default:
			if c < 0x20 || c == 0x7f {
				continue
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

// paramValue renders a parameter value: quoted, with the characters a
// quoted value cannot hold (DQUOTE, control characters) replaced.
func paramValue(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r < 0x20 || r == 0x7f:
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return `"` + s + `"`
}

// propValue strips control characters from a value that is not TEXT
// (URIs, recurrence rules), where escaping does not apply, and makes it
// UTF-8.
func propValue(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
