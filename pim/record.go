package pim

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Record is what lifeboat knows about one contact, event, to-do or journal,
// parsed from a normalised copy of its bytes (the stored bytes are never
// re-encoded).
type Record struct {
	Kind RecordKind // RecContact, RecEvent, RecTodo, RecJournal, RecFreeBusy (others tolerated)
	UID  string     // "" when absent

	// Key identifies the record across snapshots: Kind.String()+":"+UID.
	// Without a UID it is a fallback: contacts "contact:fn:"+fold(FN)+"|"+fold(N)
	// (N as in Fields; with neither, "contact:name:"+fold(Name)); events, to-dos and
	// journals "event:sum:"+fold(SUMMARY)+"|"+DTSTART (to-dos: DUE when there
	// is no DTSTART); time zones "timezone:tzid:"+TZID; otherwise
	// kind+":hash:"+a digest of Fields. fold
	// lower-cases, applies NFKC and collapses blanks. The exceptions of a
	// recurring series share their master's Key; see RecurrenceID. Records
	// without a UID that share a Key are told apart by Identity.
	Key string

	// Name is a human-readable UTF-8 display name on one line, at most 200
	// characters. Contacts: FN, else N as "Given Family", else ORG, else the
	// first TEL, EMAIL, NICKNAME (also Android's X-ANDROID-CUSTOM nickname),
	// instant-messaging handle, or ADR street and city, else "(no name)".
	// Events and journals: a title (SUMMARY, else the first line of
	// DESCRIPTION, else LOCATION, else COMMENT, else "(no title)"), then
	// " ("+start+")" with start written "2006-01-02 15:04" (" UTC" added for
	// UTC times, the date alone for all-day events) when there is a DTSTART.
	// To-dos: the title, then ", due "+DUE, then ", "+STATUS in words
	// ("needs action", "in process", "completed", "cancelled").
	// Free/busy: "free/busy (start)"; time zones: TZID.
	Name string

	// RecurrenceID is the RECURRENCE-ID value of a VEVENT/VTODO exception of
	// a recurring series (it shares UID and Key with the series' master).
	RecurrenceID string

	// Start (DTSTART), Due (DUE) and Status (STATUS, upper-case) are the
	// values without parameters, e.g. "20250617T093000".
	Start, Due, Status string

	// Fields maps an upper-case property name to its values in order, as
	// "PARAMS:value" or "value" (see FieldValue): decoded UTF-8 text with the
	// parameters that matter kept (TYPE upper-cased and sorted, e.g.
	// "TYPE=CELL,VOICE:+44 7700 900461"; TZID, VALUE, LANGUAGE, ...),
	// ENCODING and CHARSET dropped, vCard groups dropped. Properties of
	// sub-components are named with their path, e.g. "VALARM.TRIGGER".
	// Base64 values appear as a digest "[base64 N bytes sha256:…]", and text
	// beyond 64 KiB is cut and followed by a digest of all of it. A value
	// without parameters that starts with ':' or looks like "X=y:" is written
	// behind a ':'. At most 10,000 properties are indexed. Volatile
	// properties are left out.
	Fields map[string][]string
}

// ParseError describes why a record is malformed. Problems name
// components and line numbers (counted from 1 at the start of the data
// given to ParseRecord) and quote no property values; component names are
// cut to 20 bytes.
type ParseError struct {
	Kind     RecordKind
	Problems []string // the first few problems found (at most 8)
	More     int      // problems not listed
	// Encoding is set when the only problem is text that is not valid
	// UTF-8 and that no CHARSET names (raw Latin-1 or Shift_JIS, say): the
	// structure is intact and the text was decoded by a guess.
	Encoding bool
}

func (e *ParseError) Error() string {
	s := fmt.Sprintf("pim: malformed %v: %s", e.Kind, strings.Join(e.Problems, "; "))
	if e.More > 0 {
		s += fmt.Sprintf(" (and %d more problems)", e.More)
	}
	return s
}

// maxProblems is how many problems a ParseError lists.
const maxProblems = 8

// maxRecordDepth is the component nesting ParseRecord follows; content
// nested deeper is skipped.
const maxRecordDepth = 16

// maxProps is how many properties of a record ParseRecord indexes; a real
// contact or event has a few dozen.
const maxProps = 10000

// ParseRecord indexes the bytes of one record piece (as cut by Split).
//
// The tolerant line parser of this package (normalize.go) reads the piece:
// it unfolds, joins quoted-printable soft breaks, splits parameters (bare
// vCard 2.1 words become TYPE values), decodes quoted-printable and
// charsets, and builds Fields, Name and Key itself. The normalised lines are
// then handed to github.com/emersion/go-vcard (contacts) or
// github.com/emersion/go-ical (wrapped in a VCALENDAR) as a second opinion
// on well-formedness: their errors, and panics (recovered), are reported
// when the line parser found nothing wrong. The libraries never see more
// than a bounded copy (see validate.go).
//
// ParseRecord never panics and is linear in len(data). On a malformed record
// it returns what it could read and a *ParseError that names properties and
// line numbers but quotes no content. Kinds other than contact, event, to-do,
// journal and free/busy are parsed the same way (as iCalendar components),
// and RecNone is an error.
func ParseRecord(kind RecordKind, data []byte) (rec Record, err error) {
	defer func() {
		if r := recover(); r != nil {
			rec = Record{Kind: kind, Key: kind.String() + ":", Fields: map[string][]string{}}
			err = &ParseError{Kind: kind, Problems: []string{"internal error while parsing"}}
		}
	}()
	p, rec := parse(kind, data)
	if len(p.problems) == 0 {
		if verr := validate(kind, p); verr != nil {
			p.problem(verr.Error())
		}
	}
	p.checkText(data)
	if len(p.problems) > 0 {
		return rec, &ParseError{Kind: kind, Problems: p.problems, More: p.more,
			Encoding: p.encoding && len(p.problems) == 1}
	}
	return rec, nil
}

// parse runs the line parser and builds the record.
func parse(kind RecordKind, data []byte) (*recParser, Record) {
	p := &recParser{kind: kind, want: wantComp(kind)}
	// A line a property at most (folds and BEGIN/END make it fewer), so
	// the slices of a real card or event are sized once; a long folded
	// value (a photo) does not make them large.
	n := min(bytes.Count(data, []byte{'\n'})+1, 64)
	p.props, p.paths, p.items = make([]rawProp, 0, n), make([]string, 0, n), make([]item, 0, n+2)
	p.damaged = !utf8.Valid(data) && looksDamagedUTF8(data)
	tokenize(data, &p.light, p.line, p.badLine)
	p.finish()
	return p, p.build()
}

// wantComp is the component a record of kind k starts with, or "" for any.
func wantComp(k RecordKind) string {
	switch k {
	case RecContact:
		return "VCARD"
	case RecEvent:
		return "VEVENT"
	case RecTodo:
		return "VTODO"
	case RecJournal:
		return "VJOURNAL"
	case RecFreeBusy:
		return "VFREEBUSY"
	case RecTimezone:
		return "VTIMEZONE"
	}
	return ""
}

// item is one normalised line in order, for the library copy: a property
// (index into props) or a BEGIN/END of a component.
type item struct {
	begin, end bool
	comp       string
	prop       int
	depth      int // depth of the property, or of the component opened/closed
}

// recParser follows the component structure of one record.
type recParser struct {
	kind      RecordKind
	want      string
	stack     []string // open components (at most maxRecordDepth)
	overflow  int      // open components beyond maxRecordDepth
	started   bool     // the record's BEGIN was seen
	ended     bool     // the record's END was seen
	props     []rawProp
	paths     []string
	items     []item
	charsets  []string // CHARSET values seen, in order (record default)
	damaged   bool     // the record looks like damaged UTF-8
	encoding  bool     // a value is not UTF-8 and no CHARSET decodes it
	problems  []string
	more      int
	deepNoted bool
	afterNote bool
	light     bool // maxProps reached: the tokenizer need not keep values
}

func (p *recParser) problem(s string) {
	if len(p.problems) < maxProblems {
		p.problems = append(p.problems, s)
	} else {
		p.more++
	}
}

// badLine notes a problem on a line; what is a format for args.
func (p *recParser) badLine(line int, what string, args ...any) {
	if len(p.problems) >= maxProblems {
		p.more++
		return
	}
	p.problem(fmt.Sprintf("line %d: ", line) + fmt.Sprintf(what, args...))
}

// compName returns the upper-case component name of a BEGIN/END value, or
// "?" if it is not a plausible name.
func compName(v []byte) string {
	s := strings.ToUpper(strings.TrimSpace(string(v)))
	if !validName(s) {
		return "?"
	}
	return s
}

// line takes one tokenised line.
func (p *recParser) line(r *rawProp) {
	if p.ended {
		if !p.afterNote {
			p.afterNote = true
			p.badLine(r.line, "content after the record's END")
		}
		return
	}
	switch r.name {
	case "BEGIN":
		p.begin(r)
		return
	case "END":
		p.end(r)
		return
	}
	if !p.started {
		p.badLine(r.line, "content before BEGIN")
		return
	}
	if p.overflow > 0 {
		return
	}
	if !validName(r.name) {
		p.badLine(r.line, "property name not valid")
		return
	}
	if len(p.props) >= maxProps {
		if !p.light {
			p.light = true
			p.badLine(r.line, "more than %d properties, the rest is not indexed", maxProps)
		}
		return
	}
	if vals := paramValues(r.params, "CHARSET"); len(vals) > 0 && len(p.charsets) < 4 {
		p.charsets = append(p.charsets, vals...)
	}
	p.props = append(p.props, *r)
	p.paths = append(p.paths, strings.Join(p.stack[1:], "."))
	p.items = append(p.items, item{prop: len(p.props) - 1, depth: len(p.stack)})
}

func (p *recParser) begin(r *rawProp) {
	c := compName(r.value)
	if !p.started {
		p.started = true
		if p.want != "" && c != p.want {
			p.badLine(r.line, "BEGIN:%.20s where %s was expected", c, p.want)
		}
	}
	if len(p.stack) >= maxRecordDepth || p.overflow > 0 {
		p.overflow++
		if !p.deepNoted {
			p.deepNoted = true
			p.badLine(r.line, "components nested deeper than %d", maxRecordDepth)
		}
		return
	}
	p.stack = append(p.stack, c)
	p.items = append(p.items, item{begin: true, comp: c, depth: len(p.stack)})
}

func (p *recParser) end(r *rawProp) {
	c := compName(r.value)
	if p.overflow > 0 {
		p.overflow--
		return
	}
	i := len(p.stack) - 1
	for i >= 0 && p.stack[i] != c {
		i--
	}
	if i < 0 {
		p.badLine(r.line, "END:%.20s without BEGIN", c)
		return
	}
	if i < len(p.stack)-1 {
		p.badLine(r.line, "END:%.20s closes unterminated BEGIN:%.20s", c, p.stack[len(p.stack)-1])
	}
	p.stack = p.stack[:i]
	p.items = append(p.items, item{end: true, comp: c, depth: i + 1})
	if i == 0 {
		p.ended = true
	}
}

// finish notes what is left open.
func (p *recParser) finish() {
	switch {
	case !p.started:
		p.problem("no BEGIN line")
	case !p.ended && len(p.stack) > 0:
		p.problem(fmt.Sprintf("missing END:%.20s", p.stack[0]))
	}
}

func paramValues(ps []param, name string) []string {
	for _, pr := range ps {
		if pr.name == name {
			return pr.values
		}
	}
	return nil
}
