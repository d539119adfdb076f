// Package calendar renders the rows of Android's Calendar provider
// (calendars, events, reminders, attendees) as one iCalendar file per
// calendar, and for restore reads iCalendar files of any producer back
// into such rows (FromICalendar, Signature; insert.go).
package calendar

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Tables are the provider's rows, one map per row, keyed by column name; a
// NULL column is absent from its map. The columns read are those of
// CalendarContract: calendars (_id, account_name, account_type,
// calendar_displayName, calendar_color, calendar_timezone), events (_id,
// calendar_id, title, description, eventLocation, dtstart, dtend, duration,
// allDay, eventTimezone, eventEndTimezone, rrule, rdate, exrule, exdate,
// original_id, originalInstanceTime, originalAllDay, eventStatus,
// availability, organizer, uid2445), reminders (event_id, minutes, method)
// and attendees (event_id, attendeeName, attendeeEmail,
// attendeeRelationship, attendeeType, attendeeStatus). Other columns are
// ignored.
type Tables struct {
	Calendars, Events, Reminders, Attendees []map[string]string
}

// File is one rendered calendar.
type File struct {
	Name       string // safe file name ending in .ics, unique (ignoring case) among the files
	CalendarID string // the calendar's _id
	Data       []byte
}

// Render returns one file per calendar, in _id order. The bytes depend only
// on the rows, not on their order, nor on the clock. Events whose calendar is
// not among the calendars are left out. An event without a readable dtstart
// is an error, since the provider never stores one.
func Render(t Tables) ([]File, error) {
	r := newRenderer(t)
	cals := append([]map[string]string(nil), t.Calendars...)
	sortByID(cals, "_id")
	names := newNames()
	var files []File
	for _, cal := range cals {
		data, err := r.calendar(cal)
		if err != nil {
			return nil, fmt.Errorf("calendar %s: %w", cal["_id"], err)
		}
		files = append(files, File{Name: fileName(cal, names), CalendarID: cal["_id"], Data: data})
	}
	return files, nil
}

// renderer holds the rows indexed for rendering.
type renderer struct {
	byCal      map[string][]map[string]string // calendar _id -> events, exceptions excepted
	byID       map[string]map[string]string   // event _id -> event
	exceptions map[string][]map[string]string // master _id -> exceptions
	reminders  map[string][]map[string]string // event _id -> reminders
	attendees  map[string][]map[string]string // event _id -> attendees
}

func newRenderer(t Tables) *renderer {
	r := &renderer{byCal: map[string][]map[string]string{}, byID: map[string]map[string]string{},
		exceptions: map[string][]map[string]string{}}
	for _, ev := range t.Events {
		r.byID[ev["_id"]] = ev
	}
	for _, ev := range t.Events {
		// An exception follows its master when the master is in the same
		// calendar and is no exception itself; otherwise it stands alone.
		if m, ok := r.byID[ev["original_id"]]; ok && ev["original_id"] != "" && m["calendar_id"] == ev["calendar_id"] && m["original_id"] == "" {
			r.exceptions[ev["original_id"]] = append(r.exceptions[ev["original_id"]], ev)
			continue
		}
		r.byCal[ev["calendar_id"]] = append(r.byCal[ev["calendar_id"]], ev)
	}
	for _, evs := range r.byCal {
		sortByID(evs, "_id")
	}
	for _, evs := range r.exceptions {
		sortRows(evs, "originalInstanceTime", "_id")
	}
	r.reminders = group(t.Reminders, "minutes", "method")
	r.attendees = group(t.Attendees, "attendeeEmail", "attendeeName", "attendeeRelationship", "attendeeType", "attendeeStatus")
	return r
}

// calendar renders one VCALENDAR.
func (r *renderer) calendar(cal map[string]string) ([]byte, error) {
	var body lines
	zs := zones{}
	for _, ev := range r.byCal[cal["_id"]] {
		if err := r.series(&body, zs, cal, ev); err != nil {
			return nil, err
		}
	}
	var l lines
	l.add("BEGIN", "VCALENDAR")
	l.add("VERSION", "2.0")
	l.add("PRODID", "-//lifeboat//Android calendar//EN")
	if name := cal["calendar_displayName"]; name != "" {
		l.add("X-WR-CALNAME", escapeText(name))
	}
	if tz := cal["calendar_timezone"]; tz != "" {
		l.add("X-WR-TIMEZONE", escapeText(tz))
	}
	if c, err := strconv.ParseInt(cal["calendar_color"], 10, 64); err == nil {
		l.add("X-APPLE-CALENDAR-COLOR", fmt.Sprintf("#%06X", uint32(c)&0xFFFFFF))
	}
	zs.write(&l)
	l.b.WriteString(body.b.String())
	l.add("END", "VCALENDAR")
	return []byte(l.b.String()), nil
}

// uid is the event's uid2445, else one derived from the account, the
// calendar and the event's _id.
func uid(cal, ev map[string]string) string {
	if u := ev["uid2445"]; u != "" {
		return u
	}
	return derivedUID(cal, ev["_id"])
}

func derivedUID(cal map[string]string, eventID string) string {
	h := sha256.Sum256([]byte(strings.Join([]string{cal["account_type"], cal["account_name"], cal["_id"], eventID}, "\x00")))
	return hex.EncodeToString(h[:16]) + "@android.lifeboat"
}

// group indexes rows by event_id, each list sorted by the columns given.
func group(rows []map[string]string, cols ...string) map[string][]map[string]string {
	g := map[string][]map[string]string{}
	for _, row := range rows {
		g[row["event_id"]] = append(g[row["event_id"]], row)
	}
	for _, rs := range g {
		sortRows(rs, cols...)
	}
	return g
}

// sortByID sorts rows by a numeric id column (ids that are not numbers
// after those that are, by text).
func sortByID(rows []map[string]string, col string) { sortRows(rows, col) }

// sortRows sorts rows by the columns in turn, numbers numerically.
func sortRows(rows []map[string]string, cols ...string) {
	sort.SliceStable(rows, func(i, j int) bool {
		for _, c := range cols {
			if c := compareCol(rows[i], rows[j], c); c != 0 {
				return c < 0
			}
		}
		return false
	})
}

func compareCol(a, b map[string]string, col string) int {
	va, oka := a[col]
	vb, okb := b[col]
	if oka != okb { // NULL first
		if !oka {
			return -1
		}
		return 1
	}
	na, ea := strconv.ParseInt(va, 10, 64)
	nb, eb := strconv.ParseInt(vb, 10, 64)
	switch {
	case ea == nil && eb == nil:
		return cmpInt(na, nb)
	case ea == nil:
		return -1
	case eb == nil:
		return 1
	}
	return strings.Compare(va, vb)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
