package calendar

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// foreignICS is a file in the habits of Radicale/Evolution (freeassociation
// TZIDs with X-LIC-LOCATION), Outlook (Windows zone names), Google
// (X- properties, CUTYPE and X-NUM-GUESTS on attendees) and others: LF line
// ends in part, a folded DESCRIPTION, a to-do, an all-day event.
const foreignICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Radicale//NONSGML//EN\r\n" +
	"BEGIN:VTIMEZONE\r\nTZID:/freeassociation.sourceforge.net/Tzfile/Europe/Berlin\r\nX-LIC-LOCATION:Europe/Berlin\r\n" +
	"BEGIN:STANDARD\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n" +
	"BEGIN:DAYLIGHT\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n" +
	"BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n" +
	"BEGIN:VTIMEZONE\nTZID:My own zone\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0530\nTZOFFSETTO:+0530\nEND:STANDARD\nEND:VTIMEZONE\n" +
	"BEGIN:VTIMEZONE\nTZID:Nowhere\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0137\nTZOFFSETTO:+0137\nEND:STANDARD\n" +
	"BEGIN:DAYLIGHT\nDTSTART:19700601T000000\nTZOFFSETFROM:+0137\nTZOFFSETTO:+0237\nEND:DAYLIGHT\nEND:VTIMEZONE\n" +
	// A weekly series with UNTIL, an EXDATE list, two alarms and Google's attendee habits.
	"BEGIN:VEVENT\r\nUID:series-1@example.org\r\nDTSTAMP:20250101T000000Z\r\nCREATED:20241201T000000Z\r\n" +
	"DTSTART;TZID=/freeassociation.sourceforge.net/Tzfile/Europe/Berlin:20250106T093000\r\n" +
	"DTEND;TZID=/freeassociation.sourceforge.net/Tzfile/Europe/Berlin:20250106T101500\r\n" +
	"RRULE:FREQ=WEEKLY;UNTIL=20250331T225959Z;BYDAY=MO\r\n" +
	"EXDATE;TZID=/freeassociation.sourceforge.net/Tzfile/Europe/Berlin:20250113T093000,20250120T093000\r\n" +
	"SUMMARY:Team sync\\, weekly\r\nDESCRIPTION:Agenda:\\n1. news\\; 2. a long line that is folded by the\r\n  producer\r\n" +
	"LOCATION:Room 1\r\nSTATUS:CONFIRMED\r\nTRANSP:TRANSPARENT\r\nCATEGORIES:Work\r\nX-GOOGLE-CONFERENCE:https://meet.example/abc\r\n" +
	"ORGANIZER;CN=Ana:mailto:ana@example.com\r\n" +
	"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=\"Bob, B.\";X-NUM-GUESTS=0:mailto:bob@example.com\r\n" +
	"ATTENDEE;CUTYPE=ROOM;ROLE=NON-PARTICIPANT;PARTSTAT=NEEDS-ACTION;CN=Room 1:mailto:room1@example.com\r\n" +
	"BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nTRIGGER;RELATED=START:-PT15M\r\nEND:VALARM\r\n" +
	"BEGIN:VALARM\r\nACTION:EMAIL\r\nSUMMARY:x\r\nDESCRIPTION:x\r\nATTENDEE:mailto:ana@example.com\r\nTRIGGER:-P1D\r\nEND:VALARM\r\n" +
	"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;VALUE=DATE-TIME:20250105T090000Z\r\nEND:VALARM\r\n" +
	"END:VEVENT\r\n" +
	// One instance moved.
	"BEGIN:VEVENT\r\nUID:series-1@example.org\r\nRECURRENCE-ID;TZID=/freeassociation.sourceforge.net/Tzfile/Europe/Berlin:20250127T093000\r\n" +
	"DTSTART;TZID=W. Europe Standard Time:20250127T140000\r\nDTEND;TZID=W. Europe Standard Time:20250127T150000\r\nSUMMARY:Team sync (moved)\r\nEND:VEVENT\r\n" +
	// One instance cancelled, as Google exports it; and one of a series not in the file.
	"BEGIN:VEVENT\r\nUID:series-1@example.org\r\nRECURRENCE-ID:20250203T083000Z\r\nDTSTART:20250203T083000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:elsewhere\r\nRECURRENCE-ID:20250203T083000Z\r\nDTSTART:20250203T083000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n" +
	// All-day, Google style: DATE values, no time zone.
	"BEGIN:VEVENT\r\nUID:holiday@google.com\r\nDTSTART;VALUE=DATE:20251224\r\nDTEND;VALUE=DATE:20251227\r\nSUMMARY:Holidays\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\nUID:india@example.org\nDTSTART;TZID=My own zone:20250301T100000\nDURATION:PT45M\nSUMMARY:Call\nEND:VEVENT\n" +
	"BEGIN:VEVENT\nUID:nowhere@example.org\nDTSTART;TZID=Nowhere:20250301T100000\nSUMMARY:Odd zone\nEND:VEVENT\n" +
	"BEGIN:VTODO\r\nUID:todo-1\r\nSUMMARY:Buy milk\r\nEND:VTODO\r\n" +
	"END:VCALENDAR\r\n"

func TestFromICalendarForeign(t *testing.T) {
	evs, todos, skipped, err := FromICalendar([]byte(foreignICS))
	if err != nil {
		t.Fatal(err)
	}
	if todos != 1 || len(evs) != 4 {
		t.Fatalf("todos %d, events %d; want 1, 4", todos, len(evs))
	}
	if want := []string{"CATEGORIES", "RECURRENCE-ID", "TZID", "VALARM", "X-GOOGLE-CONFERENCE"}; !reflect.DeepEqual(skipped, want) {
		t.Errorf("skipped %v, want %v", skipped, want)
	}
	s := evs[0]
	want := map[string]string{
		"uid2445": "series-1@example.org", "title": "Team sync, weekly", "description": "Agenda:\n1. news; 2. a long line that is folded by the producer",
		"eventLocation": "Room 1", "dtstart": ms("Europe/Berlin", 2025, 1, 6, 9, 30), "duration": "P2700S", "allDay": "0",
		"eventTimezone": "Europe/Berlin", "rrule": "FREQ=WEEKLY;UNTIL=20250331T225959Z;BYDAY=MO",
		"exdate": "Europe/Berlin;20250113T093000,20250120T093000\n20250203T083000Z", "eventStatus": "1", "availability": "1",
		"organizer": "ana@example.com", "hasAlarm": "1",
	}
	if !reflect.DeepEqual(s.Values, want) {
		t.Errorf("series:\n got %v\nwant %v", s.Values, want)
	}
	if want := []map[string]string{{"minutes": "15", "method": "1"}, {"minutes": "1440", "method": "2"}}; !reflect.DeepEqual(s.Reminders, want) {
		t.Errorf("reminders %v", s.Reminders)
	}
	if want := []map[string]string{
		{"attendeeName": "Bob, B.", "attendeeEmail": "bob@example.com", "attendeeRelationship": "1", "attendeeType": "1", "attendeeStatus": "1"},
		{"attendeeName": "Room 1", "attendeeEmail": "room1@example.com", "attendeeRelationship": "1", "attendeeType": "3", "attendeeStatus": "3"},
	}; !reflect.DeepEqual(s.Attendees, want) {
		t.Errorf("attendees %v", s.Attendees)
	}
	if len(s.Exceptions) != 1 {
		t.Fatalf("%d exceptions", len(s.Exceptions))
	}
	x := s.Exceptions[0].Values
	if x["originalInstanceTime"] != ms("Europe/Berlin", 2025, 1, 27, 9, 30) || x["originalAllDay"] != "0" ||
		x["dtstart"] != ms("Europe/Berlin", 2025, 1, 27, 14, 0) || x["dtend"] != ms("Europe/Berlin", 2025, 1, 27, 15, 0) ||
		x["eventTimezone"] != "Europe/Berlin" || x["uid2445"] != "" || x["duration"] != "" {
		t.Errorf("exception %v", x)
	}
	h := evs[1].Values
	if h["allDay"] != "1" || h["dtstart"] != ms("UTC", 2025, 12, 24, 0, 0) || h["dtend"] != ms("UTC", 2025, 12, 27, 0, 0) ||
		h["eventTimezone"] != "UTC" || h["uid2445"] != "holiday@google.com" {
		t.Errorf("all-day %v", h)
	}
	if c := evs[2].Values; c["eventTimezone"] != "Asia/Kolkata" || c["dtstart"] != ms("Asia/Kolkata", 2025, 3, 1, 10, 0) ||
		c["dtend"] != ms("Asia/Kolkata", 2025, 3, 1, 10, 45) {
		t.Errorf("zone by offset %v", c)
	}
	// No zone has +01:37 with daylight time: UTC, the instant read at the
	// offset the VTIMEZONE gives (its DAYLIGHT starts in 1970 and never
	// ends), and "TZID" in skipped.
	if o := evs[3].Values; o["eventTimezone"] != "UTC" || o["dtstart"] != strconv.FormatInt(time.Date(2025, 3, 1, 10, 0, 0, 0, time.FixedZone("", 9420)).UnixMilli(), 10) || o["dtend"] != o["dtstart"] {
		t.Errorf("unresolved zone %v", o)
	}
}

// TestFromICalendarFloating: floating times are in X-WR-TIMEZONE, else UTC.
func TestFromICalendarFloating(t *testing.T) {
	for tz, want := range map[string]string{"Asia/Tokyo": "Asia/Tokyo", "Mars/Base": "UTC", "": "UTC"} {
		ics := "BEGIN:VCALENDAR\nX-WR-TIMEZONE:" + tz + "\nBEGIN:VEVENT\nDTSTART:20250301T100000\nDTEND:20250301T110000\nEND:VEVENT\nEND:VCALENDAR\n"
		evs, _, _, _ := FromICalendar([]byte(ics))
		if len(evs) != 1 || evs[0].Values["eventTimezone"] != want || evs[0].Values["dtstart"] != ms(want, 2025, 3, 1, 10, 0) ||
			evs[0].Values["dtend"] != ms(want, 2025, 3, 1, 11, 0) {
			t.Errorf("X-WR-TIMEZONE %q: %v", tz, evs)
		}
	}
}

// TestFromICalendarRecurrenceSets: RDATE and all-day EXDATE columns, and a
// RELATED=END alarm.
func TestFromICalendarRecurrenceSets(t *testing.T) {
	ics := "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20250101\nRRULE:FREQ=YEARLY\nEXDATE;VALUE=DATE:20260101,20270101\n" +
		"BEGIN:VALARM\nACTION:AUDIO\nTRIGGER;RELATED=END:-P1D\nEND:VALARM\nEND:VEVENT\n" +
		"BEGIN:VEVENT\nUID:b\nDTSTART:20250301T090000Z\nDURATION:PT1H\nRDATE:20250401T090000Z,20250501T090000Z\nRDATE;VALUE=PERIOD:20250601T090000Z/PT1H\nEND:VEVENT\nEND:VCALENDAR\n"
	evs, _, skipped, _ := FromICalendar([]byte(ics))
	if len(evs) != 2 {
		t.Fatalf("%d events", len(evs))
	}
	a := evs[0]
	if a.Values["exdate"] != "20260101T000000Z,20270101T000000Z" || a.Values["duration"] != "P1D" || a.Values["dtend"] != "" {
		t.Errorf("all-day series %v", a.Values)
	}
	if len(a.Reminders) != 1 || a.Reminders[0]["minutes"] != "0" || a.Reminders[0]["method"] != "4" {
		t.Errorf("RELATED=END alarm %v", a.Reminders)
	}
	if b := evs[1].Values; b["rdate"] != "20250401T090000Z,20250501T090000Z" || b["duration"] != "P3600S" {
		t.Errorf("rdate series %v", b)
	}
	if !reflect.DeepEqual(skipped, []string{"RDATE"}) {
		t.Errorf("skipped %v", skipped)
	}
}

func TestSignature(t *testing.T) {
	fx := fixture()
	ev := fx.Events[0]
	rem, att := fx.Reminders[:2], fx.Attendees[:4]
	base := Signature(ev, rem, att)
	moved := map[string]string{}
	for k, v := range ev {
		moved[k] = v
	}
	moved["_id"], moved["calendar_id"] = "777", "5"
	rev := func(rows []map[string]string) []map[string]string {
		out := make([]map[string]string, len(rows))
		for i, r := range rows {
			c := map[string]string{"event_id": "777", "_id": "9" + r["minutes"]}
			for k, v := range r {
				if k != "event_id" && k != "_id" {
					c[k] = v
				}
			}
			out[len(rows)-1-i] = c
		}
		return out
	}
	if Signature(moved, rev(rem), rev(att)) != base {
		t.Error("signature depends on _id, calendar_id or row order")
	}
	for col, v := range map[string]string{"title": "Standup, weekly", "dtstart": "1", "eventTimezone": "Asia/Tokyo", "rrule": "FREQ=DAILY"} {
		c := map[string]string{}
		for k, x := range ev {
			c[k] = x
		}
		c[col] = v
		if Signature(c, rem, att) == base {
			t.Errorf("signature ignores %s", col)
		}
	}
	if Signature(ev, rem[:1], att) == base || Signature(ev, rem, att[:1]) == base {
		t.Error("signature ignores reminders or attendees")
	}
	// dtend and the same length as duration are the same content.
	withDur := map[string]string{"dtstart": "1000", "duration": "P3600S", "rrule": "FREQ=DAILY"}
	if Signature(withDur, nil, nil) != Signature(map[string]string{"dtstart": "1000", "duration": "PT1H", "rrule": "FREQ=DAILY", "eventTimezone": "UTC"}, nil, nil) {
		t.Error("P3600S and PT1H differ")
	}
	if Signature(map[string]string{"dtstart": "0", "dtend": "3600000"}, nil, nil) != Signature(map[string]string{"dtstart": "0", "duration": "P3600S"}, nil, nil) {
		t.Error("dtend and duration of the same length differ")
	}
}

func TestLocalCalendar(t *testing.T) {
	c := LocalCalendar("Phone", "", "Europe/Berlin")
	for k, v := range map[string]string{"name": "Phone", "calendar_displayName": "Phone", "account_name": "Phone", "account_type": "LOCAL",
		"ownerAccount": "Phone", "calendar_access_level": "700", "visible": "1", "sync_events": "1", "calendar_timezone": "Europe/Berlin"} {
		if c[k] != v {
			t.Errorf("%s = %q, want %q", k, c[k], v)
		}
	}
	if c := LocalCalendar("a", "Family", ""); c["calendar_displayName"] != "Family" || c["calendar_timezone"] != "UTC" {
		t.Errorf("%v", c)
	}
	if strings.Contains(strings.Join(keys(c), ","), "_id") {
		t.Error("a new calendar carries an _id")
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
