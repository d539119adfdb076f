package calendar

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// oldSchema is a Calendar.sqlitedb as iOS 12 and before wrote it, cut to
// fewer columns: no unique_identifier, no specifier, no end_tz, no Alarm,
// Participant or Identity tables, reminders as CalendarItems of entity
// type 3.
const oldSchema = `
CREATE TABLE Calendar (ROWID INTEGER PRIMARY KEY, title TEXT, UUID TEXT);
CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY, summary TEXT, description TEXT, start_date REAL, start_tz TEXT, end_date REAL,
  all_day INTEGER, calendar_id INTEGER, orig_item_id INTEGER, orig_date REAL, entity_type INTEGER, due_date REAL, completion_date REAL, priority INTEGER, UUID TEXT);
CREATE TABLE Recurrence (ROWID INTEGER PRIMARY KEY, frequency INTEGER, interval INTEGER, count INTEGER, end_date REAL, owner_id INTEGER);
INSERT INTO Calendar VALUES (1, 'Calendar', 'C-1'), (2, 'Reminders', 'C-2');
INSERT INTO CalendarItem VALUES (1, 'Old weekly', NULL, 536486400, 'Europe/London', 536490000, 0, 1, 0, NULL, 2, NULL, NULL, 0, 'E-1');
INSERT INTO CalendarItem VALUES (2, 'No UUID', 'x', 536544000, '_float', 536630399, 1, 1, NULL, NULL, 2, NULL, NULL, 0, NULL);
INSERT INTO CalendarItem VALUES (3, 'Buy stamps', NULL, NULL, NULL, NULL, 0, 2, NULL, NULL, 3, 536572800, NULL, 1, 'T-1');
INSERT INTO CalendarItem VALUES (4, 'Call bank', NULL, NULL, NULL, NULL, 0, 2, NULL, NULL, 3, NULL, 536600000, 0, 'T-2');
INSERT INTO Recurrence VALUES (1, 2, 2, 0, 545126400, 1);
`

func sqliteBytes(t *testing.T, schema string) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "db")
	db, err := sql.Open("sqlite", "file:"+p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(schema); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOldSchema: a database with fewer columns and tables still renders
// its events, and its reminders as a list of VTODOs; an item with no UUID
// gets a derived UID that is the same each time.
func TestOldSchema(t *testing.T) {
	db := sqliteBytes(t, oldSchema)
	res, err := Events(context.Background(), bytes.NewReader(db), int64(len(db)))
	if err != nil {
		t.Fatal(err)
	}
	if res.Events != 2 || res.Todos != 2 || res.Skipped != 0 || len(res.Lists) != 1 || res.Lists[0].Title != "Reminders" {
		t.Fatalf("%d events, %d to-dos, %d skipped, %d lists; want 2, 2, 0, 1 (Reminders)", res.Events, res.Todos, res.Skipped, len(res.Lists))
	}
	var ev string
	for _, f := range res.Calendars {
		ev += unfold(f.Data)
	}
	for _, want := range []string{"UID:E-1\r\n", "DTSTART;TZID=Europe/London:20180101T080000", "RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20180411T080000Z",
		"SUMMARY:No UUID\r\n", "DTSTART;VALUE=DATE:20180102\r\nDTEND;VALUE=DATE:20180103"} {
		if !strings.Contains(ev, want) {
			t.Errorf("events lack %q:\n%s", want, ev)
		}
	}
	todo := unfold(res.Lists[0].Data)
	for _, want := range []string{"UID:T-1\r\n", "SUMMARY:Buy stamps", "DUE:20180102T080000Z", "PRIORITY:1", "UID:T-2\r\nDTSTAMP:20180102T153320Z\r\nSUMMARY:Call bank\r\nSTATUS:COMPLETED\r\nCOMPLETED:20180102T153320Z"} {
		if !strings.Contains(todo, want) {
			t.Errorf("to-dos lack %q:\n%s", want, todo)
		}
	}
	again, _ := Events(context.Background(), bytes.NewReader(db), int64(len(db)))
	if !bytes.Equal(again.Calendars[0].Data, res.Calendars[0].Data) {
		t.Error("derived UIDs differ between renderings")
	}
}
