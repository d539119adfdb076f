package calendar

import (
	"strconv"
	"time"
)

// ms writes a wall time in zone tz as the provider's milliseconds.
func ms(tz string, y int, mo time.Month, d, h, mi int) string {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		panic(err)
	}
	return strconv.FormatInt(time.Date(y, mo, d, h, mi, 0, 0, loc).UnixMilli(), 10)
}

// fixture is a phone's calendar rows: two calendars with events, one
// empty calendar whose name clashes, and an event of a calendar that is
// not there. NULL columns are absent.
func fixture() Tables {
	return Tables{
		Calendars: []map[string]string{
			{"_id": "3", "account_name": "ana@example.com", "account_type": "com.google", "calendar_displayName": "WORK, HOME; ÜNÏCODE", "visible": "0"},
			{"_id": "1", "account_name": "ana@example.com", "account_type": "com.google", "calendar_displayName": "Work, Home; Ünïcode",
				"calendar_color": "-16776961", "calendar_timezone": "Europe/Berlin", "visible": "1"},
			{"_id": "2", "account_name": "Phone", "account_type": "LOCAL", "calendar_displayName": "Семья 家族", "visible": "1"},
		},
		Events: []map[string]string{
			{"_id": "10", "calendar_id": "1", "title": "Standup, daily; team", "description": "Line 1\nLine 2, with comma; semi \\ back",
				"eventLocation": "Room 3; Floor 2, Berlin", "dtstart": ms("Europe/Berlin", 2025, 6, 17, 9, 30), "dtend": ms("Europe/Berlin", 2025, 6, 17, 10, 30),
				"allDay": "0", "eventTimezone": "Europe/Berlin", "eventStatus": "1", "availability": "0", "organizer": "ana@example.com", "uid2445": "abc-123@google.com"},
			{"_id": "11", "calendar_id": "1", "title": "Weekly 1:1 — 週報", "dtstart": ms("Europe/Berlin", 2025, 1, 6, 10, 0), "duration": "P3600S",
				"allDay": "0", "eventTimezone": "Europe/Berlin", "rrule": "FREQ=WEEKLY;BYDAY=MO;COUNT=10", "exdate": "20250113T090000Z", "eventStatus": "1"},
			{"_id": "12", "calendar_id": "1", "title": "Weekly 1:1 (moved)", "dtstart": ms("Europe/Berlin", 2025, 1, 20, 11, 0), "dtend": ms("Europe/Berlin", 2025, 1, 20, 12, 0),
				"allDay": "0", "eventTimezone": "Europe/Berlin", "original_id": "11", "originalInstanceTime": ms("UTC", 2025, 1, 20, 9, 0), "originalAllDay": "0"},
			{"_id": "13", "calendar_id": "1", "title": "Weekly 1:1", "dtstart": ms("Europe/Berlin", 2025, 1, 27, 10, 0), "dtend": ms("Europe/Berlin", 2025, 1, 27, 11, 0),
				"allDay": "0", "eventTimezone": "Europe/Berlin", "original_id": "11", "originalInstanceTime": ms("UTC", 2025, 1, 27, 9, 0), "eventStatus": "2"},
			{"_id": "21", "calendar_id": "1", "title": "Weekly 1:1", "dtstart": ms("Europe/Berlin", 2025, 2, 10, 10, 0), "dtend": ms("Europe/Berlin", 2025, 2, 10, 11, 0),
				"allDay": "0", "eventTimezone": "Europe/Berlin", "original_id": "11", "originalInstanceTime": ms("UTC", 2025, 2, 10, 9, 0), "eventStatus": "2"},
			{"_id": "20", "calendar_id": "1", "title": "Weekly 1:1 (long)", "dtstart": ms("Europe/Berlin", 2025, 2, 3, 10, 0), "dtend": ms("Europe/Berlin", 2025, 2, 3, 12, 0),
				"allDay": "0", "eventTimezone": "Europe/Berlin", "original_id": "11", "originalInstanceTime": ms("UTC", 2025, 2, 3, 9, 0)},
			{"_id": "14", "calendar_id": "1", "title": "Birthday 🎂", "dtstart": ms("UTC", 2025, 3, 1, 0, 0), "dtend": ms("UTC", 2025, 3, 2, 0, 0),
				"allDay": "1", "eventTimezone": "UTC", "availability": "1"},
			{"_id": "15", "calendar_id": "2", "title": "Рождество", "dtstart": ms("UTC", 2025, 12, 24, 0, 0), "duration": "P1D", "allDay": "1",
				"eventTimezone": "UTC", "rrule": "FREQ=YEARLY", "exdate": "20261224T000000Z"},
			{"_id": "16", "calendar_id": "2", "title": "Рождество (перенесено)", "dtstart": ms("UTC", 2027, 12, 25, 0, 0), "dtend": ms("UTC", 2027, 12, 26, 0, 0),
				"allDay": "1", "eventTimezone": "UTC", "original_id": "15", "originalInstanceTime": ms("UTC", 2027, 12, 24, 0, 0), "originalAllDay": "1"},
			{"_id": "22", "calendar_id": "2", "title": "Рождество", "dtstart": ms("UTC", 2028, 12, 24, 0, 0), "dtend": ms("UTC", 2028, 12, 25, 0, 0),
				"allDay": "1", "eventTimezone": "UTC", "original_id": "15", "originalInstanceTime": ms("UTC", 2028, 12, 24, 0, 0), "originalAllDay": "1", "eventStatus": "2"},
			{"_id": "17", "calendar_id": "2", "dtstart": ms("UTC", 2025, 5, 5, 12, 0)},
			{"_id": "18", "calendar_id": "2", "title": "Class", "dtstart": ms("America/New_York", 2025, 2, 22, 9, 0), "duration": "PT30M",
				"eventTimezone": "America/New_York", "rdate": "America/New_York;20250301T090000,20250315T090000"},
			{"_id": "19", "calendar_id": "99", "title": "Orphan", "dtstart": ms("UTC", 2025, 1, 1, 0, 0)},
		},
		Reminders: []map[string]string{
			{"event_id": "10", "minutes": "30", "method": "2"},
			{"event_id": "10", "minutes": "10", "method": "1"},
			{"event_id": "11", "minutes": "-1", "method": "0"},
			{"event_id": "15", "minutes": "1440", "method": "4"},
		},
		Attendees: []map[string]string{
			{"event_id": "10", "attendeeName": "Bob \"The\" Builder, Jr.", "attendeeEmail": "bob@example.com", "attendeeRelationship": "1", "attendeeType": "2", "attendeeStatus": "4"},
			{"event_id": "10", "attendeeName": "Ana Müller", "attendeeEmail": "ana@example.com", "attendeeRelationship": "2", "attendeeType": "1", "attendeeStatus": "1"},
			{"event_id": "10", "attendeeEmail": "room3@resource.example.com", "attendeeRelationship": "1", "attendeeType": "3", "attendeeStatus": "0"},
			{"event_id": "10", "attendeeName": "Nobody's email", "attendeeStatus": "3"},
		},
	}
}
