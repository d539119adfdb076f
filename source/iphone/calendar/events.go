package calendar

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	acal "github.com/lifeboat-backup/lifeboat/source/android/calendar"
	"github.com/lifeboat-backup/lifeboat/source/iphone/calendar/recurrence"
)

// File is one rendered calendar or reminder list.
type File struct {
	Name  string // safe file name ending in .ics, unique (ignoring case) among its kind
	Title string // the calendar's or list's title
	Data  []byte
}

// Result is what a database rendered to.
type Result struct {
	Calendars []File // one per calendar (VEVENTs)
	Lists     []File // one per reminder list (VTODOs)
	Events    int    // VEVENTs written, exceptions included
	Todos     int    // VTODOs written
	Skipped   int    // rows left out: no start, a bad time, an unknown owner
	// DroppedAlarms are alarms not written: those at an absolute time
	// (trigger_date alone) or after the event's start, which the
	// renderer's VALARMs (TRIGGER before the start) cannot say.
	DroppedAlarms int
}

// CalendarItem entity types.
const (
	entityEvent    = 2
	entityReminder = 3
)

// Events renders Calendar.sqlitedb, size bytes read through r: its
// calendars' events, and the reminders it holds (iOS 12 and before) as
// lists. A database without a CalendarItem table is an error.
func Events(ctx context.Context, r io.ReaderAt, size int64) (*Result, error) {
	db, err := openDB(r, size)
	if err != nil {
		return nil, fmt.Errorf("Calendar.sqlitedb: %w", err)
	}
	defer db.Close()
	res, err := readEvents(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("Calendar.sqlitedb: %w", err)
	}
	return res, nil
}

// tables are Calendar.sqlitedb's rows.
type tables struct {
	cals, items, recur, exdates, alarms, people, idents, locs []map[string]string
}

func readEvents(ctx context.Context, db *database) (*Result, error) {
	cols, err := db.columns(ctx, "CalendarItem")
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("no CalendarItem table")
	}
	var t tables
	for _, q := range []struct {
		dst   *[]map[string]string
		table string
		cols  []string
	}{
		{&t.cals, "Calendar", []string{"title", "color", "UUID", "external_id", "flags"}},
		{&t.items, "CalendarItem", []string{"summary", "description", "location_id", "start_date", "start_tz", "end_date", "end_tz", "all_day",
			"calendar_id", "orig_item_id", "orig_date", "organizer_id", "status", "availability", "unique_identifier", "UUID", "entity_type",
			"due_date", "due_tz", "due_all_day", "completion_date", "priority"}},
		{&t.recur, "Recurrence", []string{"frequency", "interval", "count", "end_date", "specifier", "owner_id"}},
		{&t.exdates, "ExceptionDate", []string{"date", "owner_id"}},
		{&t.alarms, "Alarm", []string{"trigger_interval", "trigger_date", "type", "calendaritem_owner_id"}},
		{&t.people, "Participant", []string{"entity_type", "status", "role", "identity_id", "owner_id", "email"}},
		{&t.idents, "Identity", []string{"display_name", "address"}},
		{&t.locs, "Location", []string{"title", "address"}},
	} {
		if *q.dst, err = db.rows(ctx, q.table, q.cols...); err != nil {
			return nil, err
		}
	}
	res := &Result{}
	tb := t.android(res)
	files, err := acal.Render(tb)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		res.Calendars = append(res.Calendars, File{Name: f.Name, Title: calTitle(tb, f.CalendarID), Data: prodID(f.Data)})
		res.Events += bytes.Count(f.Data, []byte("\r\nBEGIN:VEVENT\r\n"))
	}
	res.Lists, res.Todos = t.reminderLists(res)
	return res, nil
}

func calTitle(tb acal.Tables, id string) string {
	for _, c := range tb.Calendars {
		if c["_id"] == id {
			return c["calendar_displayName"]
		}
	}
	return ""
}

// prodID names this package as the producer.
func prodID(b []byte) []byte {
	return bytes.Replace(b, []byte("PRODID:-//lifeboat//Android calendar//EN\r\n"), []byte("PRODID:"+prodid+"\r\n"), 1)
}

const prodid = "-//lifeboat//iPhone calendar//EN"

// index groups rows by a column.
func index(rows []map[string]string, col string) map[string][]map[string]string {
	m := map[string][]map[string]string{}
	for _, r := range rows {
		if v, ok := r[col]; ok {
			m[v] = append(m[v], r)
		}
	}
	return m
}

func byRowID(rows []map[string]string) map[string]map[string]string {
	m := map[string]map[string]string{}
	for _, r := range rows {
		m[r["rowid"]] = r
	}
	return m
}

// EKEventStatus (none, confirmed, tentative, canceled) to eventStatus.
var eventStatus = map[string]string{"1": "1", "2": "0", "3": "2"}

// android turns the rows into the Android provider's, counting in res
// the items it leaves out.
func (t tables) android(res *Result) acal.Tables {
	var tb acal.Tables
	cals := map[string]bool{}
	for _, c := range t.cals {
		cals[c["rowid"]] = true
		row := map[string]string{"_id": c["rowid"], "account_type": "iphone", "account_name": c["uuid"], "calendar_displayName": c["title"]}
		if col, ok := hexColor(c["color"]); ok {
			row["calendar_color"] = col
		}
		tb.Calendars = append(tb.Calendars, row)
	}
	recur, exdates := index(t.recur, "owner_id"), index(t.exdates, "owner_id")
	alarms, people := index(t.alarms, "calendaritem_owner_id"), index(t.people, "owner_id")
	idents, locs, parts := byRowID(t.idents), byRowID(t.locs), byRowID(t.people)
	for _, it := range t.items {
		if et := intOf(it, "entity_type"); it["entity_type"] != "" && et != entityEvent {
			continue
		}
		start, ok := appleTime(it, "start_date")
		if !ok || !cals[it["calendar_id"]] {
			res.Skipped++
			continue
		}
		id := it["rowid"]
		allDay := intOf(it, "all_day") == 1
		ev := map[string]string{"_id": id, "calendar_id": it["calendar_id"], "title": it["summary"], "description": it["description"],
			"dtstart": strconv.FormatInt(start, 10), "uid2445": it["unique_identifier"]}
		if ev["uid2445"] == "" {
			ev["uid2445"] = it["uuid"]
		}
		if allDay {
			ev["allDay"] = "1"
		} else {
			ev["eventTimezone"] = zone(it["start_tz"])
			ev["eventEndTimezone"] = zone(it["end_tz"])
		}
		if end, ok := appleTime(it, "end_date"); ok {
			ev["dtend"] = strconv.FormatInt(end, 10)
			if allDay && end > start {
				// iOS ends an all-day event a second before midnight.
				ev["dtend"] = strconv.FormatInt(ceilDay(end), 10)
			}
		}
		if s, ok := eventStatus[it["status"]]; ok {
			ev["eventStatus"] = s
		}
		if l := locs[it["location_id"]]; l != nil {
			ev["eventLocation"] = joinNonEmpty(l["title"], l["address"])
		}
		if orig := it["orig_item_id"]; intOf(it, "orig_item_id") > 0 {
			if ot, ok := appleTime(it, "orig_date"); ok {
				ev["original_id"], ev["originalInstanceTime"] = orig, strconv.FormatInt(ot, 10)
			}
		}
		if rs := recur[id]; len(rs) > 0 {
			r := rs[0]
			until, _ := appleTime(r, "end_date")
			ev["rrule"] = recurrence.RRule(intOf(r, "frequency"), intOf(r, "interval"), intOf(r, "count"), until, allDay, r["specifier"])
		}
		for _, x := range exdates[id] {
			if xt, ok := appleTime(x, "date"); ok {
				tb.Events = append(tb.Events, map[string]string{"_id": "x" + x["rowid"], "calendar_id": ev["calendar_id"], "original_id": id,
					"originalInstanceTime": strconv.FormatInt(xt, 10), "dtstart": strconv.FormatInt(xt, 10), "eventStatus": "2"})
			}
		}
		for _, a := range alarms[id] {
			// The Android renderer writes alarms before the start only.
			if iv, ok := a["trigger_interval"]; !ok || intOf(a, "trigger_interval") > 0 || strings.TrimSpace(iv) == "" {
				res.DroppedAlarms++
				continue
			}
			tb.Reminders = append(tb.Reminders, map[string]string{"event_id": id, "minutes": strconv.FormatInt(-intOf(a, "trigger_interval")/60, 10), "method": "1"})
		}
		if o := parts[it["organizer_id"]]; o != nil {
			ev["organizer"] = mailAddr(o, idents)
		}
		for _, p := range people[id] {
			if intOf(p, "entity_type") == 8 || p["rowid"] == it["organizer_id"] {
				continue
			}
			tb.Attendees = append(tb.Attendees, attendee(id, p, idents))
		}
		tb.Events = append(tb.Events, ev)
	}
	return tb
}

// EKParticipantStatus to attendeeStatus; EKParticipantRole to attendeeType.
var (
	partStatus = map[string]string{"0": "3", "1": "1", "2": "2", "3": "4", "7": "3"}
	partRole   = map[string]string{"1": "1", "2": "2"}
)

func attendee(id string, p map[string]string, idents map[string]map[string]string) map[string]string {
	a := map[string]string{"event_id": id, "attendeeEmail": mailAddr(p, idents), "attendeeStatus": partStatus[p["status"]], "attendeeType": partRole[p["role"]]}
	if p["role"] == "3" {
		a["attendeeRelationship"] = "2"
	}
	if i := idents[p["identity_id"]]; i != nil {
		a["attendeeName"] = i["display_name"]
	}
	return a
}

// mailAddr is a participant's email, else its identity's address, less
// "mailto:".
func mailAddr(p map[string]string, idents map[string]map[string]string) string {
	e := p["email"]
	if e == "" && idents[p["identity_id"]] != nil {
		e = idents[p["identity_id"]]["address"]
	}
	if len(e) > 7 && (e[:7] == "mailto:" || e[:7] == "MAILTO:") {
		e = e[7:]
	}
	return e
}

// zone is an iOS start_tz as the Android column: "_float" (floating
// time) and unknown zones are UTC.
func zone(tz string) string {
	if tz == "_float" {
		return "UTC"
	}
	return tz
}

func ceilDay(ms int64) int64 {
	const day = 86400000
	r := ms % day
	if r < 0 {
		r += day // before 1970
	}
	if r != 0 {
		return ms - r + day
	}
	return ms
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "" || a == b:
		return b
	case b == "":
		return a
	}
	return a + ", " + b
}

// hexColor reads "#RRGGBB" (iOS's color column) as the integer Android
// keeps.
func hexColor(s string) (string, bool) {
	if len(s) < 7 || s[0] != '#' {
		return "", false
	}
	n, err := strconv.ParseUint(s[1:7], 16, 32)
	if err != nil {
		return "", false
	}
	return strconv.FormatUint(n, 10), true
}
