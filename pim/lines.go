package pim

import "bytes"

// Line handling follows the corpus walk (testdata/corpus/README.md):
//
//   - Physical lines end in CR CR LF, CRLF, LF or a lone CR. CR CR LF (iOS
//     exports) is one terminator, so a record ends after all of it.
//   - A leading UTF-8 BOM is skipped.
//   - A physical line starting with a space or TAB continues the previous
//     logical line (folding); its first byte is dropped.
//   - A logical line whose parameters (the part before its first ':') name
//     QUOTED-PRINTABLE and whose unfolded content so far ends in '=' is
//     continued by the next physical line whatever it holds (a vCard 2.1 soft
//     line break), so a QP value line reading "BEGIN:..." is not a BEGIN.
//     After a soft break and an empty line, a line that starts like a
//     property (a name, then ';' or ':') ends the value instead: Android's
//     VCardBuilder writes "=" and a blank line when a value's encoding fills
//     its last line. (A text line after the blank still continues, as in
//     files whose CRLF became LF LF.)
//   - A logical line whose unfolded content starts with "BEGIN:" or "END:"
//     (any case) is a BEGIN or END line; its component name is the rest,
//     upper-cased, with spaces and TABs trimmed at both ends.
//
// Nothing is copied: a logical line is described by its byte span and a few
// facts gathered while streaming over its segments, so memory stays O(1)
// whatever the line length.

// lineTag says whether a logical line opens or closes a component.
type lineTag uint8

const (
	tagOther lineTag = iota
	tagBegin
	tagEnd
)

// comp identifies the component names the splitter cares about.
type comp uint8

const (
	compOther comp = iota
	compVCard
	compVCalendar
	compVEvent
	compVTodo
	compVJournal
	compVFreeBusy
	compVTimezone
)

// compOf returns the comp of an upper-case component name.
func compOf(name []byte) comp {
	switch string(name) {
	case "VCARD":
		return compVCard
	case "VCALENDAR":
		return compVCalendar
	case "VEVENT":
		return compVEvent
	case "VTODO":
		return compVTodo
	case "VJOURNAL":
		return compVJournal
	case "VFREEBUSY":
		return compVFreeBusy
	case "VTIMEZONE":
		return compVTimezone
	}
	return compOther
}

// maxKnownName is the length of the longest name compOf knows.
const maxKnownName = 9

// logicalLine describes one unfolded line of the input.
type logicalLine struct {
	start, end int     // byte span, end includes the last terminator
	tag        lineTag // BEGIN, END or anything else
	comp       comp    // component named by a BEGIN/END line
	hash       uint64  // FNV-1a hash of the trimmed upper-case name
	blank      bool    // content holds only spaces and TABs
}

// lineReader yields the logical lines of data in order.
type lineReader struct {
	data       []byte
	pos        int // start of the next physical line
	lfAt, crAt int // cached positions of the next LF and CR at or after pos
	cur        lineState
	have       bool // cur holds a logical line not yet returned
}

// newLineReader returns a reader over data, skipping a leading UTF-8 BOM.
func newLineReader(data []byte) *lineReader {
	r := &lineReader{data: data, lfAt: -1, crAt: -1}
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		r.pos = 3
	}
	return r
}

// next stores the next logical line in ll and reports whether there was one.
func (r *lineReader) next(ll *logicalLine) bool {
	for r.pos < len(r.data) {
		start := r.pos
		contentEnd, next := r.physLine(start)
		seg := r.data[start:contentEnd]
		r.pos = next
		if r.have && r.cur.continuedBy(seg) {
			fold := isFold(seg)
			if fold {
				seg = seg[1:]
			}
			r.cur.qpBlank = !fold && len(seg) == 0
			r.cur.feed(seg)
			r.cur.end = next
			continue
		}
		done := r.have
		if done {
			r.cur.finish(ll)
		}
		r.cur.reset(start, next)
		r.cur.feed(seg)
		r.have = true
		if done {
			return true
		}
	}
	if r.have {
		r.cur.finish(ll)
		r.have = false
		return true
	}
	return false
}

// physLine returns where the content of the physical line starting at start
// ends and where the next physical line starts.
func (r *lineReader) physLine(start int) (contentEnd, next int) {
	d := r.data
	if r.lfAt < start {
		r.lfAt = indexFrom(d, start, '\n')
	}
	if r.crAt < start {
		r.crAt = indexFrom(d, start, '\r')
	}
	contentEnd = min(r.lfAt, r.crAt)
	switch {
	case contentEnd == len(d):
		return contentEnd, contentEnd
	case d[contentEnd] == '\n':
		return contentEnd, contentEnd + 1
	case contentEnd+1 < len(d) && d[contentEnd+1] == '\n':
		return contentEnd, contentEnd + 2
	case contentEnd+2 < len(d) && d[contentEnd+1] == '\r' && d[contentEnd+2] == '\n':
		return contentEnd, contentEnd + 3
	}
	return contentEnd, contentEnd + 1
}

// indexFrom returns the index of the first c in d at or after from, or len(d).
func indexFrom(d []byte, from int, c byte) int {
	if i := bytes.IndexByte(d[from:], c); i >= 0 {
		return from + i
	}
	return len(d)
}

// lineState gathers what matters about one logical line while its segments
// stream past.
type lineState struct {
	start, end int
	headN      int  // bytes of content seen while the tag is undecided
	maybeBegin bool // content so far is a prefix of "BEGIN:"
	maybeEnd   bool // content so far is a prefix of "END:"
	tag        lineTag
	decided    bool   // tag is final
	colon      bool   // the first ':' has been seen
	params     []byte // unfolded parameters not yet searched for QUOTED-PRINTABLE
	qpState    int    // progress of matching "QUOTED-PRINTABLE" before the colon
	qp         bool   // parameters name QUOTED-PRINTABLE
	last       byte   // last content byte so far
	qpBlank    bool   // the last segment was an empty line after a soft break
	blank      bool
	name       nameAcc
}

// reset starts a new logical line spanning [start, end).
func (s *lineState) reset(start, end int) {
	// Field by field: name is reset only for BEGIN/END lines (see feedHead).
	s.start, s.end, s.headN = start, end, 0
	s.maybeBegin, s.maybeEnd, s.tag, s.decided = true, true, tagOther, false
	s.colon, s.params, s.qpState, s.qp = false, nil, 0, false
	s.last, s.blank, s.qpBlank = 0, true, false
}

// continuedBy reports whether the physical line seg continues this logical
// line: it is folded, or this is a quoted-printable line ending in '=' (but
// after a soft break and an empty line, a line that starts a property ends
// the value).
func (s *lineState) continuedBy(seg []byte) bool {
	if isFold(seg) {
		return true
	}
	return s.last == '=' && s.isQP() && !(s.qpBlank && startsProperty(seg))
}

// startsProperty reports whether seg starts like a content line: a name
// (with an optional group) followed by ';' or ':'.
func startsProperty(seg []byte) bool {
	for i, c := range seg {
		switch {
		case 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.':
		case c == ';' || c == ':':
			return i > 0
		default:
			return false
		}
	}
	return false
}

// isQP reports whether the parameters name QUOTED-PRINTABLE. When the
// parameters were all in the first segment, they are searched only now, as
// few lines end in '='.
func (s *lineState) isQP() bool {
	if s.params != nil {
		s.matchQP(s.params)
		s.params = nil
	}
	return s.qp
}

// isFold reports whether the physical line seg is a folded continuation.
func isFold(seg []byte) bool {
	return len(seg) > 0 && (seg[0] == ' ' || seg[0] == '\t')
}

// feed takes the next segment of unfolded content.
func (s *lineState) feed(b []byte) {
	if len(b) == 0 {
		return
	}
	s.last = b[len(b)-1]
	if s.blank {
		s.blank = isBlank(b)
	}
	if !s.colon {
		s.scanParams(b)
	}
	if !s.decided && s.headN == 0 {
		if c := upper(b[0]); c != 'B' && c != 'E' {
			s.decided = true // fast path: neither BEGIN: nor END:
		}
	}
	i := 0
	for ; !s.decided && i < len(b); i++ {
		s.feedHead(b[i])
	}
	if s.tag != tagOther {
		s.name.feed(b[i:])
	}
}

// isBlank reports whether b holds only spaces and TABs.
func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// feedHead matches one more leading content byte against "BEGIN:" and "END:".
func (s *lineState) feedHead(c byte) {
	u, n := upper(c), s.headN
	s.headN++
	s.maybeBegin = s.maybeBegin && n < 6 && u == "BEGIN:"[n]
	s.maybeEnd = s.maybeEnd && n < 4 && u == "END:"[n]
	switch {
	case s.maybeEnd && s.headN == 4:
		s.tag, s.decided = tagEnd, true
		s.name.reset()
	case s.maybeBegin && s.headN == 6:
		s.tag, s.decided = tagBegin, true
		s.name.reset()
	case !s.maybeBegin && !s.maybeEnd:
		s.decided = true
	}
}

const qpWord = "QUOTED-PRINTABLE"

// scanParams looks for QUOTED-PRINTABLE before the first colon. If the
// first segment holds all the parameters, the search is left to isQP.
func (s *lineState) scanParams(b []byte) {
	first := s.headN == 0 && !s.decided
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		b, s.colon = b[:i], true
		if first {
			s.params = b
			return
		}
	}
	s.matchQP(b)
}

// matchQP streams parameter bytes through the QUOTED-PRINTABLE matcher.
func (s *lineState) matchQP(b []byte) {
	for _, c := range b {
		if s.qp {
			return
		}
		u := upper(c)
		switch {
		case u == qpWord[s.qpState]:
			s.qpState++
			s.qp = s.qpState == len(qpWord)
		case u == 'Q': // 'Q' occurs only first in qpWord, so this is the whole fallback
			s.qpState = 1
		default:
			s.qpState = 0
		}
	}
}

// finish describes the completed logical line in ll.
func (s *lineState) finish(ll *logicalLine) {
	*ll = logicalLine{start: s.start, end: s.end, blank: s.blank}
	if !s.decided || s.tag == tagOther {
		return
	}
	ll.tag = s.tag
	ll.hash = s.name.h
	if s.name.n <= maxKnownName {
		ll.comp = compOf(s.name.buf[:s.name.n])
	}
}

// upper upper-cases an ASCII letter.
func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// nameAcc streams a component name: upper-cased, blanks trimmed at both ends.
// h and n cover the name up to its last non-blank byte; ht and tn also cover
// the blanks after it, in case more name follows.
type nameAcc struct {
	started bool
	h, ht   uint64
	n, tn   int
	buf     [maxKnownName]byte
}

func (a *nameAcc) reset() {
	*a = nameAcc{h: fnvOffset, ht: fnvOffset}
}

// feed adds name bytes.
func (a *nameAcc) feed(b []byte) {
	for _, c := range b {
		blank := c == ' ' || c == '\t'
		if blank && !a.started {
			continue
		}
		c = upper(c)
		a.ht = (a.ht ^ uint64(c)) * fnvPrime
		if a.tn < len(a.buf) {
			a.buf[a.tn] = c
		}
		a.tn++
		if !blank {
			a.started = true
			a.h, a.n = a.ht, a.tn
		}
	}
}
