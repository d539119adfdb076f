package phonedata

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/source/android/calendar"
	"github.com/lifeboat-backup/lifeboat/source/android/contacts"
)

// The readers the end-to-end tests use: Debian's python3-vobject and
// python3-icalendar, installed into Debian's own python3.
const python = "/usr/bin/python3"

const readCards = `import sys, json, vobject
out = []
for p in sys.argv[1:]:
    c = vobject.readOne(open(p, encoding='utf-8', newline='').read())
    out.append({"FN": c.fn.value,
        "Tel": [x.value for x in c.contents.get('tel', [])],
        "Email": [x.value for x in c.contents.get('email', [])],
        "Bday": c.bday.value if 'bday' in c.contents else ""})
print(json.dumps(out))
`

const readCalendars = `import sys, json, datetime, icalendar
out = []
for p in sys.argv[1:]:
    cal = icalendar.Calendar.from_ical(open(p, 'rb').read())
    for ev in cal.walk('VEVENT'):
        st = ev.decoded('DTSTART')
        out.append({"File": p, "Title": str(ev.get('SUMMARY', '')),
            "Start": st.isoformat(), "AllDay": not isinstance(st, datetime.datetime),
            "RRule": ev['RRULE'].to_ical().decode() if 'RRULE' in ev else "",
            "Instance": 'RECURRENCE-ID' in ev})
print(json.dumps(out))
`

func runPython(t *testing.T, script string, files map[string][]byte, out any) {
	t.Helper()
	if _, err := os.Stat(python); err != nil {
		unavailable(t, "Debian's python3")
	}
	dir := t.TempDir()
	args := []string{"-c", script}
	for name, data := range files {
		p := filepath.Join(dir, strings.ReplaceAll(name, "/", "_"))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	b, err := exec.Command(python, args...).Output()
	if ee, ok := err.(*exec.ExitError); ok && strings.Contains(string(ee.Stderr), "ModuleNotFoundError") {
		unavailable(t, "python3-vobject and python3-icalendar")
	}
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatal(err)
	}
}

func unavailable(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
		t.Fatalf("%s unavailable with LIFEBOAT_REQUIRE_INTEGRATION=1", what)
	}
	t.Skipf("%s unavailable; skipping", what)
}

// TestPythonReadsWant: what vobject and icalendar read from the rendered
// fixture is Expected(), so the end-to-end tests may compare with it.
func TestPythonReadsWant(t *testing.T) {
	pr := Provider()
	cards, err := contacts.Render(rows(pr[RawContactsURI]), rows(pr[DataURI]), contacts.GroupTitles(rows(pr[GroupsURI])))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, c := range cards {
		files[c.Path] = c.Data
	}
	var got []struct {
		FN, Bday   string
		Tel, Email []string
	}
	runPython(t, readCards, files, &got)
	want := Expected()
	if len(got) != len(want.Contacts) {
		t.Fatalf("vobject read %d cards, want %d", len(got), len(want.Contacts))
	}
	for _, w := range want.Contacts {
		i := slices.IndexFunc(got, func(g struct {
			FN, Bday   string
			Tel, Email []string
		}) bool {
			return g.FN == w.Name
		})
		if i < 0 {
			t.Errorf("contact %d: no card with FN %q", w.RawID, w.Name)
			continue
		}
		g := got[i]
		if !slices.Equal(g.Tel, w.Phones) || !slices.Equal(g.Email, w.Emails) || g.Bday != w.Birthday {
			t.Errorf("contact %d: vobject read %+v, want phones %q, emails %q, birthday %q", w.RawID, g, w.Phones, w.Emails, w.Birthday)
		}
	}

	ics, err := calendar.Render(calendar.Tables{Calendars: maps(rows(pr[CalendarsURI])), Events: maps(rows(pr[EventsURI])),
		Reminders: maps(rows(pr[RemindersURI])), Attendees: maps(rows(pr[AttendeesURI]))})
	if err != nil {
		t.Fatal(err)
	}
	files = map[string][]byte{}
	for _, f := range ics {
		files["cal"+f.CalendarID+".ics"] = f.Data
	}
	var evs []struct {
		File, Title, Start, RRule string
		AllDay, Instance          bool
	}
	runPython(t, readCalendars, files, &evs)
	live := 0
	for _, w := range want.Events {
		if w.Cancelled {
			continue
		}
		live++
		found := false
		for _, g := range evs {
			if g.Title != w.Title || !strings.HasSuffix(g.File, fmt.Sprintf("/cal%d.ics", w.CalendarID)) {
				continue
			}
			found = true
			var start time.Time
			if g.AllDay {
				start, err = time.Parse(time.DateOnly, g.Start)
			} else {
				start, err = time.Parse(time.RFC3339, g.Start)
			}
			if err != nil || !start.Equal(w.Start) || g.AllDay != w.AllDay || !sameRule(g.RRule, w.RRule) || g.Instance != (w.OriginalID != 0) {
				t.Errorf("event %d: icalendar read %+v (%v), want start %v, all-day %v, rrule %q, instance %v",
					w.ID, g, err, w.Start, w.AllDay, w.RRule, w.OriginalID != 0)
			}
		}
		if !found {
			t.Errorf("event %d %q: not in calendar %d", w.ID, w.Title, w.CalendarID)
		}
	}
	if len(evs) != live {
		t.Errorf("icalendar read %d VEVENTs, want %d", len(evs), live)
	}
}

// sameRule compares RRULEs part by part: icalendar writes them in its own
// order.
func sameRule(a, b string) bool {
	pa, pb := strings.Split(a, ";"), strings.Split(b, ";")
	slices.Sort(pa)
	slices.Sort(pb)
	return slices.Equal(pa, pb)
}
