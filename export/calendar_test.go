package export_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/export"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
)

const berlin = "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"

func resource(uid, summary, tz string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + tz +
		"BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20260301T090000\r\nSUMMARY:" + summary + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

// TestCalDAVCalendarIsOneFile: a CalDAV snapshot keeps each event as a
// resource file of its calendar's folder; the kit has one .ics per
// calendar (a phone imports files one at a time), named after it, each
// time zone once. An .ics in a plain folder is still a calendar of its own.
func TestCalDAVCalendarIsOneFile(t *testing.T) {
	src := t.TempDir()
	write := func(rel, data string) {
		os.MkdirAll(filepath.Join(src, filepath.Dir(rel)), 0o700)
		if err := os.WriteFile(filepath.Join(src, rel), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("work/lifeboat-collection.json", `{"href":"/me/work/","type":"calendar","displayname":"Work, Home; etc","resources":{}}`)
	write("work/a.ics", resource("a", "Standup", berlin))
	write("work/b.ics", resource("b", "Review", berlin))
	write("work/c.ics", resource("c", "Retro", ""))
	write("books/lifeboat-collection.json", `{"href":"/me/books/","type":"addressbook","displayname":"","resources":{}}`)
	write("books/x.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nN:;Ann;;;\r\nEND:VCARD\r\n")
	write("old/holidays.ics", resource("h1", "Holiday", ""))
	write("old/birthdays.ics", resource("h2", "Birthday", ""))

	e := testrepo.New(t)
	res := e.Backup(t, src)
	out := filepath.Join(t.TempDir(), "kit")
	got, err := export.Run(context.Background(), e.Open(t, repo.AccessRead), res.Snapshot,
		export.Options{Target: out, Contacts: true, Calendars: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Calendars != 3 || got.Events != 5 || got.Contacts != 1 {
		t.Errorf("%d calendars, %d events, %d contacts; want 3, 5, 1", got.Calendars, got.Events, got.Contacts)
	}
	files, _ := filepath.Glob(filepath.Join(out, "calendars", "*"))
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	if strings.Join(names, " ") != "Work, Home; etc.ics birthdays.ics holidays.ics" {
		t.Fatalf("calendars: %q", names)
	}
	b, _ := os.ReadFile(files[0])
	cal := string(b)
	for what, want := range map[string]int{"BEGIN:VCALENDAR": 1, "END:VCALENDAR": 1, "BEGIN:VEVENT": 3, "BEGIN:VTIMEZONE": 1,
		`X-WR-CALNAME:Work\, Home\; etc` + "\r\n": 1, "SUMMARY:Standup\r\n": 1, "SUMMARY:Retro\r\n": 1} {
		if n := strings.Count(cal, what); n != want {
			t.Errorf("%q %d times, want %d:\n%s", what, n, want, cal)
		}
	}
	if !strings.HasSuffix(cal, "END:VEVENT\r\nEND:VCALENDAR\r\n") {
		t.Errorf("the calendar does not end with its last event:\n%s", cal)
	}
	_, events := keys(t, map[string][]byte{"w.ics": b})
	if len(events) != 3 {
		t.Errorf("parsed %d events from the merged calendar: %v", len(events), events)
	}
}
