package records

import (
	"context"
	"strings"
	"testing"
	"time"
)

// berlinTZ is a VTIMEZONE as phones write it.
var berlinTZ = comp("VTIMEZONE", "TZID:Europe/Berlin", "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
	"DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT", "BEGIN:STANDARD", "TZOFFSETFROM:+0200",
	"TZOFFSETTO:+0100", "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD")

func vcal(items ...[]string) []string {
	out := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"}
	for _, it := range items {
		out = append(out, it...)
	}
	return append(out, "END:VCALENDAR")
}

func comp(name string, lines ...string) []string {
	return append(append([]string{"BEGIN:" + name}, lines...), "END:"+name)
}

var (
	weekly = comp("VEVENT", "UID:weekly-1", "SUMMARY:Team sync", "LOCATION:Room 3", "DTSTART;TZID=Europe/Berlin:20260302T100000",
		"DTEND;TZID=Europe/Berlin:20260302T110000", "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8", "EXDATE;TZID=Europe/Berlin:20260316T100000",
		"BEGIN:VALARM", "TRIGGER:-PT15M", "ACTION:DISPLAY", "DESCRIPTION:alarm text", "END:VALARM")
	moved = comp("VEVENT", "UID:weekly-1", "RECURRENCE-ID;TZID=Europe/Berlin:20260323T100000", "SUMMARY:Team sync (moved)",
		"DTSTART;TZID=Europe/Berlin:20260324T150000", "DTEND;TZID=Europe/Berlin:20260324T153000")
	holiday = comp("VEVENT", "UID:holiday-1", "SUMMARY:Easter trip", "DTSTART;VALUE=DATE:20260330", "DTEND;VALUE=DATE:20260402")
	floatE  = comp("VEVENT", "UID:float-1", "SUMMARY:Wake up", "DTSTART:20260310T070000", "DURATION:PT30M")
	evil    = comp("VEVENT", "UID:evil-1", "SUMMARY:<script>alert('x')</script>\x01\x02 party", "DTSTART:20260320T180000Z",
		"DESCRIPTION:<img src=x onerror=alert(1)>\\nsecond\x1f line")
	todoDue  = comp("VTODO", "UID:t1", "SUMMARY:Buy milk", "DUE;VALUE=DATE:20260305", "STATUS:NEEDS-ACTION", "PRIORITY:5")
	todoSoon = comp("VTODO", "UID:t2", "SUMMARY:Call Anna", "DUE:20260303T170000Z")
	todoDone = comp("VTODO", "UID:t3", "SUMMARY:Bread", "DUE:20260301T170000Z", "COMPLETED:20260301T164210Z", "STATUS:COMPLETED")
	todoNone = comp("VTODO", "UID:t4", "SUMMARY:Eggs")
)

func occurrenceLines(os []Occurrence, loc *time.Location) []string {
	var out []string
	for _, o := range os {
		s := o.Start.In(loc).Format("01-02 15:04") + " " + o.Title
		if o.AllDay {
			s = o.Start.In(loc).Format("01-02") + "–" + o.End.In(loc).Format("01-02") + " " + o.Title
		}
		out = append(out, s)
	}
	return out
}

func without(os []Occurrence, title string) []Occurrence {
	var out []Occurrence
	for _, o := range os {
		if o.Title != title {
			out = append(out, o)
		}
	}
	return out
}

// TestCalendarMonth: a weekly event with an EXDATE and a moved instance
// shows every Monday of March but the EXDATE, the moved one at its new
// time, at 10:00 on both sides of the change to summer time (29 March);
// April holds the rest of its COUNT; an all-day trip across the months
// shows in both; a floating event is read in the zone asked for; a
// series of thousands of instances a month is expanded in full and does
// not hide a later event.
func TestCalendarMonth(t *testing.T) {
	ber, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	p := newPhone(t)
	p.write("Calendar/Work.ics", vcal(berlinTZ, weekly, moved, floatE)...)
	p.write("Calendar/Home.ics", vcal(holiday, evil)...)
	// Every 5 minutes since February: 8,928 instances in March alone, and
	// May's one instance is found past the thousands before it.
	p.write("Calendar/Noise.ics", vcal(comp("VEVENT", "UID:noise", "SUMMARY:tick", "DTSTART:20260201T000000Z",
		"RRULE:FREQ=MINUTELY;INTERVAL=5;UNTIL=20260501T000000Z"), comp("VEVENT", "UID:may", "SUMMARY:May day", "DTSTART:20260501T120000Z"))...)
	s := p.backup()
	c, err := Calendar(context.Background(), p.reader(), s.Root)
	if err != nil {
		t.Fatal(err)
	}
	all := c.Month(2026, time.March, ber)
	mar, ticks := without(all, "tick"), len(all)-len(without(all, "tick"))
	if ticks != 31*24*12-12 { // March 2026 in Berlin is 743 hours long (summer time)
		t.Errorf("%d ticks in March", ticks)
	}
	got := strings.Join(occurrenceLines(mar, ber), "\n")
	want := strings.Join([]string{"03-02 10:00 Team sync", "03-09 10:00 Team sync", "03-10 07:00 Wake up",
		"03-20 19:00 <script>alert('x')</script> party", "03-24 15:00 Team sync (moved)", "03-30–04-02 Easter trip", "03-30 10:00 Team sync"}, "\n")
	if got != want {
		t.Errorf("March:\n%s\nwant\n%s", got, want)
	}
	for _, o := range mar {
		if o.Title == "Team sync (moved)" && (!o.Moved || !o.Recurring || o.Location != "Room 3" || o.End.Sub(o.Start) != 30*time.Minute) {
			t.Errorf("moved instance: %+v", o)
		}
		if o.Title == "Team sync" && (o.Calendar != "Work" || o.End.Sub(o.Start) != time.Hour || o.Moved) {
			t.Errorf("instance: %+v", o)
		}
	}
	apr := strings.Join(occurrenceLines(without(c.Month(2026, time.April, ber), "tick"), ber), "\n")
	if want := "03-30–04-02 Easter trip\n04-06 10:00 Team sync\n04-13 10:00 Team sync\n04-20 10:00 Team sync"; apr != want {
		t.Errorf("April:\n%s\nwant\n%s", apr, want)
	}
	// Floating times follow the zone they are read in; UTC times do not.
	ny, _ := time.LoadLocation("America/New_York")
	for _, o := range c.Month(2026, time.March, ny) {
		if o.Title == "Wake up" && o.Start.In(ny).Hour() != 7 {
			t.Errorf("floating event at %v in New York", o.Start)
		}
	}
	if may := without(c.Month(2026, time.May, time.UTC), "tick"); len(may) != 1 || may[0].Title != "May day" {
		t.Errorf("May has %+v", may)
	}
	ev, ok := c.Event(mar[0].EventID)
	if !ok || ev.Title != "Team sync" || ev.Rule != "FREQ=WEEKLY;BYDAY=MO;COUNT=8" || ev.Exceptions != 1 || ev.Calendar != "Work" ||
		!strings.Contains(string(ev.Raw), "RECURRENCE-ID") || ev.End.Sub(ev.Start) != time.Hour {
		t.Errorf("Event: %+v", ev)
	}
	var alarm bool
	for _, f := range ev.Fields {
		alarm = alarm || f.Name == "VALARM.TRIGGER" && f.Value == "-PT15M"
	}
	if !alarm {
		t.Errorf("alarm field missing: %+v", ev.Fields)
	}
	for _, o := range mar {
		if strings.Contains(o.Title, "script") {
			e, _ := c.Event(o.EventID)
			if e.Notes != "<img src=x onerror=alert(1)>\nsecond line" || strings.ContainsAny(e.Title, "\x01\x02") {
				t.Errorf("hostile event: %q %q", e.Title, e.Notes)
			}
		}
	}
	ics, ok := c.ICS(mar[0].EventID)
	if !ok || !strings.HasPrefix(string(ics), "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(string(ics), "END:VCALENDAR\r\n") ||
		strings.Count(string(ics), "BEGIN:VEVENT") != 2 || !strings.Contains(string(ics), "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin") ||
		strings.Contains(string(ics), "Wake up") {
		t.Errorf("ICS:\n%s", ics)
	}
	if _, ok := c.Event("nosuch"); ok {
		t.Error("Event(nosuch) found")
	}
}

// TestTodos: open to-dos first by due date (a DATE and a UTC time), the
// one without a due date after them, the completed one last.
func TestTodos(t *testing.T) {
	p := newPhone(t)
	p.write("Reminders/Groceries.ics", vcal(todoDue, todoNone, todoDone, todoSoon)...)
	s := p.backup()
	c, err := Calendar(context.Background(), p.reader(), s.Root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, td := range c.Todos() {
		got = append(got, td.Title)
	}
	if strings.Join(got, ",") != "Call Anna,Buy milk,Eggs,Bread" {
		t.Fatalf("to-dos %v", got)
	}
	td := c.Todos()
	if !td[1].DueAllDay || td[1].Due.Format("2006-01-02") != "2026-03-05" || td[1].Priority != 5 || td[1].List != "Groceries" || td[1].Done {
		t.Errorf("Buy milk: %+v", td[1])
	}
	if !td[3].Done || td[3].Completed.Format(time.RFC3339) != "2026-03-01T16:42:10Z" || td[3].Status != "COMPLETED" {
		t.Errorf("Bread: %+v", td[3])
	}
	if len(c.Month(2026, time.March, time.UTC)) != 0 {
		t.Error("to-dos in the month's events")
	}
}

// TestEventHistory: moving an instance again and changing the series'
// location is one change with LOCATION (old and new) and the exception
// named; deleting the file makes the event vanish.
func TestEventHistory(t *testing.T) {
	p := newPhone(t)
	p.write("Calendar/Work.ics", vcal(weekly, moved)...)
	s1 := p.backup()
	weekly2 := strings.Split(strings.Replace(strings.Join(weekly, "\n"), "LOCATION:Room 3", "LOCATION:Room 5", 1), "\n")
	moved2 := strings.Split(strings.Replace(strings.Join(moved, "\n"), "20260324T150000", "20260325T090000", 1), "\n")
	p.write("Calendar/Work.ics", vcal(weekly2, moved2)...)
	s2 := p.backup()
	p.remove("Calendar/Work.ics")
	p.write("Calendar/Other.ics", vcal(floatE)...)
	s3 := p.backup()
	r := p.reader()
	c, err := Calendar(context.Background(), r, s1.Root)
	if err != nil {
		t.Fatal(err)
	}
	mar := c.Month(2026, time.March, time.UTC)
	if len(mar) == 0 {
		t.Fatal("no events")
	}
	h, err := EventHistory(context.Background(), r, []Snap{s1, s2, s3}, mar[0].EventID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 || h[0].Op != "appeared" || h[1].Op != "changed" || h[2].Op != "vanished" || h[2].Snap != s3.ID {
		t.Fatalf("history %+v", h)
	}
	var names []string
	for _, f := range h[1].Fields {
		names = append(names, f.Name+" "+f.Op)
		if f.Name == "LOCATION" && (strings.Join(f.Old, "") != "Room 3" || strings.Join(f.New, "") != "Room 5") {
			t.Errorf("LOCATION %v → %v", f.Old, f.New)
		}
	}
	if strings.Join(names, ",") != "LOCATION changed,exception 20260323T100000 changed" {
		t.Errorf("fields %v", names)
	}
}
