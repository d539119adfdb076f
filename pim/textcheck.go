package pim

import (
	"bytes"
	"unicode/utf8"
)

// checkText notes text the record cannot be read as: a NUL byte anywhere
// (vCard and iCalendar are text; a NUL is a damaged file or UTF-16), and
// values that are not valid UTF-8 and that no CHARSET of theirs or of the
// record decodes. Such values are still indexed as decodeText guesses
// them, but the guess may be wrong, so the record counts as malformed.
func (p *recParser) checkText(data []byte) {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		p.badLine(1+bytes.Count(data[:i], []byte("\n")), "a NUL byte")
	}
	if utf8.Valid(data) {
		return
	}
	for i := range p.props {
		r := &p.props[i]
		if r.binary {
			continue
		}
		v := r.value
		if r.qp {
			v = decodeQP(v)
		}
		if utf8.Valid(v) || declaredDecodes(v, paramValues(r.params, "CHARSET"), p.charsets) {
			continue
		}
		p.badLine(r.line, "%s is not valid UTF-8 and no CHARSET says what it is", r.name)
		p.encoding = true
		return // one such line says enough
	}
}

// declaredDecodes reports whether one of the declared charsets decodes b
// without replacement characters (step 2 of decodeText).
func declaredDecodes(b []byte, own, rec []string) bool {
	for _, names := range [2][]string{own, rec} {
		for _, cs := range names {
			e := charsetByName(cs)
			if e == nil {
				continue
			}
			out, err := e.NewDecoder().Bytes(b)
			if err == nil && !bytes.Contains(out, replacement) {
				return true
			}
		}
	}
	return false
}
