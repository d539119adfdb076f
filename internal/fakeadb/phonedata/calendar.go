package phonedata

import (
	"time"
	_ "time/tzdata" // the zones below, on a machine without a zoneinfo

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
)

var (
	berlin  = zone("Europe/Berlin")
	newYork = zone("America/New_York")
	london  = zone("Europe/London")
)

func zone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func at(loc *time.Location, y int, mo time.Month, d, h, mi int) time.Time {
	return time.Date(y, mo, d, h, mi, 0, 0, loc)
}

func day(y int, mo time.Month, d int) time.Time { return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC) }

// event is one row of the events table; zero fields are NULL.
type event struct {
	id, cal        int64
	title          any
	desc, location any
	start, end     time.Time
	duration       string
	allDay         bool
	tz, endTZ      string
	rrule, rdate   string
	exdate         string
	origID         int64
	origSync       string
	origInstance   time.Time
	origAllDay     bool
	status, avail  any
	organizer, uid any
	deleted        bool
	hasAlarm       bool
}

const ana = "ana.lifeboat@gmail.com"

// events: a Google calendar with a weekly series, its moved and cancelled
// instances, yearly and multi-day all-day events; a LOCAL calendar in New
// York with an event ending in London, daily and monthly series, an RDATE
// and an untitled event; a read-only holiday calendar.
func events() []event {
	return []event{
		{id: 101, cal: 1, title: "Standup, daily; team = sync", desc: "Agenda:\n1. Build, test; ship\n2. \"Quotes\" and \\ backslash",
			location: "Room 3; Floor 2, Berlin", start: at(berlin, 2025, 6, 17, 9, 30), end: at(berlin, 2025, 6, 17, 10, 30),
			tz: "Europe/Berlin", status: int64(1), avail: int64(0), organizer: ana, uid: "abc-123@google.com", hasAlarm: true},
		{id: 102, cal: 1, title: "Weekly 1:1 — 週報", start: at(berlin, 2025, 1, 6, 10, 0), duration: "P3600S", tz: "Europe/Berlin",
			rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=10", exdate: "20250113T090000Z", status: int64(1), organizer: ana,
			uid: "weekly-1on1@google.com", hasAlarm: true},
		{id: 103, cal: 1, title: "Weekly 1:1 (moved)", start: at(berlin, 2025, 1, 20, 11, 0), end: at(berlin, 2025, 1, 20, 12, 0),
			tz: "Europe/Berlin", origID: 102, origSync: "weekly-1on1", origInstance: at(time.UTC, 2025, 1, 20, 9, 0), status: int64(1), organizer: ana},
		{id: 104, cal: 1, title: "Weekly 1:1", start: at(berlin, 2025, 1, 27, 10, 0), end: at(berlin, 2025, 1, 27, 11, 0),
			tz: "Europe/Berlin", origID: 102, origSync: "weekly-1on1", origInstance: at(time.UTC, 2025, 1, 27, 9, 0), status: int64(2)},
		{id: 105, cal: 1, title: "Ada's birthday 🎂", start: day(2025, 12, 10), duration: "P1D", allDay: true, tz: "UTC",
			rrule: "FREQ=YEARLY", avail: int64(1), hasAlarm: true},
		{id: 106, cal: 1, title: "Urlaub, Ostsee", desc: "Ferienwohnung \"Möwe\"\nSchlüssel: Nachbarin", start: day(2025, 8, 1), end: day(2025, 8, 16),
			allDay: true, tz: "UTC", avail: int64(1)},
		{id: 107, cal: 2, title: "Flight JFK → LHR", location: "JFK Terminal 7, Gate = B22", start: at(newYork, 2025, 3, 10, 18, 30),
			end: at(london, 2025, 3, 11, 6, 45), tz: "America/New_York", endTZ: "Europe/London", status: int64(1)},
		{id: 108, cal: 2, title: "Meds 💊", start: at(newYork, 2025, 2, 1, 8, 0), duration: "P300S", tz: "America/New_York",
			rrule: "FREQ=DAILY;UNTIL=20250301T045959Z", hasAlarm: true},
		{id: 109, cal: 2, title: "Rent, due = 1st", start: at(newYork, 2025, 1, 1, 9, 0), duration: "P1800S", tz: "America/New_York",
			rrule: "FREQ=MONTHLY;BYMONTHDAY=1;COUNT=12", exdate: "20250601T130000Z"},
		{id: 110, cal: 3, title: "Tag der Deutschen Einheit", start: day(2025, 10, 3), end: day(2025, 10, 4), allDay: true, tz: "UTC",
			avail: int64(1), uid: "20251003_holiday@google.com"},
		{id: 111, cal: 2, start: at(time.UTC, 2025, 5, 5, 12, 0), tz: "UTC"},
		{id: 112, cal: 1, title: "Deleted plan", start: at(berlin, 2025, 4, 1, 12, 0), end: at(berlin, 2025, 4, 1, 13, 0), tz: "Europe/Berlin", deleted: true},
		{id: 113, cal: 2, title: "Class", start: at(newYork, 2025, 2, 22, 9, 0), duration: "PT30M", tz: "America/New_York",
			rdate: "America/New_York;20250301T090000,20250315T090000"},
		{id: 114, cal: 1, title: "Ada's birthday 🎂 (party)", start: day(2026, 12, 11), end: day(2026, 12, 12), allDay: true, tz: "UTC",
			origID: 105, origInstance: day(2026, 12, 10), origAllDay: true},
	}
}

var (
	calendarColumns = []string{"_id", "account_name", "account_type", "name", "calendar_displayName", "calendar_color",
		"calendar_timezone", "visible", "ownerAccount", "calendar_access_level", "sync_events"}
	eventColumns = []string{"_id", "calendar_id", "title", "description", "eventLocation", "dtstart", "dtend", "duration",
		"allDay", "eventTimezone", "eventEndTimezone", "rrule", "rdate", "exrule", "exdate", "original_id", "original_sync_id",
		"originalInstanceTime", "originalAllDay", "eventStatus", "availability", "organizer", "uid2445", "deleted", "hasAlarm"}
)

func calendarTables() (cals, evs, rems, atts *fakeadb.Table) {
	cals = &fakeadb.Table{Columns: calendarColumns, Rows: [][]any{
		{int64(1), ana, "com.google", ana, "Personal, Home; Ünïcode", int64(-16776961), "Europe/Berlin", int64(1), ana, int64(700), int64(1)},
		{int64(2), "Phone", "LOCAL", "local", "Phone calendar — Телефон", int64(-15292571), "America/New_York", int64(1), "Phone", int64(700), int64(1)},
		{int64(3), ana, "com.google", "de.german#holiday@group.v.calendar.google.com", "Feiertage in Deutschland", int64(-7151168), "Europe/Berlin",
			int64(0), "de.german#holiday@group.v.calendar.google.com", int64(200), int64(1)},
	}}
	evs = &fakeadb.Table{Columns: eventColumns}
	for _, e := range events() {
		evs.Rows = append(evs.Rows, e.row())
	}
	rems = &fakeadb.Table{Columns: []string{"_id", "event_id", "minutes", "method"}, Rows: [][]any{
		{int64(1), int64(101), int64(10), int64(1)},
		{int64(2), int64(101), int64(30), int64(2)},
		{int64(3), int64(102), int64(-1), int64(0)},
		{int64(4), int64(105), int64(1440), int64(1)},
		{int64(5), int64(108), int64(0), int64(1)},
	}}
	atts = &fakeadb.Table{Columns: []string{"_id", "event_id", "attendeeName", "attendeeEmail", "attendeeRelationship", "attendeeType", "attendeeStatus"}, Rows: [][]any{
		{int64(1), int64(101), "Ana Lifeboat", ana, int64(2), int64(1), int64(1)},
		{int64(2), int64(101), "Bob \"The\" Builder, Jr.", "bob@example.com", int64(1), int64(2), int64(4)},
		{int64(3), int64(101), nil, "room3@resource.example.com", int64(1), int64(3), int64(0)},
		{int64(4), int64(101), "Ünal Yılmaz; guest", "unal@example.com.tr", int64(1), int64(1), int64(2)},
		{int64(5), int64(101), "Nobody's email", nil, int64(1), int64(0), int64(3)},
		{int64(6), int64(102), "Ana Lifeboat", ana, int64(2), int64(1), int64(1)},
		{int64(7), int64(102), "Пётр", "petr@example.ru", int64(1), int64(1), int64(1)},
	}}
	return cals, evs, rems, atts
}

// row is the event as the provider holds it: times in UTC milliseconds.
func (e event) row() []any {
	ms := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t.UnixMilli()
	}
	str := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	flag := func(b bool) int64 {
		if b {
			return 1
		}
		return 0
	}
	var orig, origAllDay any
	if e.origID != 0 {
		orig, origAllDay = e.origID, flag(e.origAllDay)
	}
	return []any{e.id, e.cal, e.title, e.desc, e.location, ms(e.start), ms(e.end), str(e.duration),
		flag(e.allDay), str(e.tz), str(e.endTZ), str(e.rrule), str(e.rdate), nil, str(e.exdate), orig, str(e.origSync),
		ms(e.origInstance), origAllDay, e.status, e.avail, e.organizer, e.uid, flag(e.deleted), flag(e.hasAlarm)}
}

func wantEvents() []Event {
	var ws []Event
	for _, e := range events() {
		if e.deleted {
			continue
		}
		title, _ := e.title.(string)
		ws = append(ws, Event{ID: e.id, CalendarID: e.cal, Title: title, Start: e.start, AllDay: e.allDay, RRule: e.rrule,
			OriginalID: e.origID, Cancelled: e.status == int64(2)})
	}
	return ws
}
