package calendar

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/pim"
)

// readBack is what Python's icalendar reads from every VEVENT of the files
// named on its command line; a date is "D:YYYYMMDD", a date-time its
// milliseconds since the epoch.
const readBack = `
import json, sys, datetime, icalendar
from zoneinfo import ZoneInfo
def val(d):
    if isinstance(d, datetime.datetime):
        if d.tzinfo is None:
            return "floating:" + d.isoformat()
        return str(int(d.timestamp() * 1000))
    return "D:" + d.strftime("%Y%m%d")
out, zones = [], []
for path in sys.argv[1:]:
    cal = icalendar.Calendar.from_ical(open(path, "rb").read())
    for vtz in cal.walk("VTIMEZONE"):
        mine, ref = vtz.to_tz(), ZoneInfo(str(vtz["TZID"]))
        starts = [c.decoded("DTSTART") for c in vtz.subcomponents]
        t = datetime.datetime(min(starts).year, 1, 1, 12, tzinfo=datetime.timezone.utc)
        checked = bad = 0
        while t.year <= max(starts).year:
            local = t.astimezone(ref)
            try:
                off = mine.utcoffset(local.replace(tzinfo=None), is_dst=None)
            except Exception:
                off = None  # a local time in a transition's gap or overlap
            if off is not None:
                checked += 1
                bad += off != local.utcoffset()
            t += datetime.timedelta(hours=6)
        zones.append({"tzid": str(vtz["TZID"]), "checked": checked, "bad": bad})
    for ev in cal.walk("VEVENT"):
        ex = ev.get("EXDATE")
        if ex is not None and not isinstance(ex, list):
            ex = [ex]
        rec = ev.get("RECURRENCE-ID")
        out.append({
            "file": path.rsplit("/", 1)[-1],
            "uid": str(ev.get("UID")),
            "summary": str(ev.get("SUMMARY", "")),
            "dtstart": val(ev.decoded("DTSTART")),
            "rrule": ev["RRULE"].to_ical().decode() if "RRULE" in ev else "",
            "exdate": sorted(val(d.dt) for e in (ex or []) for d in e.dts),
            "recurrence_id": val(rec.dt) if rec is not None else "",
        })
print(json.dumps({"events": out, "zones": zones}))
`

type pyEvent struct {
	File, UID, Summary, Dtstart, Rrule string
	Exdate                             []string
	RecurrenceID                       string `json:"recurrence_id"`
}

func needPython(t *testing.T) {
	t.Helper()
	if exec.Command("/usr/bin/python3", "-c", "import icalendar").Run() != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatal("Python icalendar (Debian python3-icalendar) unavailable with LIFEBOAT_REQUIRE_INTEGRATION=1")
		}
		t.Skip("Python icalendar (Debian python3-icalendar) unavailable; skipping")
	}
}

// wantValue is a provider time as the reader should see it.
func wantValue(row map[string]string, col string, allDay bool) string {
	if !allDay {
		return row[col]
	}
	n, _ := strconv.ParseInt(row[col], 10, 64)
	return "D:" + time.UnixMilli(n).UTC().Format("20060102")
}

// wantExdates reads the fixture's exdate column (UTC values only) and the
// instants of cancelled exceptions.
func wantExdates(tb Tables, ev map[string]string, allDay bool) []string {
	out := []string{}
	for _, v := range strings.Split(ev["exdate"], ",") {
		if v == "" {
			continue
		}
		tm, err := time.Parse("20060102T150405Z", v)
		if err != nil {
			panic(v)
		}
		out = append(out, wantValue(map[string]string{"t": strconv.FormatInt(tm.UnixMilli(), 10)}, "t", allDay))
	}
	for _, x := range tb.Events {
		if x["original_id"] == ev["_id"] && x["eventStatus"] == "2" {
			out = append(out, wantValue(x, "originalInstanceTime", allDay))
		}
	}
	sort.Strings(out)
	return out
}

func rruleParts(s string) string {
	p := strings.Split(s, ";")
	sort.Strings(p)
	return strings.Join(p, ";")
}

func TestPythonReadsBack(t *testing.T) {
	needPython(t)
	tb := fixture()
	out := runPython(t, "icalendar", readBack, tb)
	var res struct {
		Events []pyEvent
		Zones  []struct {
			TZID         string
			Checked, Bad int
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	got := res.Events
	if len(res.Zones) != 2 {
		t.Errorf("icalendar read %d VTIMEZONEs, want 2", len(res.Zones))
	}
	for _, z := range res.Zones {
		if z.Checked < 2000 || z.Bad != 0 {
			t.Errorf("VTIMEZONE %s: %d of %d instants have another offset than Python's zoneinfo", z.TZID, z.Bad, z.Checked)
		}
	}
	bySummary := map[string]pyEvent{}
	for _, g := range got {
		bySummary[g.Summary+"|"+g.RecurrenceID] = g
	}
	byID := map[string]map[string]string{}
	for _, ev := range tb.Events {
		byID[ev["_id"]] = ev
	}
	want := 0
	for _, ev := range tb.Events {
		if ev["calendar_id"] == "99" || ev["eventStatus"] == "2" {
			continue // no calendar; cancelled exception (an EXDATE)
		}
		want++
		allDay := ev["allDay"] == "1"
		recID := ""
		if m := byID[ev["original_id"]]; m != nil {
			recID = wantValue(ev, "originalInstanceTime", m["allDay"] == "1")
		}
		g, ok := bySummary[ev["title"]+"|"+recID]
		if !ok {
			t.Errorf("event %s (%q, %q) not read back", ev["_id"], ev["title"], recID)
			continue
		}
		if d := wantValue(ev, "dtstart", allDay); g.Dtstart != d {
			t.Errorf("event %s: DTSTART %s, want %s", ev["_id"], g.Dtstart, d)
		}
		if rruleParts(g.Rrule) != rruleParts(ev["rrule"]) {
			t.Errorf("event %s: RRULE %q, want %q", ev["_id"], g.Rrule, ev["rrule"])
		}
		if w := wantExdates(tb, ev, allDay); strings.Join(g.Exdate, " ") != strings.Join(w, " ") {
			t.Errorf("event %s: EXDATE %q, want %q", ev["_id"], g.Exdate, w)
		}
		if recID != "" {
			if master := bySummary[byID[ev["original_id"]]["title"]+"|"]; master.UID != g.UID {
				t.Errorf("event %s: UID %s, master's %s", ev["_id"], g.UID, master.UID)
			}
		}
	}
	if len(got) != want {
		t.Errorf("icalendar read %d events, want %d", len(got), want)
	}
}

// TestPimCounts checks that the project's own reader finds every event
// well-formed and counts a series with its exceptions once.
func TestPimCounts(t *testing.T) {
	files, err := Render(fixture())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"1": 3, "2": 3, "3": 0}
	for _, f := range files {
		if k := pim.Classify(f.Name, f.Data); k != pim.KindICal {
			t.Fatalf("%s: classified %v", f.Name, k)
		}
		keys := map[string]bool{}
		for _, pc := range pim.Split(pim.KindICal, f.Data) {
			if pc.Kind == pim.RecNone {
				continue
			}
			rec, err := pim.ParseRecord(pc.Kind, f.Data[pc.Off:pc.Off+pc.Len])
			if err != nil {
				t.Errorf("%s: %v", f.Name, err)
			}
			if pc.Kind == pim.RecEvent {
				keys[rec.Key] = true
			}
		}
		if len(keys) != want[f.CalendarID] {
			t.Errorf("%s: %d events, want %d", f.Name, len(keys), want[f.CalendarID])
		}
	}
}

// runPython renders tb, writes the files to a temporary folder and runs
// script on them with Debian's python3; it returns the script's stdout.
func runPython(t *testing.T, what, script string, tb Tables) []byte {
	t.Helper()
	files, err := Render(tb)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	args := []string{"-c", script}
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		if err := os.WriteFile(p, f.Data, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	out, err := exec.Command("/usr/bin/python3", args...).Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", what, err, out)
	}
	return out
}
