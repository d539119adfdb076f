package calendar

import (
	"strconv"
	"testing"
)

// BenchmarkRender renders a calendar of 5,000 events, a tenth of them
// recurring, with a reminder and an attendee each.
func BenchmarkRender(b *testing.B) {
	tb := Tables{Calendars: []map[string]string{{"_id": "1", "calendar_displayName": "Big"}}}
	for i := range 5000 {
		id := strconv.Itoa(i + 1)
		ev := map[string]string{"_id": id, "calendar_id": "1", "title": "Event " + id, "description": "a, b; c\nd",
			"dtstart": strconv.FormatInt(1735689600000+int64(i)*3600000, 10), "dtend": strconv.FormatInt(1735693200000+int64(i)*3600000, 10),
			"eventTimezone": "Europe/Berlin"}
		if i%10 == 0 {
			ev["rrule"], ev["duration"] = "FREQ=WEEKLY", "PT1H"
		}
		tb.Events = append(tb.Events, ev)
		tb.Reminders = append(tb.Reminders, map[string]string{"event_id": id, "minutes": "10", "method": "1"})
		tb.Attendees = append(tb.Attendees, map[string]string{"event_id": id, "attendeeEmail": "a@example.com", "attendeeName": "A"})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(tb); err != nil {
			b.Fatal(err)
		}
	}
}
