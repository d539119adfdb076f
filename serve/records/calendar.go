package records

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/pim/recur"
)

// Cal is the calendars and to-do lists of one snapshot: every VEVENT and
// VTODO of its iCalendar files, a recurring series and its exceptions
// (RECURRENCE-ID) kept together.
type Cal struct {
	events []*series
	todos  []Todo
	byID   map[string]*series
	zones  map[string]map[string][]byte // file → TZID → VTIMEZONE bytes
}

// series is an event with its exceptions, or an exception alone.
type series struct {
	id, path   string
	master     *piece // nil when only exceptions were found
	exceptions []*piece
}

// Event is one event (a series: its first instance) with every field.
type Event struct {
	ID       string
	Path     string // the file it is in
	Calendar string // the file's name without extension
	Title    string
	Location string
	Notes    string // DESCRIPTION
	Status   string // STATUS, upper-case ("CONFIRMED", "CANCELLED"), "" if none
	// Start and End are in the event's zone; dates (AllDay) and floating
	// times (Floating) carry their wall clock in UTC.
	Start, End time.Time
	AllDay     bool
	Floating   bool
	Rule       string  // the RRULE as written, "" when it does not repeat
	Exceptions int     // instances moved or changed (RECURRENCE-ID)
	Fields     []Field // every property of the series' own component, in order
	Raw        []byte  // the series' components as stored (master, then exceptions), for an .ics
}

// Occurrence is one instance of an event in a month.
type Occurrence struct {
	EventID  string
	Title    string
	Start    time.Time // in the zone given to Month
	End      time.Time
	AllDay   bool
	Location string
	Calendar string // the file's name without extension
	Status   string
	// Recurring says the event repeats; Moved that this instance was
	// moved or changed by an exception.
	Recurring, Moved bool
}

// MaxMonth is how many occurrences Month returns at most.
const MaxMonth = 10000

// Calendar reads the iCalendar files of the snapshot whose tree is root.
// With more than MaxRecords components it returns what it read and an
// error wrapping ErrTooMany.
func Calendar(ctx context.Context, r Reader, root format.Ref) (*Cal, error) {
	c := newCal()
	l := newLoader(r, pim.KindICal)
	err := l.snapshot(ctx, root, c.add)
	c.sortTodos()
	return c, err
}

// ReadCalendar returns the events and to-dos of one iCalendar file's
// bytes (named path), as Calendar does for a snapshot, without a
// repository: for a file that is not in one, and for fuzzing.
func ReadCalendar(path string, data []byte) *Cal {
	c := newCal()
	ps := parseFile(pim.KindICal, data)
	for i := range ps {
		c.add(path, &ps[i])
	}
	c.sortTodos()
	return c
}

func newCal() *Cal {
	return &Cal{byID: map[string]*series{}, zones: map[string]map[string][]byte{}}
}

// add takes one component of the file rel.
func (c *Cal) add(rel string, p *piece) {
	switch p.rec.Kind {
	case pim.RecEvent:
		c.addEvent(rel, p)
	case pim.RecTimezone:
		if id := text(p, "TZID"); id != "" {
			if c.zones[rel] == nil {
				c.zones[rel] = map[string][]byte{}
			}
			c.zones[rel][id] = p.raw
		}
	case pim.RecTodo:
		if p.rec.RecurrenceID == "" {
			c.todos = append(c.todos, newTodo(rel, p))
		}
	}
}

func (c *Cal) addEvent(rel string, p *piece) {
	id := recordID(p.rec.Identity())
	s := c.byID[id]
	if s == nil {
		s = &series{id: id, path: rel}
		c.byID[id] = s
		c.events = append(c.events, s)
	}
	switch {
	case p.rec.RecurrenceID != "":
		s.exceptions = append(s.exceptions, p)
	case s.master == nil:
		s.master = p
	}
}

// prop returns the first property name of the component itself (not of
// an alarm inside it), or nil.
func prop(p *piece, name string) *pim.Property {
	for i := range p.props {
		if q := &p.props[i]; q.Name == name && q.Path == "" {
			return q
		}
	}
	return nil
}

func text(p *piece, name string) string {
	if q := prop(p, name); q != nil {
		return strings.TrimSpace(pim.Unescape(q.Value))
	}
	return ""
}

func tzid(q *pim.Property) string {
	if v := q.Param("TZID"); len(v) > 0 {
		return v[0]
	}
	return ""
}

// timeOf parses a date or date-time property, floating times in loc.
func timeOf(p *piece, name string, loc *time.Location) (recur.Value, bool) {
	q := prop(p, name)
	if q == nil {
		return recur.Value{}, false
	}
	v, err := recur.ParseTime(q.Value, tzid(q), loc)
	return v, err == nil
}

// span is how an instance's end follows from its start: DTEND (an exact
// time, or days for dates), else DURATION, else a day for an all-day
// event and nothing for others (RFC 5545 §3.6.1).
func span(p *piece, start recur.Value, loc *time.Location) recur.Duration {
	if end, ok := timeOf(p, "DTEND", loc); ok && !end.T.Before(start.T) {
		if start.Kind == recur.Date {
			return recur.Duration{Days: int(end.T.Sub(start.T).Round(24*time.Hour) / (24 * time.Hour))}
		}
		return recur.Duration{Time: end.T.Sub(start.T)}
	}
	if q := prop(p, "DURATION"); q != nil {
		if d, err := recur.ParseDuration(q.Value); err == nil && d.Days >= 0 && d.Time >= 0 {
			return d
		}
	}
	if start.Kind == recur.Date {
		return recur.Duration{Days: 1}
	}
	return recur.Duration{}
}

// maxSpan bounds how long an instance may last when looking for those
// that started before a month and run into it.
const maxSpan = 400 * 24 * time.Hour

// Month returns every instance of every event that overlaps the month in
// loc (floating times and dates read in loc), recurring events expanded
// (RRULE, RDATE, EXDATE, moved instances), sorted by start, then title;
// at most MaxMonth.
func (c *Cal) Month(year int, month time.Month, loc *time.Location) []Occurrence {
	if loc == nil {
		loc = time.UTC
	}
	from := time.Date(year, month, 1, 0, 0, 0, 0, loc)
	to := from.AddDate(0, 1, 0)
	var out []Occurrence
	for _, s := range c.events {
		if len(out) >= MaxMonth {
			break
		}
		out = s.month(from, to, loc, MaxMonth-len(out), out)
	}
	slices.SortStableFunc(out, func(a, b Occurrence) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(fold(a.Title), fold(b.Title))
	})
	return out
}

// month appends the instances of a series that overlap [from, to).
func (s *series) month(from, to time.Time, loc *time.Location, limit int, out []Occurrence) []Occurrence {
	set, durs, ok := s.set(loc)
	if !ok {
		return out
	}
	// Instances that start before the month and last into it: look back
	// as far as the longest instance lasts (a day more for clock changes).
	var longest time.Duration
	for _, d := range durs {
		longest = max(longest, time.Duration(d.Days)*24*time.Hour+d.Time)
	}
	back := from.Add(-min(longest+24*time.Hour, maxSpan))
	for _, in := range set.Between(back, to, limit+1000) {
		p, d := s.master, durs[0]
		if in.Override >= 0 {
			p, d = s.exceptions[in.Override], durs[in.Override+1]
		}
		end := d.Add(in.Start)
		if !(end.After(from) || !in.Start.Before(from) && end.Equal(in.Start)) {
			continue
		}
		o := s.occurrence(p, in.Start.In(loc), end.In(loc))
		o.Moved = in.Override >= 0
		out = append(out, o)
		if limit--; limit <= 0 {
			break
		}
	}
	return out
}

func (s *series) occurrence(p *piece, start, end time.Time) Occurrence {
	o := Occurrence{EventID: s.id, Start: start, End: end, Calendar: fileLabel(s.path),
		Title: oneLine(text(p, "SUMMARY")), Location: oneLine(text(p, "LOCATION")), Status: strings.ToUpper(text(p, "STATUS"))}
	if st, ok := timeOf(p, "DTSTART", start.Location()); ok {
		o.AllDay = st.Kind == recur.Date
	}
	if m := s.master; m != nil {
		o.Recurring = prop(m, "RRULE") != nil || prop(m, "RDATE") != nil
		if o.Title == "" {
			o.Title = oneLine(text(m, "SUMMARY"))
		}
		if o.Location == "" && p != m {
			o.Location = oneLine(text(m, "LOCATION"))
		}
	}
	if o.Title == "" {
		o.Title = "(no title)"
	}
	return o
}

// maxDates bounds the RDATE and EXDATE values read per property.
const maxDates = 10000

// set builds the recurrence set of a series, floating times in loc, and
// the span of the master (durs[0]) and of each exception (durs[i+1]).
func (s *series) set(loc *time.Location) (*recur.Set, []recur.Duration, bool) {
	set := &recur.Set{}
	durs := make([]recur.Duration, 1, 1+len(s.exceptions))
	if m := s.master; m != nil {
		st, ok := timeOf(m, "DTSTART", loc)
		if !ok {
			return nil, nil, false
		}
		set.Start = st.T
		durs[0] = span(m, st, loc)
		for _, q := range m.props {
			if q.Path != "" {
				continue
			}
			switch q.Name {
			case "RRULE":
				if r, err := recur.ParseRule(q.Value); err == nil {
					set.Rules = append(set.Rules, r)
				}
			case "RDATE", "EXDATE":
				vals, _ := recur.ParseList(q.Value, tzid(&q), loc, maxDates)
				if q.Name == "RDATE" {
					set.RDates = append(set.RDates, vals...)
				} else {
					set.ExDates = append(set.ExDates, vals...)
				}
			}
		}
	}
	for _, e := range s.exceptions {
		rid, okR := timeOf(e, "RECURRENCE-ID", loc)
		st, okS := timeOf(e, "DTSTART", loc)
		if !okS {
			st, okS = rid, okR
		}
		if !okR || !okS {
			rid = st
		}
		o := recur.Override{RecurrenceID: rid, Start: st.T, Cancelled: strings.EqualFold(text(e, "STATUS"), "CANCELLED")}
		set.Overrides = append(set.Overrides, o)
		durs = append(durs, span(e, st, loc))
	}
	if s.master == nil {
		// Exceptions alone (an invitation to one instance): each is an
		// event at its own start; the set's own start is never shown.
		if len(set.Overrides) == 0 {
			return nil, nil, false
		}
		// A zero Start is outside every window; a zero RecurrenceID
		// names no instance.
		for i := range set.Overrides {
			set.Overrides[i].RecurrenceID = recur.Value{Kind: recur.UTC}
		}
	}
	return set, durs, true
}

// Event returns the event id (Occurrence.EventID) with every field.
func (c *Cal) Event(id string) (Event, bool) {
	s := c.byID[id]
	if s == nil {
		return Event{}, false
	}
	p := s.master
	if p == nil {
		p = s.exceptions[0]
	}
	e := Event{ID: s.id, Path: clean(s.path), Calendar: fileLabel(s.path), Title: oneLine(text(p, "SUMMARY")),
		Location: oneLine(text(p, "LOCATION")), Notes: clean(text(p, "DESCRIPTION")), Status: strings.ToUpper(oneLine(text(p, "STATUS"))),
		Exceptions: len(s.exceptions), Fields: displayFields(p.props)}
	if st, ok := timeOf(p, "DTSTART", time.UTC); ok {
		e.Start, e.AllDay, e.Floating = st.T, st.Kind == recur.Date, st.Kind == recur.Floating
		e.End = span(p, st, time.UTC).Add(st.T)
	}
	if q := prop(p, "RRULE"); q != nil {
		e.Rule = clean(q.Value)
	}
	var raw bytes.Buffer
	if s.master != nil {
		raw.Write(s.master.raw)
	}
	for _, x := range s.exceptions {
		raw.Write(x.raw)
	}
	e.Raw = raw.Bytes()
	return e, true
}
