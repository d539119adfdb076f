package recur

import (
	"slices"
	"time"
)

// Set is the recurrence set of one event or to-do (RFC 5545 §3.8.5):
// DTSTART, its RRULEs and RDATEs, less its EXDATEs, with the instances that
// other components of the same UID override (RECURRENCE-ID).
type Set struct {
	// Start is DTSTART; its location is the zone whose wall clock repeats
	// (the floating zone for floating times and dates).
	Start     time.Time
	Rules     []Rule
	RDates    []Value
	ExDates   []Value
	Overrides []Override
}

// Override is a component that replaces one instance of a series: the
// instance at RecurrenceID is moved to Start (the same time for a change
// of title alone), or dropped when Cancelled.
type Override struct {
	RecurrenceID Value
	Start        time.Time
	Cancelled    bool
}

// Instance is one occurrence of a Set.
type Instance struct {
	Start time.Time
	// RecurrenceID is the instance's original start (what a RECURRENCE-ID
	// names); Start unless it was moved.
	RecurrenceID time.Time
	// Override is the index in Set.Overrides of the component that
	// describes this instance, or -1 for the series itself.
	Override int
}

// maxExtra bounds the RDATEs, EXDATEs and overrides a Set considers.
const maxExtra = 10000

// Between returns the instances that start in [from, to), oldest first, at
// most limit: DTSTART (always an instance, as RFC 5545 says, even when the
// rule would not yield it), each rule's instances and the RDATEs, each
// once, less the EXDATEs (a DATE excludes every instance that day) and the
// instances overridden, plus the overrides that start in the window and
// are not cancelled, whether or not they name an instance of the rule.
func (s *Set) Between(from, to time.Time, limit int) []Instance {
	if limit <= 0 || !from.Before(to) {
		return nil
	}
	over := s.Overrides[:min(len(s.Overrides), maxExtra)]
	ex := s.ExDates[:min(len(s.ExDates), maxExtra)]
	want := limit + len(ex) + len(over)
	var starts []time.Time
	if !s.Start.Before(from) && s.Start.Before(to) {
		starts = append(starts, s.Start)
	}
	for _, r := range s.Rules {
		starts = append(starts, Expand(r, s.Start, from, to, want)...)
	}
	for _, rd := range s.RDates[:min(len(s.RDates), maxExtra)] {
		if !rd.T.Before(from) && rd.T.Before(to) {
			starts = append(starts, rd.T)
		}
	}
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	starts = slices.CompactFunc(starts, func(a, b time.Time) bool { return a.Equal(b) })
	var out []Instance
	gone := newMatcher(len(ex) + len(over))
	for _, e := range ex {
		gone.add(e)
	}
	for _, o := range over {
		gone.add(o.RecurrenceID)
	}
	for _, t := range starts {
		if gone.has(t) {
			continue
		}
		out = append(out, Instance{Start: t, RecurrenceID: t, Override: -1})
	}
	for i, o := range over {
		if !o.Cancelled && !o.Start.Before(from) && o.Start.Before(to) {
			out = append(out, Instance{Start: o.Start, RecurrenceID: o.RecurrenceID.T, Override: i})
		}
	}
	slices.SortStableFunc(out, func(a, b Instance) int { return a.Start.Compare(b.Start) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// matcher tells the instances that EXDATEs and RECURRENCE-IDs name: by
// instant, or for a DATE by the day as written.
type matcher struct {
	at   map[int64]bool
	days map[[3]int]bool
}

func newMatcher(n int) *matcher {
	return &matcher{at: make(map[int64]bool, n), days: map[[3]int]bool{}}
}

func (m *matcher) add(v Value) {
	if v.Kind == Date {
		y, mo, d := v.T.Date() // the day as written, in its own zone
		m.days[[3]int{y, int(mo), d}] = true
		return
	}
	if !v.T.IsZero() {
		m.at[v.T.Unix()] = true
	}
}

// has reports whether instance t is named: the same instant, or a DATE
// of its day in t's zone.
func (m *matcher) has(t time.Time) bool {
	if m.at[t.Unix()] {
		return true
	}
	if len(m.days) == 0 {
		return false
	}
	y, mo, d := t.Date()
	return m.days[[3]int{y, int(mo), d}]
}
