package calendar

import (
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// expand has Python's vobject expand the first instances of every
// recurring VEVENT, through the file's own VTIMEZONE (vobject builds its
// zones from it): SUMMARY -> instants, milliseconds or "D:YYYYMMDD".
const expand = `
import json, sys, datetime, itertools, vobject
out = {}
for path in sys.argv[1:]:
    cal = vobject.readOne(open(path, encoding="utf-8").read())
    for ev in cal.vevent_list if hasattr(cal, "vevent_list") else []:
        if not hasattr(ev, "rrule") and not hasattr(ev, "rdate"):
            continue
        allday = not isinstance(ev.dtstart.value, datetime.datetime)
        got = []
        for d in itertools.islice(ev.getrruleset(), 12):
            got.append("D:" + d.strftime("%Y%m%d") if allday else str(int(d.timestamp() * 1000)))
        out[ev.summary.value] = got
print(json.dumps(out))
`

func TestVobjectExpands(t *testing.T) {
	if exec.Command("/usr/bin/python3", "-c", "import vobject").Run() != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("Python vobject (Debian python3-vobject) unavailable with LIFEBOAT_REQUIRE_INTEGRATION=1")
		}
		t.Skip("Python vobject (Debian python3-vobject) unavailable; skipping")
	}
	out := runPython(t, "vobject", expand, fixture())
	var got map[string][]string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	var weekly []string // Mondays 10:00 in Berlin, ten of them, less the three excluded
	for i := range 10 {
		d := time.Date(2025, 1, 6+7*i, 10, 0, 0, 0, berlin)
		if day := d.Day(); d.Month() == 1 && (day == 13 || day == 27) || d.Month() == 2 && day == 10 {
			continue
		}
		weekly = append(weekly, strconv.FormatInt(d.UnixMilli(), 10))
	}
	newYork, _ := time.LoadLocation("America/New_York")
	// The RDATEs at 09:00 in New York, EST then EDT (from 9 March). vobject leaves DTSTART out of a set
	// that has RDATEs and no RRULE (RFC 5545 counts it; icalendar's check
	// above reads DTSTART itself).
	var class []string
	for _, day := range []int{1, 15} {
		class = append(class, strconv.FormatInt(time.Date(2025, 3, day, 9, 0, 0, 0, newYork).UnixMilli(), 10))
	}
	want := map[string]string{
		"Weekly 1:1 — 週報": strings.Join(weekly, " "),
		"Рождество":       "D:20251224 D:20271224 D:20291224 D:20301224 D:20311224 D:20321224 D:20331224 D:20341224 D:20351224 D:20361224 D:20371224 D:20381224",
		"Class":           strings.Join(class, " "),
	}
	for s, w := range want {
		if g := strings.Join(got[s], " "); g != w {
			t.Errorf("%s: vobject expands\n%s\nwant\n%s", s, g, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("vobject found %d recurring events, want %d", len(got), len(want))
	}
}
