package calendar

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// startsBack prints, for each VEVENT of the file, the instant Python's
// icalendar reads from its DTSTART (the file's own VTIMEZONE for a TZID
// it does not know): ms since the epoch, "D:YYYYMMDD" for a date.
// Cancelled instances are left out, as FromICalendar folds them into
// their series' exdate.
const startsBack = `
import sys, json, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
out = []
for ev in cal.walk("VEVENT"):
    if str(ev.get("STATUS", "")).upper() == "CANCELLED":
        continue  # an exdate of its series
    d = ev.decoded("DTSTART")
    if isinstance(d, datetime.datetime):
        v = str(int(d.timestamp() * 1000)) if d.tzinfo else "floating"
    else:
        v = "D:" + d.strftime("%Y%m%d")
    out.append(v)
print(json.dumps(out))
`

// TestFromICalendarPythonStarts: the instants FromICalendar reads from
// foreignICS (freeassociation, Windows and offset-only VTIMEZONEs) are
// those Python's icalendar reads.
func TestFromICalendarPythonStarts(t *testing.T) {
	needPython(t)
	p := filepath.Join(t.TempDir(), "foreign.ics")
	if err := os.WriteFile(p, []byte(foreignICS), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("/usr/bin/python3", "-c", startsBack, p).Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	var py []string
	if err := json.Unmarshal(out, &py); err != nil {
		t.Fatal(err)
	}
	evs, _, _, _ := FromICalendar([]byte(foreignICS))
	var mine []string
	for _, ev := range evs {
		for _, e := range append([]Event{ev}, ev.Exceptions...) {
			v := e.Values["dtstart"]
			if e.Values["allDay"] == "1" {
				ms, _ := millis(e.Values, "dtstart")
				v = "D:" + timing{}.value(ms)[:8]
			}
			mine = append(mine, v)
		}
	}
	// Python lists VEVENTs in file order: the series, its exception, then the rest.
	if len(py) != len(mine) {
		t.Fatalf("python read %d starts, FromICalendar %d", len(py), len(mine))
	}
	for i := range py {
		if py[i] != mine[i] {
			t.Errorf("VEVENT %d: python %s, FromICalendar %s", i, py[i], mine[i])
		}
	}
}
