package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Time values. The provider keeps dtstart, dtend and originalInstanceTime
// as milliseconds since the epoch (UTC); all-day events start at UTC
// midnight and are written as DATE values of that UTC day. A timed event is
// written in its eventTimezone (TZID plus local time) when Go knows that
// zone, and in UTC otherwise, so the instant is always right.

const (
	dateLayout  = "20060102"
	localLayout = "20060102T150405"
	utcLayout   = "20060102T150405Z"
)

// timing says how an event's times are written.
type timing struct {
	allDay bool
	tzid   string // "" for UTC
	loc    *time.Location
}

// locations caches time.LoadLocation, which reads the zone database each
// time: name -> *time.Location, nil for a zone Go does not know.
var locations sync.Map

// zoneOf resolves an Android time zone name; UTC and unknown zones give
// UTC ("" and nil).
func zoneOf(tz string) (string, *time.Location) {
	switch tz {
	case "", "UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z":
		return "", nil
	}
	v, ok := locations.Load(tz)
	if !ok {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			loc = nil
		}
		v, _ = locations.LoadOrStore(tz, loc)
	}
	loc := v.(*time.Location)
	if loc == nil {
		return "", nil
	}
	return tz, loc
}

// millis parses a column holding milliseconds since the epoch.
func millis(row map[string]string, col string) (int64, bool) {
	v, ok := row[col]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return n, err == nil
}

// params returns the parameters (";VALUE=DATE", ";TZID=...") of a value
// written with this timing.
func (t timing) params() string {
	switch {
	case t.allDay:
		return ";VALUE=DATE"
	case t.tzid != "":
		return ";TZID=" + t.tzid
	}
	return ""
}

// value writes the instant ms with this timing.
func (t timing) value(ms int64) string {
	u := time.UnixMilli(ms).UTC()
	switch {
	case t.allDay:
		return u.Format(dateLayout)
	case t.tzid != "":
		return u.In(t.loc).Format(localLayout)
	}
	return u.Format(utcLayout)
}

// prop renders NAME;PARAMS:value for the instants ms (comma-separated).
func (t timing) prop(name string, ms ...int64) (string, string) {
	vals := make([]string, len(ms))
	for i, m := range ms {
		vals[i] = t.value(m)
	}
	return name + t.params(), strings.Join(vals, ",")
}

// parseDuration reads an RFC 5545 duration, and Android's own "P3600S"
// (seconds without the T), as seconds.
func parseDuration(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	sign := int64(1)
	if strings.HasPrefix(s, "-") {
		sign, s = -1, s[1:]
	} else {
		s = strings.TrimPrefix(s, "+")
	}
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, false
	}
	var total, n int64
	digits, inTime := false, false
	for _, c := range s[1:] {
		switch {
		case c >= '0' && c <= '9':
			if n > 1<<40 {
				return 0, false
			}
			n, digits = n*10+int64(c-'0'), true
			continue
		case c == 'T' && !digits && !inTime:
			inTime = true
			continue
		}
		if !digits {
			return 0, false
		}
		switch {
		case c == 'W' && !inTime:
			total += n * 7 * 86400
		case c == 'D' && !inTime:
			total += n * 86400
		case c == 'H' && inTime:
			total += n * 3600
		case c == 'M' && inTime:
			total += n * 60
		case c == 'S':
			total += n
		default:
			return 0, false
		}
		n, digits = 0, false
	}
	if digits {
		return 0, false
	}
	return sign * total, true
}

// formatDuration writes seconds as an RFC 5545 duration: "P2D", "PT1H30M".
func formatDuration(secs int64) string {
	sign := ""
	if secs < 0 {
		sign, secs = "-", -secs
	}
	d, rest := secs/86400, secs%86400
	s := sign + "P"
	if d > 0 {
		s += fmt.Sprintf("%dD", d)
	}
	if rest == 0 {
		if d == 0 {
			return sign + "PT0S"
		}
		return s
	}
	s += "T"
	if h := rest / 3600; h > 0 {
		s += fmt.Sprintf("%dH", h)
	}
	if m := rest % 3600 / 60; m > 0 {
		s += fmt.Sprintf("%dM", m)
	}
	if sec := rest % 60; sec > 0 {
		s += fmt.Sprintf("%dS", sec)
	}
	return s
}
