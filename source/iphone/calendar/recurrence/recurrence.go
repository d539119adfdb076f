// Package recurrence turns the Recurrence rows of an iPhone's
// Calendar.sqlitedb into iCalendar RRULEs. It has no dependencies, so
// that its fuzz target runs without SQLite linked in.
package recurrence

import (
	"strconv"
	"strings"
	"time"
)

// Recurrence rows. frequency is 1 daily, 2 weekly, 3 monthly, 4 yearly;
// interval (1 when 0); count (0 for none) or end_date (seconds since 2001,
// the last instance's start; NULL for none); specifier holds the BY parts
// as "K=v,v;K=v": D days of the week, each with an ordinal (0 for every,
// +1 first, -1 last: "0MO,0WE", "+2TU"), d days of the month, M months,
// P set positions (BYSETPOS), W weeks of the year, Y days of the year.

var frequencies = map[int64]string{1: "DAILY", 2: "WEEKLY", 3: "MONTHLY", 4: "YEARLY"}

var specParts = map[string]string{"D": "BYDAY", "d": "BYMONTHDAY", "M": "BYMONTH", "P": "BYSETPOS", "W": "BYWEEKNO", "Y": "BYYEARDAY"}

// specOrder is the order BY parts are written in.
var specOrder = []string{"M", "W", "Y", "d", "D", "P"}

// MaxRuleLen bounds the RRULE written.
const MaxRuleLen = 1024

// RRule is the iCalendar RRULE of a Recurrence row's fields: until is the
// UNTIL instant in Unix milliseconds (0 for none), written as a DATE when
// allDay. It is "" when frequency is not one iOS writes. BY parts whose
// values are not what the part allows are left out.
func RRule(frequency, interval, count int64, until int64, allDay bool, specifier string) string {
	freq, ok := frequencies[frequency]
	if !ok {
		return ""
	}
	parts := []string{"FREQ=" + freq}
	if interval > 1 && interval <= 1000 {
		parts = append(parts, "INTERVAL="+strconv.FormatInt(interval, 10))
	}
	switch {
	case count > 0 && count <= 100000:
		parts = append(parts, "COUNT="+strconv.FormatInt(count, 10))
	case until != 0:
		u := time.UnixMilli(until).UTC()
		if allDay {
			parts = append(parts, "UNTIL="+u.Format("20060102"))
		} else {
			parts = append(parts, "UNTIL="+u.Format("20060102T150405Z"))
		}
	}
	spec := map[string][]string{}
	for _, kv := range strings.Split(specifier, ";") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || specParts[k] == "" {
			continue
		}
		for _, x := range strings.Split(v, ",") {
			if x, ok := specValue(k, strings.TrimSpace(x)); ok {
				spec[k] = append(spec[k], x)
			}
		}
	}
	for _, k := range specOrder {
		if len(spec[k]) > 0 {
			parts = append(parts, specParts[k]+"="+strings.Join(spec[k], ","))
		}
	}
	r := strings.Join(parts, ";")
	if len(r) > MaxRuleLen {
		return strings.Join(parts[:min(len(parts), 3)], ";")
	}
	return r
}

var weekdays = map[string]bool{"MO": true, "TU": true, "WE": true, "TH": true, "FR": true, "SA": true, "SU": true}

// specValue checks and normalises one value of a specifier part.
func specValue(k, x string) (string, bool) {
	if k == "D" {
		if len(x) < 2 || !weekdays[x[len(x)-2:]] {
			return "", false
		}
		day, ord := x[len(x)-2:], x[:len(x)-2]
		if ord == "" || ord == "0" || ord == "+0" {
			return day, true
		}
		n, err := strconv.Atoi(ord)
		if err != nil || n < -53 || n > 53 {
			return "", false
		}
		return strconv.Itoa(n) + day, true
	}
	n, err := strconv.Atoi(x)
	lim := map[string]int{"d": 31, "M": 12, "P": 366, "W": 53, "Y": 366}[k]
	if err != nil || n == 0 || n > lim || n < -lim || (k == "M" && n < 0) {
		return "", false
	}
	return strconv.Itoa(n), true
}
