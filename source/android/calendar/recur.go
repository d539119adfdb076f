package calendar

import (
	"strings"
	"time"
)

// Recurrence sets. The rdate and exdate columns hold the format of
// ical4android's AndroidTimeUtils: one or more sets separated by newlines,
// each "[TZID;]value,value,...", the values as in iCalendar
// (20250617T093000Z, 20250617T093000 in the TZID, or 20250617). All-day
// events get DATE values (a date-time keeps its date). A local value whose
// zone Go does not know is written floating. Values of any other shape are
// left out.

// setProp is one RDATE or EXDATE line: its parameters and its values.
type setProp struct{ params, value string }

// recurSets parses a rdate/exdate column into properties, grouped by value
// type in the order they first appear, and records the zones used.
func recurSets(col string, allDay bool, zs zones) []setProp {
	var order []string
	groups := map[string][]string{}
	add := func(params, v string) {
		if _, ok := groups[params]; !ok {
			order = append(order, params)
		}
		groups[params] = append(groups[params], v)
	}
	for _, set := range strings.FieldsFunc(col, func(r rune) bool { return r == '\n' || r == '\r' }) {
		tz := ""
		if i := strings.IndexByte(set, ';'); i >= 0 {
			tz, set = strings.TrimPrefix(strings.TrimSpace(set[:i]), "TZID="), set[i+1:]
		}
		for _, v := range strings.Split(set, ",") {
			v = strings.TrimSpace(v)
			if !validSetValue(v) {
				continue
			}
			switch {
			case allDay || len(v) == 8:
				add(";VALUE=DATE", v[:8])
			case strings.HasSuffix(v, "Z"):
				add("", v)
			default:
				tzid, loc := zoneOf(tz)
				if tzid == "" {
					add("", v) // floating
					continue
				}
				if t, err := time.ParseInLocation(localLayout, v, loc); err == nil {
					zs.use(timing{tzid: tzid, loc: loc}, t.UnixMilli())
				}
				add(";TZID="+tzid, v)
			}
		}
	}
	out := make([]setProp, 0, len(order))
	for _, p := range order {
		out = append(out, setProp{params: p, value: strings.Join(groups[p], ",")})
	}
	return out
}

// validSetValue accepts YYYYMMDD, YYYYMMDDThhmmss and YYYYMMDDThhmmssZ.
func validSetValue(v string) bool {
	if len(v) != 8 && len(v) != 15 && len(v) != 16 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case i == 8:
			if c != 'T' {
				return false
			}
		case i == 15:
			if c != 'Z' {
				return false
			}
		case c < '0' || c > '9':
			return false
		}
	}
	return true
}
