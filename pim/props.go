package pim

import (
	"strings"
	"unicode/utf8"
)

// Property is one decoded content line of a record, for callers that map
// a record property by property (restoring contacts onto a phone).
// Record.Fields cannot serve them: it drops vCard groups (so an
// item1.X-ABLabel cannot be paired with its item1.TEL), upper-cases TYPE
// values (an Android "TEL;X-Boat" label loses its case) and undoes the
// escapes of unstructured values (so the ';'-separated parts of an
// X-ANDROID-CUSTOM line, or the ','-separated NICKNAME and CATEGORIES
// values, can no longer be told from an escaped ';' or ',').
type Property struct {
	Group  string // vCard group ("item1"), as written; "" for none
	Path   string // enclosing sub-components, "" for the record's own
	Name   string // upper-case property name
	Params []Param
	// Value is the decoded value (quoted-printable and charset undone,
	// control characters removed, line breaks LF) with its backslash
	// escapes kept: split it with SplitValue. A base64 value is "" and
	// Binary is set.
	Value  string
	Binary bool
}

// Param is one parameter of a Property: upper-case name, values as
// written (quotes removed, charset decoded, case kept). Bare vCard 2.1
// words ("TEL;CELL") are TYPE values.
type Param struct {
	Name   string
	Values []string
}

// Param returns the values of the parameter name (upper-case), nil if
// absent.
func (p Property) Param(name string) []string {
	for _, pr := range p.Params {
		if pr.Name == name {
			return pr.Values
		}
	}
	return nil
}

// Properties reads the properties of one record piece (as cut by Split)
// with the tolerant line parser ParseRecord uses, in order, BEGIN and END
// lines left out. The error is what ParseRecord's line parser found (a
// *ParseError), without the second opinion of the vCard and iCalendar
// libraries; the properties read are returned with it. Properties never
// panics and is linear in len(data).
func Properties(kind RecordKind, data []byte) (props []Property, err error) {
	defer func() {
		if r := recover(); r != nil {
			props, err = nil, &ParseError{Kind: kind, Problems: []string{"internal error while parsing"}}
		}
	}()
	p := &recParser{kind: kind, want: wantComp(kind)}
	p.damaged = !utf8.Valid(data) && looksDamagedUTF8(data)
	tokenize(data, &p.light, p.line, p.badLine)
	p.finish()
	for i := range p.props {
		r := &p.props[i]
		charsets := paramValues(r.params, "CHARSET")
		prop := Property{Group: r.group, Path: p.paths[i], Name: r.name, Binary: r.binary}
		for _, pr := range r.params {
			if pr.name == "ENCODING" || pr.name == "CHARSET" || !validName(pr.name) {
				continue
			}
			vals := make([]string, 0, len(pr.values))
			for _, v := range pr.values {
				vals = append(vals, strings.TrimSpace(cleanText(decodeText([]byte(v), charsets, p.charsets, p.damaged))))
			}
			prop.Params = append(prop.Params, Param{Name: pr.name, Values: vals})
		}
		if !r.binary {
			raw := r.value
			if r.qp {
				raw = decodeQP(raw)
			}
			prop.Value = cleanText(decodeText(raw, charsets, p.charsets, p.damaged))
		}
		props = append(props, prop)
	}
	if len(p.problems) > 0 {
		return props, &ParseError{Kind: kind, Problems: p.problems, More: p.more}
	}
	return props, nil
}

// SplitValue splits an escaped value (Property.Value) on each sep (';' or
// ',') not behind a backslash and undoes the escapes of each part
// ("\n" is a newline; "\\", "\,", "\;", "\:" the character). A value
// without sep is one part.
func SplitValue(v string, sep byte) []string {
	var parts []string
	start := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case sep:
			parts = append(parts, unescape(v[start:i]))
			start = i + 1
		}
	}
	return append(parts, unescape(v[min(start, len(v)):]))
}

// Unescape undoes the escapes of a text value (see SplitValue).
func Unescape(v string) string { return unescape(v) }
