package iosgen

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ileappQueries asks the generated databases what iLEAPP's
// calendarAll.py and a ZREMCDREMINDER reader ask: the same tables,
// columns and joins, with Python's own sqlite3.
const ileappQueries = `import sys, json, sqlite3
c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True).cursor()
out = {}
out["events"] = c.execute('''SELECT CalendarItem.ROWID, datetime('2001-01-01', CalendarItem.start_date || ' seconds'),
  datetime('2001-01-01', CalendarItem.end_date || ' seconds'), CalendarItem.start_tz, Calendar.title, Calendar.color, Store.name,
  CalendarItem.summary, Location.title, Location.address, Location.latitude, Location.longitude, Identity.display_name,
  Participant.email, CalendarItem.has_attendees, CalendarItem.conference_url_detected,
  (SELECT group_concat(Attachment.filename) FROM Attachment WHERE CalendarItem.ROWID = Attachment.owner_id),
  CalendarItem.description, CalendarItem.creation_date, CalendarItem.last_modified
  FROM CalendarItem LEFT JOIN Location ON CalendarItem.location_id = Location.ROWID
  LEFT JOIN Calendar ON CalendarItem.calendar_id = Calendar.ROWID LEFT JOIN Store ON Calendar.store_id = Store.ROWID
  LEFT JOIN Participant ON CalendarItem.organizer_id = Participant.ROWID LEFT JOIN Identity ON Participant.identity_id = Identity.ROWID
  WHERE CalendarItem.calendar_scale IS NOT 'gregorian' ''').fetchall()
out["invitees"] = c.execute('''SELECT Participant.owner_id, Identity.display_name, Participant.email, Participant.status
  FROM Participant LEFT JOIN Identity ON Participant.identity_id = Identity.ROWID WHERE Participant.entity_type = 7''').fetchall()
out["calendars"] = c.execute('''SELECT Calendar.ROWID, Calendar.title, Calendar.color, Store.name, Calendar.self_identity_email,
  Calendar.owner_identity_email, Identity.display_name, Calendar.sharing_status, Calendar.notes FROM Calendar
  LEFT JOIN Store ON Calendar.store_id = Store.ROWID LEFT JOIN Identity ON Calendar.owner_identity_id = Identity.ROWID''').fetchall()
out["sharees"] = c.execute('''SELECT Sharee.owner_id, Identity.address, Sharee.access_level FROM Sharee
  LEFT JOIN Identity ON Sharee.identity_id = Identity.ROWID''').fetchall()
r = sqlite3.connect('file:' + sys.argv[2] + '?mode=ro', uri=True).cursor()
out["reminders"] = r.execute('''SELECT datetime(ZREMCDREMINDER.ZDUEDATE + 978307200, 'unixepoch'), ZREMCDREMINDER.ZTITLE, ZREMCDBASELIST.ZNAME,
  ZREMCDREMINDER.ZCOMPLETED, ZREMCDREMINDER.ZNOTES FROM ZREMCDREMINDER LEFT JOIN ZREMCDBASELIST ON ZREMCDREMINDER.ZLIST = ZREMCDBASELIST.Z_PK
  WHERE ZREMCDREMINDER.ZMARKEDFORDELETION = 0''').fetchall()
print(json.dumps(out))`

// TestCalendarSchema: Python's sqlite3 answers iLEAPP's queries on the
// generated Calendar.sqlitedb and Reminders store with a row per event,
// attendee, calendar and reminder, and the events' start times are the
// generator's.
func TestCalendarSchema(t *testing.T) {
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import sqlite3").Run(); err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("%s with sqlite3 unavailable with LIFEBOAT_REQUIRE_INTEGRATION=1: %v", py, err)
		}
		t.Skipf("%s with sqlite3 unavailable: %v", py, err)
	}
	d := DefaultCalendarData()
	files, err := CalendarFiles(d)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, filepath.Base(f.RelativePath))
		if err := os.WriteFile(p, f.Data, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := exec.Command(py, append([]string{"-c", ileappQueries}, paths...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	var got map[string][][]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	var atts, todos int
	starts := map[string]bool{}
	for _, w := range d.WantEvents() {
		starts[w.Title+" "+w.Start.UTC().Format("2006-01-02 15:04:05")] = true
	}
	for _, c := range d.Calendars {
		for _, e := range c.Events {
			atts += len(e.Attendees)
		}
	}
	for _, l := range d.Lists {
		todos += len(l.Items)
	}
	if len(got["events"]) != len(starts) || len(got["invitees"]) != atts || len(got["calendars"]) != len(d.Calendars) || len(got["reminders"]) != todos {
		t.Errorf("%d events, %d invitees, %d calendars, %d reminders; want %d, %d, %d, %d", len(got["events"]), len(got["invitees"]),
			len(got["calendars"]), len(got["reminders"]), len(starts), atts, len(d.Calendars), todos)
	}
	for _, row := range got["events"] {
		if k, _ := row[7].(string); !starts[k+" "+row[1].(string)] {
			t.Errorf("event %q starting %v is not the generator's", row[7], row[1])
		}
	}
}
