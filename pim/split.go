package pim

// RecordKind says what a Piece holds.
type RecordKind uint8

// The kinds of Piece.
const (
	RecNone     RecordKind = iota // framing: calendar header/trailer, bytes between records, garbage
	RecContact                    // one top-level vCard
	RecEvent                      // VEVENT
	RecTodo                       // VTODO
	RecJournal                    // VJOURNAL
	RecFreeBusy                   // VFREEBUSY
	RecTimezone                   // VTIMEZONE
	RecOther                      // any other component at record level (VALARM at top level, X-COMPONENTS...)
)

// String returns a short lower-case name such as "event".
func (k RecordKind) String() string {
	names := [...]string{"none", "contact", "event", "todo", "journal", "freebusy", "timezone", "other"}
	if int(k) < len(names) {
		return names[k]
	}
	return "invalid"
}

// Piece is a run of a file's bytes: data[Off:Off+Len].
type Piece struct {
	Off, Len int
	Kind     RecordKind
}

// MaxDepth is the component nesting depth up to which Split tracks names.
// Deeper BEGIN/END lines only move a counter (each END closes the innermost
// component, whatever its name), so hostile nesting costs no memory.
const MaxDepth = 100

// Split cuts a vCard or iCalendar file at record boundaries. The pieces are
// in order, contiguous and cover data exactly (concatenating them gives back
// data byte for byte), and none has Len 0. For KindOther and KindMedia it
// returns one RecNone piece, or none for empty data.
//
// Structure is walked as the corpus README describes: BEGIN pushes a
// component; END:X closes the innermost open X and everything inside it, and
// is ignored if no X is open; what is open at the end of the data runs to
// its end.
//
// KindVCard: each BEGIN:VCARD at depth 0, through the END line that closes
// it (terminator included), is one RecContact piece; nested (AGENT) cards
// stay inside it.
//
// KindICal: each component whose parent is a VCALENDAR, or that stands bare
// at depth 0, is one piece of its kind (VCALENDAR itself excepted). A
// VCALENDAR's header and trailer are RecNone pieces. A VCALENDAR nested
// inside a record cuts that record short: the record's first piece keeps its
// kind, the rest of it is RecNone, and the nested calendar's children are
// pieces of their own, so each record is counted exactly once.
//
// Pieces are also cut before each top-level BEGIN and after each END that
// returns to depth 0, so file framing between calendars stays separate.
func Split(kind Kind, data []byte) []Piece {
	if len(data) == 0 {
		return nil
	}
	if kind != KindVCard && kind != KindICal {
		return []Piece{{Off: 0, Len: len(data), Kind: RecNone}}
	}
	s := splitter{ical: kind == KindICal, recDepth: -1}
	r := newLineReader(data)
	var ll logicalLine
	for r.next(&ll) {
		switch ll.tag {
		case tagBegin:
			s.begin(&ll)
		case tagEnd:
			s.end(&ll)
		}
	}
	s.cut(len(data), RecNone)
	return s.pieces
}

// frame is one open component.
type frame struct {
	hash uint64
	comp comp
}

// splitter walks BEGIN/END lines and cuts pieces.
type splitter struct {
	ical     bool
	stack    [MaxDepth]frame
	depth    int // frames in stack
	overflow int // open components beyond MaxDepth
	recDepth int // depth at which the open record sits, or -1
	pieces   []Piece
	pstart   int        // start of the pending piece
	pkind    RecordKind // kind of the pending piece
}

// cut ends the pending piece at pos and starts one of kind next there.
func (s *splitter) cut(pos int, next RecordKind) {
	if pos > s.pstart {
		s.pieces = append(s.pieces, Piece{Off: s.pstart, Len: pos - s.pstart, Kind: s.pkind})
	}
	s.pstart, s.pkind = pos, next
}

// begin handles a BEGIN line.
func (s *splitter) begin(ll *logicalLine) {
	d := s.depth + s.overflow
	if rk, ok := s.recordKind(ll.comp, d); ok {
		s.cut(ll.start, rk)
		s.recDepth = d
	} else if d == 0 || (s.ical && ll.comp == compVCalendar) {
		s.cut(ll.start, RecNone)
	}
	if s.depth < MaxDepth {
		s.stack[s.depth] = frame{hash: ll.hash, comp: ll.comp}
		s.depth++
	} else {
		s.overflow++
	}
}

// recordKind reports whether a component c opening at depth d starts a
// record, and of what kind.
func (s *splitter) recordKind(c comp, d int) (RecordKind, bool) {
	if !s.ical {
		return RecContact, c == compVCard && d == 0
	}
	inCal := s.overflow == 0 && s.depth > 0 && s.stack[s.depth-1].comp == compVCalendar
	if c == compVCalendar || (d > 0 && !inCal) {
		return RecNone, false
	}
	switch c {
	case compVEvent:
		return RecEvent, true
	case compVTodo:
		return RecTodo, true
	case compVJournal:
		return RecJournal, true
	case compVFreeBusy:
		return RecFreeBusy, true
	case compVTimezone:
		return RecTimezone, true
	}
	return RecOther, true
}

// end handles an END line.
func (s *splitter) end(ll *logicalLine) {
	if s.overflow > 0 {
		s.overflow--
	} else {
		i := s.depth - 1
		for i >= 0 && s.stack[i].hash != ll.hash {
			i--
		}
		if i < 0 {
			return // END without a matching BEGIN
		}
		s.depth = i
	}
	d := s.depth + s.overflow
	if s.recDepth >= 0 && d <= s.recDepth {
		s.cut(ll.end, RecNone)
		s.recDepth = -1
	} else if d == 0 {
		s.cut(ll.end, RecNone)
	}
}
