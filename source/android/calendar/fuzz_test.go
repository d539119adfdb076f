package calendar

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRender feeds hostile column values: Render never panics, and what it
// writes is always CRLF lines of at most 75 octets of UTF-8 holding one
// VCALENDAR.
func FuzzRender(f *testing.F) {
	f.Add("Standup, daily; team", "l1\nl2", "FREQ=WEEKLY;COUNT=3", "20250113T090000Z", "P3600S", "1736758800000", "Europe/Berlin", "0", "Work")
	f.Add("", "", "", "Europe/Berlin;20250113T100000\n20250113", "", "0", "", "1", "")
	f.Add("\xff\x00;", "\r\r\n", "\n", ";;,", "-P", "-1", "Mars/Base", "1", "../..")
	f.Fuzz(func(t *testing.T, title, desc, rrule, exdate, dur, dtstart, tz, allDay, name string) {
		tb := Tables{
			Calendars: []map[string]string{{"_id": "1", "calendar_displayName": name, "calendar_timezone": tz}},
			Events: []map[string]string{
				{"_id": "1", "calendar_id": "1", "title": title, "description": desc, "rrule": rrule, "exdate": exdate, "rdate": exdate,
					"duration": dur, "dtstart": dtstart, "dtend": dtstart, "eventTimezone": tz, "eventEndTimezone": tz, "allDay": allDay, "organizer": name},
				{"_id": "2", "calendar_id": "1", "title": title, "dtstart": dtstart, "original_id": "1", "originalInstanceTime": dtstart, "eventStatus": allDay},
			},
			Reminders: []map[string]string{{"event_id": "1", "minutes": allDay, "method": "2"}},
			Attendees: []map[string]string{{"event_id": "1", "attendeeName": desc, "attendeeEmail": title}},
		}
		files, err := Render(tb)
		if err != nil {
			return // no readable dtstart
		}
		if len(files) != 1 || !strings.HasSuffix(files[0].Name, ".ics") || strings.ContainsAny(files[0].Name, "/\\:") {
			t.Fatalf("files %v", files)
		}
		s := string(files[0].Data)
		if !strings.HasPrefix(s, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(s, "END:VCALENDAR\r\n") {
			t.Fatal("not one VCALENDAR")
		}
		for _, ln := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
			if len(ln) > 75 || !utf8.ValidString(ln) || strings.ContainsAny(ln, "\r\n") {
				t.Fatalf("bad line %q", ln)
			}
		}
	})
}
