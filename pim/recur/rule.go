// Package recur expands the recurrence of iCalendar events and to-dos
// (RFC 5545 §3.3.10, §3.8.5): RRULE, RDATE, EXDATE and instances moved by
// a RECURRENCE-ID, in the wall-clock time of the event's zone, so that a
// weekly 09:00 meeting stays at 09:00 across a change to summer time.
//
// Expansion is bounded: it returns at most a given number of instances and
// gives up after a fixed number of steps (see MaxSteps), so a hostile rule
// (FREQ=SECONDLY from 1970, BYSETPOS over every second of a year) costs
// bounded time and memory.
package recur

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Freq is a rule's FREQ.
type Freq int

// The frequencies of RFC 5545, smallest period first.
const (
	Secondly Freq = iota
	Minutely
	Hourly
	Daily
	Weekly
	Monthly
	Yearly
)

var freqNames = []string{"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"}

// String returns the FREQ value, e.g. "WEEKLY".
func (f Freq) String() string {
	if f < 0 || int(f) >= len(freqNames) {
		return "?"
	}
	return freqNames[f]
}

// WeekdayNum is one BYDAY value: a weekday, and an ordinal N (0 for every
// such weekday; 2 for the second, -1 for the last in the month or year).
type WeekdayNum struct {
	N   int
	Day time.Weekday
}

// Rule is a parsed RRULE.
type Rule struct {
	Freq     Freq
	Interval int // at least 1
	Count    int // 0: no COUNT
	// Until is the UNTIL value when UntilSet: a UTC time (…Z), a floating
	// date-time or a date (both stored as a UTC wall clock, read in the
	// event's zone; see UntilKind).
	Until     time.Time
	UntilKind Kind
	UntilSet  bool

	BySecond, ByMinute, ByHour []int
	ByDay                      []WeekdayNum
	ByMonthDay, ByYearDay      []int
	ByWeekNo, ByMonth          []int
	BySetPos                   []int
	Wkst                       time.Weekday // MO unless WKST says otherwise
}

// ErrRule is wrapped by the errors of ParseRule.
var ErrRule = errors.New("recur: bad RRULE")

var dayNames = map[string]time.Weekday{"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday,
	"WE": time.Wednesday, "TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday}

// maxRule is the longest RRULE value ParseRule reads.
const maxRule = 4096

// ParseRule parses an RRULE value such as "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
// (names in any case). Values out of range (BYHOUR=25, BYMONTHDAY=0) are
// errors; list values are sorted and deduplicated, so no list is longer
// than its range (61 seconds, 366 year days...). Unknown parts (X-NAME,
// RSCALE) are ignored.
func ParseRule(s string) (Rule, error) {
	r := Rule{Interval: 1, Wkst: time.Monday, Freq: -1}
	if len(s) > maxRule {
		return r, fmt.Errorf("%w: longer than %d bytes", ErrRule, maxRule)
	}
	for _, part := range strings.Split(strings.TrimSpace(s), ";") {
		if part == "" {
			continue
		}
		name, val, ok := strings.Cut(part, "=")
		if !ok {
			return r, fmt.Errorf("%w: part %.20q has no '='", ErrRule, part)
		}
		name = strings.ToUpper(strings.TrimSpace(name))
		val = strings.ToUpper(strings.TrimSpace(val))
		var err error
		switch name {
		case "FREQ":
			r.Freq = Freq(slices.Index(freqNames, val))
			if r.Freq < 0 {
				err = fmt.Errorf("unknown FREQ")
			}
		case "INTERVAL":
			r.Interval, err = atoiRange(val, 1, 1<<20)
		case "COUNT":
			r.Count, err = atoiRange(val, 1, 1<<30)
		case "UNTIL":
			r.Until, r.UntilKind, err = parseValue(val)
			r.UntilSet = err == nil
		case "BYSECOND":
			r.BySecond, err = intList(val, 0, 60, false)
		case "BYMINUTE":
			r.ByMinute, err = intList(val, 0, 59, false)
		case "BYHOUR":
			r.ByHour, err = intList(val, 0, 23, false)
		case "BYMONTHDAY":
			r.ByMonthDay, err = intList(val, 1, 31, true)
		case "BYYEARDAY":
			r.ByYearDay, err = intList(val, 1, 366, true)
		case "BYWEEKNO":
			r.ByWeekNo, err = intList(val, 1, 53, true)
		case "BYMONTH":
			r.ByMonth, err = intList(val, 1, 12, false)
		case "BYSETPOS":
			r.BySetPos, err = intList(val, 1, 366, true)
		case "BYDAY":
			r.ByDay, err = dayList(val)
		case "WKST":
			d, ok := dayNames[val]
			if !ok {
				err = fmt.Errorf("unknown day")
			}
			r.Wkst = d
		}
		if err != nil {
			return r, fmt.Errorf("%w: %s: %v", ErrRule, name, err)
		}
	}
	if r.Freq < 0 {
		return r, fmt.Errorf("%w: no FREQ", ErrRule)
	}
	return r, nil
}

func atoiRange(s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(s, "+"))
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%.20q not in %d..%d", s, lo, hi)
	}
	return n, nil
}

// intList parses a comma list of numbers in lo..hi (or -hi..-lo when neg).
func intList(s string, lo, hi int, neg bool) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimPrefix(f, "+"))
		if err != nil {
			return nil, fmt.Errorf("%.20q is not a number", f)
		}
		if !(lo <= n && n <= hi || neg && -hi <= n && n <= -lo) {
			return nil, fmt.Errorf("%d out of range", n)
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func dayList(s string) ([]WeekdayNum, error) {
	var out []WeekdayNum
	for _, f := range strings.Split(s, ",") {
		if len(f) < 2 {
			return nil, fmt.Errorf("%.20q is not a day", f)
		}
		d, ok := dayNames[f[len(f)-2:]]
		if !ok {
			return nil, fmt.Errorf("%.20q is not a day", f)
		}
		n := 0
		if num := f[:len(f)-2]; num != "" {
			var err error
			n, err = strconv.Atoi(strings.TrimPrefix(num, "+"))
			if err != nil || n == 0 || n < -53 || n > 53 {
				return nil, fmt.Errorf("%.20q: bad ordinal", f)
			}
		}
		w := WeekdayNum{N: n, Day: d}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out, nil
}
