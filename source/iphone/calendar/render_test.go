package calendar

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
)

// TestRender: every generated event, moved instance and to-do is in the
// files, with its UID, EXDATE, VALARM, ATTENDEE and time zones; nothing
// is skipped.
func TestRender(t *testing.T) {
	d := iosgen.DefaultCalendarData()
	cal, rem := generated(t, d)
	ev, rs := renderBoth(t, cal, rem)
	if len(ev.Calendars) != len(d.Calendars) || len(rs.Lists) != len(d.Lists) {
		t.Fatalf("%d calendars, %d lists; want %d, %d", len(ev.Calendars), len(rs.Lists), len(d.Calendars), len(d.Lists))
	}
	if want := len(d.WantEvents()); ev.Events != want || ev.Skipped != 0 {
		t.Errorf("%d events, %d skipped; want %d, 0", ev.Events, ev.Skipped, want)
	}
	after := 0 // alarms after the start, which a VALARM here cannot say
	for _, c := range d.Calendars {
		for _, e := range c.Events {
			for _, a := range e.Alarms {
				if a < 0 {
					after++
				}
			}
		}
	}
	if ev.DroppedAlarms != after || after == 0 {
		t.Errorf("%d alarms dropped, want %d (and the data to have some)", ev.DroppedAlarms, after)
	}
	all := map[string]string{}
	for i, c := range d.Calendars {
		f := ev.Calendars[i]
		if f.Title != c.Title || !strings.HasSuffix(f.Name, ".ics") {
			t.Errorf("calendar %d is %q (%s), want %q", i, f.Title, f.Name, c.Title)
		}
		all[c.Title] = unfold(f.Data)
	}
	for _, w := range d.WantEvents() {
		body := all[w.Calendar]
		if !strings.Contains(body, "UID:"+w.UID+"\r\n") || !strings.Contains(body, "SUMMARY:"+esc(w.Title)+"\r\n") {
			t.Errorf("%s: no VEVENT %q with UID %s", w.Calendar, w.Title, w.UID)
		}
	}
	home, work := all["Home"], all["Work"]
	for _, want := range []string{
		"BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin", "EXDATE;TZID=Europe/Berlin:20260921T183000", "RECURRENCE-ID;TZID=Europe/Berlin:20260914T183000",
		"TRIGGER:-PT15M", "TRIGGER:-PT1440M", "LOCATION:Praxis Dr. Weiß\\, Hauptstraße 5", "DESCRIPTION:Bring the card\\nand the form",
		"DTSTART;VALUE=DATE:20261221", "DTEND;VALUE=DATE:20261224", "PRODID:" + prodid,
	} {
		if !strings.Contains(home, want) {
			t.Errorf("Home lacks %q", want)
		}
	}
	for _, want := range []string{
		"BEGIN:VTIMEZONE\r\nTZID:America/New_York", "RRULE:FREQ=MONTHLY;UNTIL=20270615T140000Z;BYMONTHDAY=15",
		"ORGANIZER:mailto:boss@example.com", `ATTENDEE;CN="Ana Souza";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:ana@example.com`,
		`ATTENDEE;CN="Bo Chen";ROLE=OPT-PARTICIPANT;PARTSTAT=TENTATIVE:mailto:bo@example.com`, "PARTSTAT=DECLINED:mailto:chris@example.com",
	} {
		if !strings.Contains(work, want) {
			t.Errorf("Work lacks %q", want)
		}
	}
	if bd := all["Birthdays"]; !strings.Contains(bd, "DTSTART;VALUE=DATE:19610402\r\nDURATION:P1D\r\nRRULE:FREQ=YEARLY\r\n") {
		t.Errorf("Birthdays lacks a one-day yearly event on 1961-04-02:\n%s", bd)
	}
	if strings.Contains(home+work, "Android") {
		t.Error("an iPhone calendar names Android")
	}
	todos := 0
	for i, l := range d.Lists {
		body := unfold(rs.Lists[i].Data)
		if rs.Lists[i].Title != l.Title {
			t.Errorf("list %d is %q, want %q", i, rs.Lists[i].Title, l.Title)
		}
		for _, r := range l.Items {
			todos++
			if !strings.Contains(body, "UID:"+r.UID+"\r\n") || !strings.Contains(body, "SUMMARY:"+esc(r.Title)+"\r\n") {
				t.Errorf("%s: no VTODO %q", l.Title, r.Title)
			}
		}
	}
	if rs.Todos != todos || rs.Skipped != 0 {
		t.Errorf("%d to-dos, %d skipped; want %d, 0", rs.Todos, rs.Skipped, todos)
	}
	groc := unfold(rs.Lists[0].Data)
	for _, want := range []string{"DUE;VALUE=DATE:20261203", "PRIORITY:5", "STATUS:COMPLETED\r\nCOMPLETED:20261128T164210Z", "DESCRIPTION:free range\\;\\nsix"} {
		if !strings.Contains(groc, want) {
			t.Errorf("Groceries lacks %q", want)
		}
	}
}

// TestDeterministic: the same database renders to the same bytes, and
// so does a copy whose rows were written in another order.
func TestDeterministic(t *testing.T) {
	d := iosgen.DefaultCalendarData()
	cal, rem := generated(t, d)
	a, ar := renderBoth(t, cal, rem)
	b, br := renderBoth(t, cal, rem)
	// Rows reversed: the same rows, ROWIDs kept, stored in another order.
	cal2 := tamper(t, cal, "CREATE TABLE t AS SELECT ROWID AS r, * FROM Alarm", "DELETE FROM Alarm",
		"INSERT INTO Alarm (ROWID, trigger_date, trigger_interval, type, calendaritem_owner_id, UUID) SELECT r, trigger_date, trigger_interval, type, calendaritem_owner_id, UUID FROM t ORDER BY r DESC", "DROP TABLE t", "VACUUM")
	c, _ := renderBoth(t, cal2, rem)
	for i := range a.Calendars {
		if !bytes.Equal(a.Calendars[i].Data, b.Calendars[i].Data) || !bytes.Equal(a.Calendars[i].Data, c.Calendars[i].Data) {
			t.Errorf("calendar %s: bytes differ between renderings", a.Calendars[i].Name)
		}
	}
	for i := range ar.Lists {
		if !bytes.Equal(ar.Lists[i].Data, br.Lists[i].Data) {
			t.Errorf("list %s: bytes differ between renderings", ar.Lists[i].Name)
		}
	}
}

func unfold(b []byte) string { return strings.ReplaceAll(string(b), "\r\n ", "") }

func esc(s string) string { return escapeText(s) }
