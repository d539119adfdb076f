package calendar

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// FuzzFromICalendar: FromICalendar never panics, returns no more events
// than the file has VEVENTs, and every event is one the provider accepts:
// dtstart and eventTimezone set, a recurring one with duration and no
// dtend, a one-off with dtend and no duration. Each file is read within a
// second.
func FuzzFromICalendar(f *testing.F) {
	files, err := Render(fixture())
	if err != nil {
		f.Fatal(err)
	}
	for _, fl := range files {
		f.Add(fl.Data)
	}
	f.Add([]byte(foreignICS))
	f.Add([]byte("BEGIN:VEVENT\nDTSTART;TZID=\"a;b:c\":20250101T000000\nRDATE:x/y,20250101\nRRULE:FREQ=DAILY\nBEGIN:VALARM\nTRIGGER:-P99999999999D\nEND:VALARM\n"))
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nRECURRENCE-ID:20250101\r\nDTSTART:20250101\r\nEND:VEVENT\r\nEND:VCALENDAR"))
	f.Fuzz(func(t *testing.T, data []byte) {
		begin := time.Now()
		evs, todos, skipped, err := FromICalendar(data)
		if d := time.Since(begin); d > time.Second && len(data) < 1<<20 {
			t.Fatalf("%d bytes took %v", len(data), d)
		}
		if err != nil || todos < 0 || len(skipped) > 100 {
			t.Fatalf("err %v, todos %d, %d skipped", err, todos, len(skipped))
		}
		n := 0
		check := func(ev Event) {
			n++
			v := ev.Values
			if _, ok := millis(v, "dtstart"); !ok || v["eventTimezone"] == "" {
				t.Fatalf("no dtstart or eventTimezone: %v", v)
			}
			_, hasEnd := v["dtend"]
			_, hasDur := v["duration"]
			if isRecurring(v) == hasEnd || hasEnd == hasDur {
				t.Fatalf("end: %v", v)
			}
			_ = Signature(v, ev.Reminders, ev.Attendees)
		}
		for _, ev := range evs {
			check(ev)
			for _, x := range ev.Exceptions {
				check(x)
			}
		}
		if max := bytes.Count(bytes.ToUpper(data), []byte("VEVENT")); n > max {
			t.Fatalf("%d events from %d VEVENTs", n, max)
		}
	})
}

// TestFromICalendarLarge: hostile shapes of a few MB (many events and
// exceptions, many unknown zones, a line folded 100,000 times, deep
// nesting) are read in bounded time.
func TestFromICalendarLarge(t *testing.T) {
	var many, zones, folded, deep bytes.Buffer
	for i := range 20000 {
		fmt.Fprintf(&many, "BEGIN:VEVENT\r\nUID:u%d\r\nDTSTART:20250101T000000Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n", i%50)
		fmt.Fprintf(&many, "BEGIN:VEVENT\r\nUID:u%d\r\nRECURRENCE-ID:20250102T000000Z\r\nDTSTART:20250103T000000Z\r\nEND:VEVENT\r\n", i%50)
		fmt.Fprintf(&zones, "BEGIN:VEVENT\r\nDTSTART;TZID=Zone/%d:20250101T000000\r\nEND:VEVENT\r\n", i)
	}
	folded.WriteString("BEGIN:VEVENT\r\nDTSTART:20250101T000000Z\r\nSUMMARY:")
	for range 100000 {
		folded.WriteString("abcdefghij\r\n ")
	}
	folded.WriteString("\r\nEND:VEVENT\r\n")
	for range 50000 {
		deep.WriteString("BEGIN:X\r\n")
	}
	deep.WriteString("BEGIN:VEVENT\r\nDTSTART:20250101\r\nEND:VEVENT\r\n")
	for name, data := range map[string][]byte{"many": many.Bytes(), "zones": zones.Bytes(), "folded": folded.Bytes(), "deep": deep.Bytes()} {
		begin := time.Now()
		evs, _, skipped, _ := FromICalendar(data)
		if d := time.Since(begin); d > 5*time.Second {
			t.Errorf("%s: %d bytes took %v", name, len(data), d)
		}
		switch name {
		case "many":
			if len(evs) != 20000 || len(evs[0].Exceptions) != 400 {
				t.Errorf("many: %d events, %d exceptions of the first", len(evs), len(evs[0].Exceptions))
			}
		case "zones":
			if len(evs) != 20000 || evs[0].Values["eventTimezone"] != "UTC" || len(skipped) != 1 || skipped[0] != "TZID" {
				t.Errorf("zones: %d events, %v, skipped %v", len(evs), evs[0].Values, skipped)
			}
		case "folded":
			if len(evs) != 1 || len(evs[0].Values["title"]) != 1000000 {
				t.Errorf("folded: %d events", len(evs))
			}
		case "deep":
			if len(evs) != 0 || len(skipped) != 1 || skipped[0] != "X" {
				t.Errorf("deep: %d events, skipped %v (components nested deeper than %d are not read)", len(evs), skipped, maxICSDepth)
			}
		}
	}
}
