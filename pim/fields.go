package pim

import (
	"fmt"
	"slices"
	"strings"
)

// field is one decoded content line of a record.
type field struct {
	path   string  // enclosing sub-components, "" for the record's own, e.g. "VALARM"
	name   string  // upper-case property name
	params []param // ENCODING and CHARSET dropped, TYPE upper-cased, sorted by name
	text   string  // decoded value, escapes undone (structured: see comps)
	comps  []string
	binary bool
	sum    []byte
	size   int64
	cut    bool
}

// key is the field's name in Record.Fields: path and name joined by '.'.
func (f *field) key() string {
	if f.path == "" {
		return f.name
	}
	return f.path + "." + f.name
}

// structured names the properties whose value is a ';'-separated list of
// components; their text keeps the separators (a ';' inside a component is
// written "\;") and drops empty trailing components.
var structured = map[string]bool{"N": true, "ADR": true, "ORG": true}

// decodeField decodes a raw line: quoted-printable, then charset (the line's
// CHARSET, else the record's; damaged says the record looks like damaged
// UTF-8, see decodeText), then control characters, then backslash escapes.
// Base64 values are not decoded: only their digest is kept.
func decodeField(p *rawProp, path string, recCharsets []string, damaged bool) field {
	f := field{path: path, name: p.name, binary: p.binary, sum: p.sum, size: p.size, cut: p.cut}
	charsets := paramValues(p.params, "CHARSET")
	for _, pr := range p.params {
		if pr.name == "ENCODING" || pr.name == "CHARSET" || !validName(pr.name) {
			continue
		}
		var vals []string
		for _, v := range pr.values {
			v = strings.TrimSpace(cleanText(decodeText([]byte(v), charsets, recCharsets, damaged)))
			if pr.name == "TYPE" {
				v = strings.ToUpper(v)
				if v == "" || slices.Contains(vals, v) {
					continue
				}
			}
			vals = append(vals, v)
		}
		if pr.name == "TYPE" {
			if len(vals) == 0 {
				continue
			}
			slices.Sort(vals)
		}
		f.params = append(f.params, param{name: pr.name, values: vals})
	}
	slices.SortStableFunc(f.params, func(a, b param) int { return strings.Compare(a.name, b.name) })
	if f.binary {
		return f
	}
	raw := p.value
	if p.qp {
		raw = decodeQP(raw)
	}
	s := cleanText(decodeText(raw, charsets, recCharsets, damaged))
	if structured[f.name] {
		f.comps = splitComponents(s)
		for len(f.comps) > 0 && f.comps[len(f.comps)-1] == "" {
			f.comps = f.comps[:len(f.comps)-1]
		}
		esc := make([]string, len(f.comps))
		for i, c := range f.comps {
			esc[i] = strings.ReplaceAll(c, ";", `\;`)
		}
		f.text = strings.Join(esc, ";")
		return f
	}
	f.text = strings.TrimSpace(unescape(s))
	return f
}

// splitComponents splits a structured value on unescaped ';' and undoes
// escapes in each component, trimming blanks.
func splitComponents(s string) []string {
	var comps []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ';':
			comps = append(comps, strings.TrimSpace(unescape(s[start:i])))
			start = i + 1
		}
	}
	return append(comps, strings.TrimSpace(unescape(s[min(start, len(s)):])))
}

// unescape undoes vCard/iCalendar text escapes: \n or \N is a newline, \\ \,
// \; \: are the character, and so is \" (not standard, but written by some
// calendar exporters). Other backslashes are kept.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		switch n := s[i+1]; n {
		case 'n', 'N':
			b.WriteByte('\n')
			i++
		case '\\', ',', ';', ':', '"':
			b.WriteByte(n)
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// value returns the field's value as Record.Fields shows it, without
// parameters: the text, or for base64 a digest "[base64 N bytes sha256:…]";
// a text longer than 64 KiB is cut and followed by a digest of all of it.
func (f *field) value() string {
	switch {
	case f.binary:
		return fmt.Sprintf("[base64 %d bytes sha256:%x]", f.size*3/4, f.sum[:8])
	case f.cut:
		return fmt.Sprintf("%s…[%d bytes sha256:%x]", f.text, f.size, f.sum[:8])
	}
	return f.text
}

// render returns the field as Record.Fields shows it: the parameters that
// matter, "NAME=v1,v2;NAME2=v:" (values holding ':', ';', ',' or '"' are
// quoted), then the value. Without parameters it is the value alone, behind
// a ':' if it starts with ':' or with something like "NAME=x:".
func (f *field) render() string {
	if len(f.params) == 0 {
		v := f.value()
		if p, _ := FieldValue(v); p != "" || strings.HasPrefix(v, ":") {
			return ":" + v // keep FieldValue unambiguous
		}
		return v
	}
	var b strings.Builder
	for i, p := range f.params {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(p.name)
		b.WriteByte('=')
		for j, v := range p.values {
			if j > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(v, `:;,"`) {
				v = `"` + strings.ReplaceAll(v, `"`, `'`) + `"`
			}
			b.WriteString(v)
		}
	}
	b.WriteByte(':')
	b.WriteString(f.value())
	return b.String()
}

// FieldValue splits a Record.Fields value into its parameter prefix (as
// "TYPE=CELL,VOICE", or "") and the value proper: "TYPE=CELL:+1 555" gives
// "TYPE=CELL" and "+1 555"; a leading ':' (no parameters) is dropped.
func FieldValue(s string) (params, value string) {
	if strings.HasPrefix(s, ":") {
		return "", s[1:]
	}
	// A prefix is NAME=... up to the first ':' outside quotes; NAME is
	// upper-case letters, digits and '-'.
	i := 0
	for i < len(s) && ('A' <= s[i] && s[i] <= 'Z' || '0' <= s[i] && s[i] <= '9' || s[i] == '-' || s[i] == '_') {
		i++
	}
	if i == 0 || i == len(s) || s[i] != '=' {
		return "", s
	}
	q := false
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '"':
			q = !q
		case ':':
			if !q {
				return s[:j], s[j+1:]
			}
		}
	}
	return "", s
}

// volatileNames are properties that carry no meaning for the user and change
// on every sync or export, or describe the file format rather than the data.
var volatileNames = map[string]bool{
	// Standard: revision stamps, generator, format.
	"REV": true, "PRODID": true, "DTSTAMP": true, "LAST-MODIFIED": true,
	"SEQUENCE": true, "VERSION": true, "ACKNOWLEDGED": true,
	// Sync ids and client state.
	"X-ABUID": true, "X-IRMC-LUID": true, "X-GENERATOR": true,
	"X-MOZ-GENERATION": true, "X-MOZ-LASTACK": true, "X-MOZILLA-LASTALARMACK": true,
	"X-MOZ-SNOOZE-TIME": true, "X-LIC-ERROR": true, "X-EVOLUTION-ALARM-UID": true,
	"X-WR-ALARMID": true, "X-PILOTID": true, "X-PILOTSTAT": true, "X-RIM-REVISION": true,
	"X-MICROSOFT-CDO-APPT-SEQUENCE": true, "X-MICROSOFT-CDO-OWNERAPPTID": true,
	"X-MICROSOFT-CDO-ATTENDEE-CRITICAL-CHANGE": true, "X-MICROSOFT-CDO-OWNER-CRITICAL-CHANGE": true,
	"X-MS-OLK-APPTSEQTIME": true, "X-MS-OLK-APPTLASTSEQUENCE": true,
}

// volatileParts are pieces of X- names that mark sync noise.
var volatileParts = []string{"SYNC", "LASTACK", "LAST-MODIFIED", "LASTMODIFIED", "TIMESTAMP", "DTSTAMP"}

// volatileSuffixes end X- names that mark sync noise.
var volatileSuffixes = []string{"-REV", "-REVISION", "-ETAG", "-GENERATION", "-SEQUENCE", "-LUID"}

// Volatile reports whether a property carries no meaning for the user and
// changes on every sync or export, so that Diff ignores it. name is a
// property name, any case, optionally behind a group or sub-component path
// ("item1.REV", "VALARM.X-MOZ-LASTACK"): only its last element counts.
//
// Volatile are REV, PRODID, DTSTAMP, LAST-MODIFIED, SEQUENCE, VERSION (the
// format, not the data: a 2.1 → 3.0 re-export changes nothing for the user),
// ACKNOWLEDGED (alarm dismissal time); the client ids and states X-ABUID,
// X-IRMC-LUID, X-GENERATOR, X-MOZ-GENERATION, X-MOZ-LASTACK,
// X-MOZILLA-LASTALARMACK, X-MOZ-SNOOZE-TIME, X-LIC-ERROR,
// X-EVOLUTION-ALARM-UID, X-WR-ALARMID, X-PILOTID, X-PILOTSTAT,
// X-RIM-REVISION, X-MICROSOFT-CDO-APPT-SEQUENCE, X-MICROSOFT-CDO-OWNERAPPTID,
// X-MICROSOFT-CDO-{ATTENDEE,OWNER}-CRITICAL-CHANGE, X-MS-OLK-APPTSEQTIME,
// X-MS-OLK-APPTLASTSEQUENCE; and any X- name containing SYNC, LASTACK,
// LAST-MODIFIED, LASTMODIFIED, TIMESTAMP or DTSTAMP, or ending in -REV,
// -REVISION, -ETAG, -GENERATION, -SEQUENCE or -LUID.
//
// UID and CREATED are not volatile: they do not change on sync.
func Volatile(name string) bool {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToUpper(name)
	if volatileNames[name] {
		return true
	}
	if !strings.HasPrefix(name, "X-") {
		return false
	}
	for _, p := range volatileParts {
		if strings.Contains(name, p) {
			return true
		}
	}
	for _, s := range volatileSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}
