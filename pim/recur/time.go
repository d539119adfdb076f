package recur

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind says how a DATE or DATE-TIME value is anchored.
type Kind int

// The kinds of value (RFC 5545 §3.3.4, §3.3.5).
const (
	Floating Kind = iota // 19980118T230000: the same wall clock in every zone
	UTC                  // 19980119T070000Z
	Zoned                // TZID=America/New_York:19980119T020000
	Date                 // VALUE=DATE:19970714, an all-day value
)

// parseValue parses a DATE or DATE-TIME value without its zone: the wall
// clock is returned in UTC, and the kind says whether it ended in Z.
func parseValue(v string) (time.Time, Kind, error) {
	v = strings.TrimSpace(v)
	switch {
	case len(v) == 8:
		t, err := time.Parse("20060102", v)
		return t, Date, err
	case len(v) == 16 && (v[15] == 'Z' || v[15] == 'z'):
		t, err := time.Parse("20060102T150405", strings.ToUpper(v[:15]))
		return t, UTC, err
	case len(v) == 15:
		t, err := time.Parse("20060102T150405", strings.ToUpper(v))
		return t, Floating, err
	}
	// Leap seconds (…T235960) and other oddities are not times.
	return time.Time{}, Floating, fmt.Errorf("recur: %.30q is not a DATE or DATE-TIME", v)
}

// Value is a parsed DATE or DATE-TIME: T is the instant (dates and floating
// times are read in the zone given to ParseTime), Kind how it was written.
type Value struct {
	T    time.Time
	Kind Kind
}

// ParseTime parses a DTSTART, DTEND, DUE, RECURRENCE-ID, UNTIL, EXDATE or
// RDATE value with its TZID parameter (tzid, "" for none). A zoned value is
// read in time.LoadLocation(tzid), trying the tail of names such as
// "/mozilla.org/20050126_1/Europe/Berlin"; a TZID that names no known zone
// (an Outlook "W. Europe Standard Time" with its own VTIMEZONE) is read in
// floating, as are floating times and dates. A wall clock that does not
// exist (skipped by a change to summer time) is read with the offset from
// before the change, as RFC 5545 §3.3.5 says (02:30 becomes 03:30).
func ParseTime(v, tzid string, floating *time.Location) (Value, error) {
	if floating == nil {
		floating = time.UTC
	}
	w, k, err := parseValue(v)
	if err != nil {
		return Value{}, err
	}
	switch k {
	case UTC:
		return Value{w, UTC}, nil
	case Date:
		return Value{Wall(w, floating), Date}, nil
	}
	if tzid != "" {
		if loc := LoadZone(tzid); loc != nil {
			return Value{Wall(w, loc), Zoned}, nil
		}
	}
	return Value{Wall(w, floating), Floating}, nil
}

// ParseList parses an EXDATE or RDATE value: comma-separated values with
// one TZID; a PERIOD (start "/" end or duration) counts by its start. At
// most max values are read.
func ParseList(v, tzid string, floating *time.Location, max int) ([]Value, error) {
	var out []Value
	var firstErr error
	for _, f := range strings.Split(v, ",") {
		if len(out) >= max {
			break
		}
		f, _, _ = strings.Cut(f, "/")
		t, err := ParseTime(f, tzid, floating)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		out = append(out, t)
	}
	return out, firstErr
}

// LoadZone returns the zone a TZID names, or nil: the IANA name itself, or
// the longest tail of a '/'-separated name that is one, so that
// "/mozilla.org/20050126_1/America/New_York" is America/New_York. Names
// are tried as they are, quotes removed; "" and "Local" are nil.
func LoadZone(tzid string) *time.Location {
	tzid = strings.Trim(strings.TrimSpace(tzid), `"`)
	if tzid == "" || len(tzid) > 200 || strings.EqualFold(tzid, "local") {
		return nil
	}
	parts := strings.Split(tzid, "/")
	for i := range parts {
		name := strings.Join(parts[i:], "/")
		if name == "" || strings.Contains(name, "..") {
			continue
		}
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return nil
}

// Wall returns the instant at which the clocks of loc show the wall clock
// w (whose fields are read as they are, its own zone ignored). A wall
// clock skipped by a change to summer time is read with the offset from
// before the change; one that occurs twice is its first occurrence.
func Wall(w time.Time, loc *time.Location) time.Time {
	y, mo, d := w.Date()
	h, mi, s := w.Clock()
	t := time.Date(y, mo, d, h, mi, s, 0, loc)
	if t.Hour() == h && t.Minute() == mi && t.Day() == d {
		return t
	}
	// In a gap: the offset before it is the smaller of those around it.
	_, o1 := t.Add(-12 * time.Hour).Zone()
	_, o2 := t.Add(12 * time.Hour).Zone()
	naive := time.Date(y, mo, d, h, mi, s, 0, time.UTC).Unix()
	return time.Unix(naive-int64(min(o1, o2)), 0).In(loc)
}

// Duration is a DURATION value (RFC 5545 §3.3.6): days (weeks included),
// which keep the wall clock across a change to summer time, and an exact
// time.
type Duration struct {
	Days int
	Time time.Duration
}

// Add returns t plus d: days on the wall clock of t's zone, then the time.
func (d Duration) Add(t time.Time) time.Time {
	if d.Days != 0 {
		t = Wall(time.Date(t.Year(), t.Month(), t.Day()+d.Days, t.Hour(), t.Minute(), t.Second(), 0, time.UTC), t.Location())
	}
	return t.Add(d.Time)
}

// ParseDuration parses a DURATION such as "PT1H30M", "P1D", "-P2W" or
// Android's "P3600S" (no T).
func ParseDuration(v string) (Duration, error) {
	s := strings.ToUpper(strings.TrimSpace(v))
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if !strings.HasPrefix(s, "P") || len(s) < 3 || len(s) > 40 {
		return Duration{}, fmt.Errorf("recur: %.40q is not a DURATION", v)
	}
	var d Duration
	num := ""
	for _, c := range s[1:] {
		switch {
		case '0' <= c && c <= '9':
			num += string(c)
			continue
		case c == 'T':
			if num != "" {
				return Duration{}, fmt.Errorf("recur: %.40q is not a DURATION", v)
			}
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n > 1<<24 {
			return Duration{}, fmt.Errorf("recur: %.40q is not a DURATION", v)
		}
		num = ""
		switch c {
		case 'W':
			d.Days += 7 * n
		case 'D':
			d.Days += n
		case 'H':
			d.Time += time.Duration(n) * time.Hour
		case 'M':
			d.Time += time.Duration(n) * time.Minute
		case 'S':
			d.Time += time.Duration(n) * time.Second
		default:
			return Duration{}, fmt.Errorf("recur: %.40q is not a DURATION", v)
		}
	}
	if num != "" {
		return Duration{}, fmt.Errorf("recur: %.40q is not a DURATION", v)
	}
	if neg {
		d.Days, d.Time = -d.Days, -d.Time
	}
	return d, nil
}
