package recur

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// dateutilScript expands each {start, rule} with python-dateutil's rrule
// (naive datetimes, the first 200 instances before 2031).
const dateutilScript = `
import json, sys, itertools, datetime, warnings, signal
warnings.simplefilter("ignore")
def slow(*a):
    raise TimeoutError("over 1 s")
signal.signal(signal.SIGALRM, slow)
from dateutil.rrule import rrulestr
out = []
for c in json.load(sys.stdin):
    st = datetime.datetime.strptime(c["start"], "%Y%m%dT%H%M%S")
    end = datetime.datetime(2031, 1, 1)
    rr = rrulestr(c["rule"], dtstart=st)
    if rr._until is None or rr._until > end:
        rr = rr.replace(until=end)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        out.append([d.strftime("%Y%m%dT%H%M%S") for d in itertools.islice(itertools.takewhile(lambda d: d < end, rr), 200)])
    except Exception as e:
        sys.stderr.write("%s %s: %s\n" % (c["start"], c["rule"], e))
        out.append(None)
    signal.setitimer(signal.ITIMER_REAL, 0)
json.dump(out, sys.stdout)
`

// dateutilRules are hand-picked rules; randomRules adds generated ones.
var dateutilRules = []string{
	"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
	"FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
	"FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
	"FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO,SU;WKST=SU",
	"FREQ=YEARLY;BYYEARDAY=-1,-366,60",
	"FREQ=MONTHLY;BYMONTHDAY=-1,-31,29",
	"FREQ=WEEKLY;INTERVAL=3;BYDAY=SA,SU,MO;WKST=TU;COUNT=40",
	"FREQ=DAILY;BYHOUR=8,20;BYMINUTE=15,45;COUNT=50",
	"FREQ=HOURLY;INTERVAL=7;BYHOUR=1,8,15,22;COUNT=60",
	"FREQ=MINUTELY;INTERVAL=97;BYHOUR=9,10;COUNT=30",
	"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
	"FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU,-2TH;BYMONTH=1,3,5,8",
	"FREQ=YEARLY;BYDAY=1MO,-1FR,26WE;COUNT=30",
	"FREQ=YEARLY;BYMONTH=1,7;BYDAY=3SU;BYSETPOS=1",
	"FREQ=MONTHLY;BYMONTHDAY=1,15,-1;BYSETPOS=2,-1;UNTIL=20281231T000000",
}

// randomRules makes n rules from a fixed seed, within what RFC 5545
// allows (no BYDAY ordinal outside MONTHLY and YEARLY, none with
// BYWEEKNO) and where dateutil follows it: a BYDAY is either all plain
// days or all with ordinals (dateutil wants a day to match both kinds,
// RFC 5545 either), and BYWEEKNO=53 is left out (dateutil puts the first
// days of 2011 in week 53 of 2010, which had 52), and WEEKLY has no
// BYSETPOS (dateutil's first week starts at DTSTART, not at WKST, so it
// picks different positions in it).
func randomRules(n int) []string {
	rng := rand.New(rand.NewPCG(5545, 1))
	freqs := []string{"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
	dnames := []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
	pick := func(k, lo, hi int, neg bool) string {
		var s []string
		for i := 0; i < k; i++ {
			v := lo + rng.IntN(hi-lo+1)
			if neg && rng.IntN(3) == 0 {
				v = -v
			}
			s = append(s, fmt.Sprint(v))
		}
		return strings.Join(s, ",")
	}
	var out []string
	for len(out) < n {
		f := freqs[rng.IntN(len(freqs))]
		parts := []string{"FREQ=" + f}
		if rng.IntN(2) == 0 {
			parts = append(parts, fmt.Sprintf("INTERVAL=%d", 1+rng.IntN(4)))
		}
		weekno := f == "YEARLY" && rng.IntN(5) == 0
		if weekno {
			parts = append(parts, "BYWEEKNO="+pick(1+rng.IntN(2), 1, 52, true))
		}
		if rng.IntN(2) == 0 {
			var ds []string
			ordinals := (f == "MONTHLY" || f == "YEARLY") && !weekno && rng.IntN(2) == 0
			for i := 0; i < 1+rng.IntN(3); i++ {
				d := dnames[rng.IntN(7)]
				if ordinals {
					n := 1 + rng.IntN(4)
					if rng.IntN(2) == 0 {
						n = -n
					}
					d = fmt.Sprint(n) + d
				}
				ds = append(ds, d)
			}
			parts = append(parts, "BYDAY="+strings.Join(ds, ","))
		}
		if f != "WEEKLY" && rng.IntN(3) == 0 {
			parts = append(parts, "BYMONTHDAY="+pick(1+rng.IntN(3), 1, 31, true))
		}
		if rng.IntN(3) == 0 {
			parts = append(parts, "BYMONTH="+pick(1+rng.IntN(3), 1, 12, false))
		}
		if f == "YEARLY" && rng.IntN(6) == 0 {
			parts = append(parts, "BYYEARDAY="+pick(1+rng.IntN(2), 1, 366, true))
		}
		if rng.IntN(8) == 0 {
			parts = append(parts, "BYHOUR="+pick(1+rng.IntN(2), 0, 23, false))
		}
		if f != "WEEKLY" && rng.IntN(4) == 0 {
			parts = append(parts, "BYSETPOS="+pick(1+rng.IntN(2), 1, 5, true))
		}
		if rng.IntN(3) == 0 {
			parts = append(parts, "WKST="+dnames[rng.IntN(7)])
		}
		if rng.IntN(2) == 0 {
			parts = append(parts, fmt.Sprintf("COUNT=%d", 1+rng.IntN(30)))
		}
		out = append(out, strings.Join(parts, ";"))
	}
	return out
}

// TestAgainstDateutil expands hand-picked and 300 generated rules from
// random starts (floating times) and compares every instance with
// python-dateutil's rrule. It needs /usr/bin/python3 with dateutil
// (Debian python3-dateutil): skipped without, failed under
// LIFEBOAT_REQUIRE_INTEGRATION=1.
func TestAgainstDateutil(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import dateutil.rrule").Run(); err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("python3-dateutil is needed: %v", err)
		}
		t.Skipf("no python3-dateutil: %v", err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	type tc struct {
		Start string `json:"start"`
		Rule  string `json:"rule"`
	}
	var cases []tc
	for _, r := range append(dateutilRules, randomRules(300)...) {
		st := time.Date(1995+rng.IntN(30), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(4)*15, 0, 0, time.UTC)
		cases = append(cases, tc{st.Format("20060102T150405"), r})
	}
	in, _ := json.Marshal(cases)
	cmd := exec.Command(py, "-c", dateutilScript)
	cmd.Stdin = strings.NewReader(string(in))
	began := time.Now()
	outb, err := cmd.Output()
	t.Logf("dateutil took %v", time.Since(began))
	if err != nil {
		t.Fatalf("dateutil: %v: %s", err, stderrOf(err))
	}
	var want [][]string
	if err := json.Unmarshal(outb, &want); err != nil || len(want) != len(cases) {
		t.Fatalf("dateutil answered %d of %d: %v", len(want), len(cases), err)
	}
	end := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	bad, nonEmpty, skipped := 0, 0, 0
	began = time.Now()
	defer func() { t.Logf("Expand took %v", time.Since(began)) }()
	for i, c := range cases {
		st, _ := time.Parse("20060102T150405", c.Start)
		var got []string
		for _, x := range Expand(mustRule(t, c.Rule), st, st, end, 200) {
			got = append(got, x.Format("20060102T150405"))
		}
		if want[i] == nil {
			skipped++
			continue // dateutil refused it (see its log)
		}
		if len(want[i]) > 0 {
			nonEmpty++
		}
		if strings.Join(got, ",") != strings.Join(want[i], ",") {
			if bad++; bad <= 10 {
				t.Errorf("DTSTART %s RRULE %s:\n got  %d %v\n want %d %v", c.Start, c.Rule, len(got), head(got), len(want[i]), head(want[i]))
			}
		}
	}
	if skipped > len(cases)/10 {
		t.Errorf("dateutil gave up on %d rules", skipped)
	}
	if bad > 0 {
		t.Errorf("%d of %d rules differ from dateutil", bad, len(cases))
	}
	if nonEmpty < len(cases)/2 {
		t.Errorf("only %d of %d rules have instances: the generator is too strict", nonEmpty, len(cases))
	}
	t.Logf("%d rules (%d with instances, %d too slow for dateutil) agree with dateutil", len(cases), nonEmpty, skipped)
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
