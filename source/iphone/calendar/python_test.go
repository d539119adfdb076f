package calendar

import (
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
)

// readBack prints each VEVENT and VTODO of the files as Python's
// icalendar reads them; DATE values are their UTC midnight.
const readBack = `import sys, json, icalendar, datetime
def ts(v):
    if v is None: return 0
    d = v.dt
    if not isinstance(d, datetime.datetime):
        return int(datetime.datetime(d.year, d.month, d.day, tzinfo=datetime.timezone.utc).timestamp())
    return int(d.timestamp())
out = {"events": [], "todos": []}
for f in sys.argv[1:]:
    cal = icalendar.Calendar.from_ical(open(f, 'rb').read())
    for ev in cal.walk('VEVENT'):
        st = ev.decoded('DTSTART')
        rr = ev.get('RRULE')
        out["events"].append({"uid": str(ev.get('UID')), "title": str(ev.get('SUMMARY', '')), "start": ts(ev.get('DTSTART')),
            "allday": not isinstance(st, datetime.datetime), "rrule": rr.to_ical().decode() if rr else "",
            "recurrence": ts(ev.get('RECURRENCE-ID'))})
    for td in cal.walk('VTODO'):
        due = td.get('DUE')
        out["todos"].append({"uid": str(td.get('UID')), "title": str(td.get('SUMMARY', '')), "due": ts(due),
            "dueallday": due is not None and not isinstance(due.dt, datetime.datetime),
            "completed": ts(td.get('COMPLETED')), "status": str(td.get('STATUS', ''))})
print(json.dumps(out))`

type pyEvent struct {
	UID, Title string
	Start      int64
	Allday     bool
	Rrule      string
	Recurrence int64
}

type pyTodo struct {
	UID, Title     string
	Due, Completed int64
	Dueallday      bool
	Status         string
}

// TestPythonReadsBack: icalendar reads every generated event with its
// title, start, all-day flag, RRULE and RECURRENCE-ID, and every to-do
// with its due and completion dates.
func TestPythonReadsBack(t *testing.T) {
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import icalendar").Run(); err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("python3-icalendar is not installed (LIFEBOAT_REQUIRE_INTEGRATION=1)")
		}
		t.Skip("python3-icalendar is not installed")
	}
	d := iosgen.DefaultCalendarData()
	cal, rem := generated(t, d)
	ev, rs := renderBoth(t, cal, rem)
	files := writeFiles(t, append(ev.Calendars, rs.Lists...))
	b, err := exec.Command(python, append([]string{"-c", readBack}, files...)...).Output()
	if err != nil {
		t.Fatalf("icalendar: %v\n%s", err, b)
	}
	var got struct {
		Events []pyEvent
		Todos  []pyTodo
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	want := d.WantEvents()
	if len(got.Events) != len(want) {
		t.Errorf("icalendar read %d events, want %d", len(got.Events), len(want))
	}
	for _, w := range want {
		var rid int64
		if !w.RecurrenceID.IsZero() {
			rid = w.RecurrenceID.Unix()
		}
		if !slices.ContainsFunc(got.Events, func(g pyEvent) bool {
			return g.UID == w.UID && g.Title == w.Title && g.Start == w.Start.Unix() && g.Allday == w.AllDay &&
				sameRule(g.Rrule, w.RRule) && g.Recurrence == rid
		}) {
			t.Errorf("event %q at %v (all day %v, rrule %q, recurrence-id %v) not read back: %+v", w.Title, w.Start, w.AllDay, w.RRule, w.RecurrenceID, got.Events)
		}
	}
	n := 0
	for _, l := range d.Lists {
		for _, r := range l.Items {
			n++
			var due, done int64
			if !r.Due.IsZero() {
				due = r.Due.Unix()
			}
			status := "NEEDS-ACTION"
			if !r.Completed.IsZero() {
				done, status = r.Completed.Unix(), "COMPLETED"
			}
			if !slices.ContainsFunc(got.Todos, func(g pyTodo) bool {
				return g.UID == r.UID && g.Title == r.Title && g.Due == due && g.Dueallday == (r.DueAllDay && due != 0) && g.Completed == done && g.Status == status
			}) {
				t.Errorf("to-do %q (due %v, completed %v) not read back: %+v", r.Title, r.Due, r.Completed, got.Todos)
			}
		}
	}
	if len(got.Todos) != n {
		t.Errorf("icalendar read %d to-dos, want %d", len(got.Todos), n)
	}
}

// sameRule compares RRULEs as sets of parts (icalendar reorders them).
func sameRule(a, b string) bool {
	pa, pb := strings.Split(a, ";"), strings.Split(b, ";")
	slices.Sort(pa)
	slices.Sort(pb)
	return slices.Equal(pa, pb) || (a == "" && b == "")
}
