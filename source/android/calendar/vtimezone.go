package calendar

import (
	"fmt"
	"sort"
	"time"
)

// VTIMEZONE. Each TZID used in a file gets a VTIMEZONE built from Go's zone
// rules: one observance for the offset in force on 1 January of the first
// year an event of the file uses the zone, then one per transition up to the
// end of the year after the last such use (at most maxZoneYears years,
// within 1900..2100; a boundary Go reports where neither the offset nor
// the name changes is skipped).
// Observances carry no RRULE, so the definition is exact for those years and
// readers that know the TZID (most do) use their own rules beyond. The bytes
// depend only on the rows and on the zone database.

// maxZoneYears bounds the years a VTIMEZONE spells out.
const maxZoneYears = 40

// zoneUse is the span of instants an event file writes in one zone.
type zoneUse struct {
	loc      *time.Location
	min, max int64 // ms
}

// zones collects the zones a file uses.
type zones map[string]*zoneUse

// use records that ms is written in t's zone.
func (z zones) use(t timing, ms int64) {
	if t.allDay || t.tzid == "" {
		return
	}
	u, ok := z[t.tzid]
	if !ok {
		z[t.tzid] = &zoneUse{loc: t.loc, min: ms, max: ms}
		return
	}
	u.min, u.max = min(u.min, ms), max(u.max, ms)
}

// write adds a VTIMEZONE per zone, in TZID order.
func (z zones) write(l *lines) {
	ids := make([]string, 0, len(z))
	for id := range z {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		writeZone(l, id, z[id])
	}
}

func writeZone(l *lines, tzid string, u *zoneUse) {
	from := clampYear(time.UnixMilli(u.min).In(u.loc).Year())
	to := clampYear(min(time.UnixMilli(u.max).In(u.loc).Year()+1, from+maxZoneYears))
	t := time.Date(from, 1, 1, 0, 0, 0, 0, u.loc)
	end := time.Date(to+1, 1, 1, 0, 0, 0, 0, u.loc)
	l.add("BEGIN", "VTIMEZONE")
	l.add("TZID", tzid)
	name, off := t.Zone()
	observance(l, t.IsDST(), t.Format(localLayout), off, off, name)
	for range 4 * (maxZoneYears + 2) {
		_, next := t.ZoneBounds()
		if next.IsZero() || !next.After(t) || !next.Before(end) {
			break
		}
		prevName, prev := t.Zone()
		t = next
		name, off = t.Zone()
		if name == prevName && off == prev {
			continue
		}
		wall := t.In(time.FixedZone("", prev)).Format(localLayout)
		observance(l, t.IsDST(), wall, prev, off, name)
	}
	l.add("END", "VTIMEZONE")
}

// clampYear keeps a year within the span a VTIMEZONE spells out.
func clampYear(y int) int { return max(1900, min(y, 2100)) }

func observance(l *lines, dst bool, start string, from, to int, name string) {
	kind := "STANDARD"
	if dst {
		kind = "DAYLIGHT"
	}
	l.add("BEGIN", kind)
	l.add("DTSTART", start)
	l.add("TZOFFSETFROM", utcOffset(from))
	l.add("TZOFFSETTO", utcOffset(to))
	if name != "" {
		l.add("TZNAME", escapeText(name))
	}
	l.add("END", kind)
}

// utcOffset writes seconds east of UTC as +hhmm (or +hhmmss).
func utcOffset(secs int) string {
	sign := "+"
	if secs < 0 {
		sign, secs = "-", -secs
	}
	s := fmt.Sprintf("%s%02d%02d", sign, secs/3600, secs%3600/60)
	if secs%60 != 0 {
		s += fmt.Sprintf("%02d", secs%60)
	}
	return s
}
