package pim

import (
	"bytes"
	"crypto/sha256"
	"hash"
	"strings"
)

// This file is the tolerant line parser that ParseRecord uses to read a
// record piece. It works on the original bytes, never changes them, and
// builds a normalised list of content lines:
//
//   - Physical lines end in CR CR LF, CRLF, LF or a lone CR (lineReader.physLine,
//     as for Split); a leading UTF-8 BOM is skipped.
//   - A line whose value is quoted-printable and ends in '=' is continued by
//     the next physical line whatever it holds (a vCard 2.1 soft line break):
//     the '=' is dropped and the next line joined as it is, leading blanks
//     included. After a soft break and an empty line, a line that starts like
//     a property ends the value (Android's VCardBuilder writes "=" and a
//     blank line when a value's encoding fills its last line). Otherwise a line starting with a space or TAB continues the
//     previous one, minus that first byte (folding).
//   - Two vCard 2.1 habits are also joined: base64 lines without a leading
//     blank after a base64 value, and a line without ':' after a value ending
//     in '\' (joined as an escaped newline, "\n").
//   - Each logical line is split into group, name, parameters and value. The
//     value is kept up to maxValue bytes; beyond that, and for every base64
//     value, only a SHA-256 of the value (blanks left out) and its size are
//     kept, so a 100 MB PHOTO costs no memory.
//
// Everything is linear in the input. Problems (lines without ':', bad names,
// parameters longer than maxHead, ...) are noted, never fatal.

const (
	maxHead  = 4096     // bytes of name and parameters kept per line
	maxValue = 64 << 10 // bytes of a text value kept per line
	maxName  = 255      // longest property or component name accepted
)

// param is one parameter: upper-case name, values without quotes.
type param struct {
	name   string
	values []string
}

// rawProp is one content line, unfolded and split but not yet decoded.
type rawProp struct {
	line   int // physical line (1-based) where it starts
	group  string
	name   string // upper-case
	params []param
	value  []byte // raw value, QP soft breaks joined; at most maxValue bytes
	sum    []byte // SHA-256 of the whole value if binary or cut, else nil
	size   int64  // bytes of value seen (base64: without blanks)
	binary bool   // ENCODING=B/BASE64 (or VALUE=BINARY)
	qp     bool   // ENCODING=QUOTED-PRINTABLE
	cut    bool   // value longer than maxValue
}

// lineAcc accumulates one logical line while its segments stream past.
type lineAcc struct {
	line    int
	head    []byte // name and parameters, at most maxHead bytes
	headLen int
	semi    bool // a ';' was seen before the colon: parameters follow
	inQuote bool
	colon   bool
	last    byte // last content byte fed
	eq      bool // the kept value ends in an '=' not yet taken as a soft break
	qpBlank bool // the last line joined was empty, after a soft break
	light   bool // keep the value only for BEGIN and END
	p       rawProp
	h       hash.Hash
}

// feed adds unfolded content.
func (a *lineAcc) feed(b []byte) {
	if len(b) == 0 {
		return
	}
	a.last = b[len(b)-1]
	if !a.colon {
		i := a.scanColon(b)
		if i < 0 {
			a.addHead(b)
			return
		}
		a.addHead(b[:i])
		a.colon = true
		a.parseHead()
		b = b[i+1:]
	}
	if a.light && a.p.name != "BEGIN" && a.p.name != "END" {
		return
	}
	a.addValue(b)
	a.eq = a.last == '='
}

// scanColon returns the index in b of the ':' that ends the parameters
// (outside double quotes), or -1.
func (a *lineAcc) scanColon(b []byte) int {
	for i, c := range b {
		switch {
		case c == ';' && !a.inQuote:
			a.semi = true
		case c == '"' && a.semi:
			a.inQuote = !a.inQuote
		case c == ':' && !a.inQuote:
			return i
		}
	}
	return -1
}

func (a *lineAcc) addHead(b []byte) {
	a.headLen += len(b)
	if room := maxHead - len(a.head); room > 0 {
		a.head = append(a.head, b[:min(room, len(b))]...)
	}
}

// addValue adds value bytes: kept, or hashed once binary or too long.
func (a *lineAcc) addValue(b []byte) {
	p := &a.p
	if p.binary {
		if a.h == nil {
			a.h = sha256.New()
		}
		for len(b) > 0 { // hash runs without blanks
			i := bytes.IndexAny(b, " \t")
			if i < 0 {
				i = len(b)
			}
			a.h.Write(b[:i])
			p.size += int64(i)
			b = b[min(i+1, len(b)):]
		}
		return
	}
	p.size += int64(len(b))
	if room := maxValue - len(p.value); room > 0 {
		k := min(room, len(b))
		p.value = append(p.value, b[:k]...)
		b = b[k:]
	}
	if len(b) > 0 {
		if a.h == nil {
			a.h = sha256.New()
			a.h.Write(p.value)
		}
		p.cut = true
		a.h.Write(b)
	}
}

// softBreak reports whether the line ends in a quoted-printable soft break.
func (a *lineAcc) softBreak() bool {
	return a.colon && a.p.qp && a.last == '='
}

// dropSoftBreak removes the '=' of a soft break from the kept value, once.
func (a *lineAcc) dropSoftBreak() {
	if v := a.p.value; a.eq && !a.p.cut && len(v) > 0 && v[len(v)-1] == '=' {
		a.eq = false
		a.p.value = v[:len(v)-1]
		a.p.size--
	}
}

// parseHead splits the head into group, name and parameters.
func (a *lineAcc) parseHead() {
	head := string(a.head)
	nameEnd := strings.IndexByte(head, ';')
	if nameEnd < 0 {
		nameEnd = len(head)
	}
	name := head[:nameEnd]
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		a.p.group, name = name[:i], name[i+1:]
	}
	a.p.name = strings.ToUpper(name)
	if nameEnd < len(head) {
		a.p.params = parseParams(head[nameEnd+1:])
	}
	for _, pr := range a.p.params {
		switch pr.name {
		case "ENCODING":
			for _, v := range pr.values {
				switch strings.ToUpper(v) {
				case "QUOTED-PRINTABLE":
					a.p.qp = true
				case "B", "BASE64":
					a.p.binary = true
				}
			}
		case "VALUE":
			for _, v := range pr.values {
				if strings.EqualFold(v, "BINARY") {
					a.p.binary = true
				}
			}
		}
	}
}

// bareEncodings are vCard 2.1 parameter words that name an ENCODING.
var bareEncodings = map[string]bool{"QUOTED-PRINTABLE": true, "BASE64": true, "B": true, "8BIT": true, "7BIT": true}

// parseParams parses "a=b;C=\"x,y\";CELL" tolerantly. A bare word (vCard 2.1
// "TEL;CELL;VOICE:") becomes a TYPE value, or an ENCODING for encoding names.
// Parameters of the same name are merged, in order of first appearance.
func parseParams(s string) []param {
	var out []param
	add := func(name string, vals []string) {
		for i := range out {
			if out[i].name == name {
				out[i].values = append(out[i].values, vals...)
				return
			}
		}
		out = append(out, param{name: name, values: vals})
	}
	for len(s) > 0 {
		// One parameter runs to the next ';' outside quotes.
		end, q := len(s), false
		for i := 0; i < len(s); i++ {
			if s[i] == '"' {
				q = !q
			} else if s[i] == ';' && !q {
				end = i
				break
			}
		}
		p := strings.TrimSpace(s[:end])
		s = s[min(end+1, len(s)):]
		if p == "" {
			continue
		}
		eq := strings.IndexByte(p, '=')
		if eq < 0 {
			w := strings.ToUpper(p)
			if bareEncodings[w] {
				add("ENCODING", []string{w})
			} else {
				add("TYPE", []string{p}) // case kept: an Android TYPE=X-label (decodeField upper-cases for Fields)
			}
			continue
		}
		name := strings.ToUpper(strings.TrimSpace(p[:eq]))
		if name == "" {
			continue
		}
		add(name, splitParamValues(p[eq+1:]))
	}
	return out
}

// splitParamValues splits a parameter value list on commas outside quotes
// and removes the quotes.
func splitParamValues(s string) []string {
	var vals []string
	var b strings.Builder
	q := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			q = !q
		case c == ',' && !q:
			vals = append(vals, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(vals, strings.TrimSpace(b.String()))
}

// validName reports whether s is a plausible property or component name.
func validName(s string) bool {
	if s == "" || len(s) > maxName {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// isBase64Line reports whether seg looks like a line of base64 text.
func isBase64Line(seg []byte) bool {
	if len(seg) == 0 {
		return false
	}
	for _, c := range seg {
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}

// tokenize streams the logical lines of data to emit. A line without a
// colon is reported to bad with its line number. Once *light is true, only
// the values of BEGIN and END lines are kept.
func tokenize(data []byte, light *bool, emit func(*rawProp), bad func(line int, what string, args ...any)) {
	r := newLineReader(data)
	var cur *lineAcc
	var acc lineAcc
	lineNo := 0
	afterBlank := false // blank lines seen since cur started
	flush := func() {
		if cur == nil {
			return
		}
		a := cur
		cur = nil
		if !a.colon {
			// An unbalanced quote may have hidden the colon: split plainly.
			if i := bytes.IndexByte(a.head, ':'); i >= 0 && a.headLen == len(a.head) {
				rest := append([]byte(nil), a.head[i+1:]...)
				a.head, a.headLen, a.colon = a.head[:i], i, true
				a.parseHead()
				a.addValue(rest)
			} else {
				bad(a.line, "no colon")
				return
			}
		}
		if a.headLen > maxHead {
			bad(a.line, "parameters too long")
		}
		if a.p.binary && a.h == nil {
			a.h = sha256.New()
		}
		if a.h != nil {
			a.p.sum = a.h.Sum(nil)
		}
		a.p.line = a.line
		emit(&a.p)
	}
	for r.pos < len(data) {
		start := r.pos
		end, next := r.physLine(start)
		seg := data[start:end]
		r.pos = next
		lineNo++
		blank := len(bytes.Trim(seg, " \t")) == 0
		if cur != nil {
			switch {
			case cur.softBreak() && !(cur.qpBlank && startsProperty(seg)):
				// After a soft break and an empty line, a line that starts
				// a property ends the value (Android's VCardBuilder writes
				// "=" and a blank line when a value fills its last line).
				cur.dropSoftBreak()
				cur.qpBlank = len(seg) == 0
				cur.feed(seg)
				continue
			case isFold(seg):
				// A fold continues the line even after blank lines (seen
				// in files whose CRLF became LF LF).
				cur.feed(seg[1:])
				continue
			case blank:
				afterBlank = true
				continue
			case afterBlank:
			case cur.colon && cur.p.binary && isBase64Line(seg):
				cur.feed(seg)
				continue
			case cur.colon && !cur.p.binary && cur.last == '\\' &&
				bytes.IndexByte(seg, ':') < 0:
				cur.feed([]byte("n"))
				cur.feed(seg)
				continue
			}
			flush()
		}
		if blank {
			continue
		}
		afterBlank = false
		acc = lineAcc{line: lineNo, head: acc.head[:0], light: *light}
		cur = &acc
		cur.feed(seg)
	}
	flush()
}
