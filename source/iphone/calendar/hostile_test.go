package calendar

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
)

// TestHostileRows: rows no iPhone writes are skipped and counted, or
// rendered harmlessly; nothing panics and the other events stay.
func TestHostileRows(t *testing.T) {
	cal, rem := generated(t, iosgen.DefaultCalendarData())
	want := len(iosgen.DefaultCalendarData().WantEvents())
	long := strings.Repeat("x", MaxText+1)
	for _, c := range []struct {
		name    string
		stmts   []string
		skipped int // at least
		events  int // at least
	}{
		{"start not a number", []string{`UPDATE CalendarItem SET start_date = 'soon' WHERE ROWID = 1`}, 1, want - 3},
		{"start NULL, blob, huge, NaN-like", []string{`UPDATE CalendarItem SET start_date = NULL WHERE ROWID = 1`,
			`UPDATE CalendarItem SET start_date = X'00FF' WHERE ROWID = 3`, `UPDATE CalendarItem SET start_date = 1e300 WHERE ROWID = 4`,
			`UPDATE CalendarItem SET start_date = -1e300 WHERE ROWID = 5`}, 4, 1},
		{"unknown calendar", []string{`UPDATE CalendarItem SET calendar_id = 99 WHERE ROWID = 4`}, 1, want - 1},
		{"self and chained exceptions", []string{`UPDATE CalendarItem SET orig_item_id = ROWID, orig_date = start_date WHERE ROWID = 1`,
			`UPDATE CalendarItem SET orig_item_id = 2, orig_date = 'x' WHERE ROWID = 4`}, 0, want},
		{"hostile recurrence", []string{`UPDATE Recurrence SET frequency = 99`, `INSERT INTO Recurrence (frequency, interval, count, end_date, specifier, owner_id) VALUES
			(2, -5, 9223372036854775807, 1e300, '` + strings.Repeat("D=0MO,+99XX,;", 500) + `', 4)`}, 0, want},
		{"hostile exception dates and alarms", []string{`INSERT INTO ExceptionDate (date, owner_id) VALUES ('x', 1), (1e300, 1), (NULL, 1)`,
			`INSERT INTO Alarm (trigger_interval, calendaritem_owner_id) VALUES (-9223372036854775808, 1), ('x', 1), (9223372036854775807, 1)`}, 0, want},
		{"hostile text", []string{`UPDATE CalendarItem SET summary = '` + long + `' WHERE ROWID = 1`,
			`UPDATE CalendarItem SET summary = X'FFFE0D0A3A3B', description = char(0, 10, 13, 27), start_tz = 'Nowhere/../../etc' WHERE ROWID = 4`,
			`UPDATE Participant SET email = 'a@b' || char(13, 10) || 'END:VCALENDAR'`}, 0, want},
		{"missing tables", []string{`DROP TABLE Recurrence`, `DROP TABLE Participant`, `DROP TABLE Location`, `DROP TABLE Calendar`}, 1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := tamper(t, cal, c.stmts...)
			res, err := Events(context.Background(), bytes.NewReader(db), int64(len(db)))
			if err != nil {
				t.Fatal(err)
			}
			if res.Skipped < c.skipped || res.Events < c.events {
				t.Errorf("%d skipped, %d events; want at least %d, %d", res.Skipped, res.Events, c.skipped, c.events)
			}
			for _, f := range res.Calendars {
				lns := strings.Split(string(f.Data), "\r\n")
				if lns[len(lns)-1] != "" || lns[len(lns)-2] != "END:VCALENDAR" {
					t.Errorf("%s does not end with END:VCALENDAR", f.Name)
				}
				for _, ln := range lns[:len(lns)-2] {
					if ln == "END:VCALENDAR" || strings.ContainsAny(ln, "\r\n") {
						t.Errorf("%s: a row's text broke the lines: %q", f.Name, ln)
					}
				}
			}
		})
	}
	for _, c := range []struct {
		name  string
		stmts []string
		min   int
	}{
		{"bad dates, unknown list, blob title", []string{`UPDATE ZREMCDREMINDER SET ZDUEDATE = 'x' WHERE Z_PK = 2`,
			`UPDATE ZREMCDREMINDER SET ZLIST = 77 WHERE Z_PK = 3`, `UPDATE ZREMCDREMINDER SET ZTITLE = X'00FF0A', ZCOMPLETIONDATE = 1e300 WHERE Z_PK = 4`}, 3},
		{"list table missing", []string{`DROP TABLE ZREMCDBASELIST`}, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := tamper(t, rem, c.stmts...)
			res, err := Reminders(context.Background(), bytes.NewReader(db), int64(len(db)))
			if err != nil {
				t.Fatal(err)
			}
			if res.Skipped < c.min {
				t.Errorf("%d skipped, want at least %d", res.Skipped, c.min)
			}
		})
	}
}

// TestNotADatabase: bytes that are not SQLite, or SQLite without the
// main table, are errors.
func TestNotADatabase(t *testing.T) {
	cal, rem := generated(t, iosgen.DefaultCalendarData())
	for name, db := range map[string][]byte{
		"empty": nil, "text": bytes.Repeat([]byte("not sqlite "), 400), "cut": cal[:len(cal)/3],
		"no CalendarItem": tamper(t, cal, `DROP TABLE CalendarItem`),
	} {
		if _, err := Events(context.Background(), bytes.NewReader(db), int64(len(db))); err == nil {
			t.Errorf("%s: Events gave no error", name)
		}
	}
	if _, err := Reminders(context.Background(), bytes.NewReader(cal), int64(len(cal))); err == nil || !strings.Contains(err.Error(), "ZREMCDREMINDER") {
		t.Errorf("Reminders of Calendar.sqlitedb: %v", err)
	}
	if _, err := Events(context.Background(), bytes.NewReader(rem), int64(len(rem))); err == nil {
		t.Error("Events of a Reminders store gave no error")
	}
}
