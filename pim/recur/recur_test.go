package recur

import (
	"testing"
	"time"
)

func mustRule(t testing.TB, s string) Rule {
	t.Helper()
	r, err := ParseRule(s)
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return r
}

func mustTime(t testing.TB, v, tzid string, floating *time.Location) Value {
	t.Helper()
	x, err := ParseTime(v, tzid, floating)
	if err != nil {
		t.Fatalf("%s: %v", v, err)
	}
	return x
}

// TestWallClockAcrossDST: a daily 02:30 in New York exists on every day
// but 9 March 2025, when it is read with the offset from before the gap
// (03:30 EDT, RFC 5545 §3.3.5); a daily 09:00 is 09:00 on both sides of
// both changes, 23 and 25 hours apart.
func TestWallClockAcrossDST(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	st := mustTime(t, "20250307T023000", "America/New_York", nil)
	got := Expand(mustRule(t, "FREQ=DAILY;COUNT=4"), st.T, st.T, st.T.AddDate(0, 1, 0), 10)
	want := []string{"03-07 02:30 EST", "03-08 02:30 EST", "03-09 03:30 EDT", "03-10 02:30 EDT"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range got {
		if s := got[i].In(ny).Format("01-02 15:04 MST"); s != want[i] {
			t.Errorf("instance %d: %s, want %s", i, s, want[i])
		}
	}
	st = mustTime(t, "20251101T090000", "America/New_York", nil)
	got = Expand(mustRule(t, "FREQ=DAILY;COUNT=3"), st.T, st.T, st.T.AddDate(0, 1, 0), 10)
	if len(got) != 3 || got[1].Sub(got[0]) != 25*time.Hour || got[2].Sub(got[1]) != 24*time.Hour || got[2].In(ny).Hour() != 9 {
		t.Errorf("fall back: %v", got)
	}
}

// TestParseTime: the four kinds of value, a Mozilla-style TZID, an
// unknown TZID read as floating, and garbage refused.
func TestParseTime(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	cases := []struct {
		v, tzid string
		kind    Kind
		want    string // RFC 3339 in UTC
	}{
		{"20250617T093000", "Europe/Paris", Zoned, "2025-06-17T07:30:00Z"},
		{"20250617T093000", "/mozilla.org/20050126_1/Europe/Paris", Zoned, "2025-06-17T07:30:00Z"},
		{"20250617T093000Z", "Europe/Paris", UTC, "2025-06-17T09:30:00Z"},
		{"20250617T093000", "", Floating, "2025-06-17T07:30:00Z"}, // floating read in Paris
		{"20250617T093000", "W. Europe Standard Time", Floating, "2025-06-17T07:30:00Z"},
		{"20250617", "", Date, "2025-06-16T22:00:00Z"},
	}
	for _, c := range cases {
		v, err := ParseTime(c.v, c.tzid, paris)
		if err != nil || v.Kind != c.kind || v.T.UTC().Format(time.RFC3339) != c.want {
			t.Errorf("%s %q: %v %v %v, want %v %s", c.v, c.tzid, v.T.UTC(), v.Kind, err, c.kind, c.want)
		}
	}
	for _, bad := range []string{"", "2025", "20251317T000000", "20250617T256000", "20250617X093000", "../../etc/passwd"} {
		if _, err := ParseTime(bad, "", nil); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if LoadZone("../../../etc/passwd") != nil || LoadZone("Local") != nil {
		t.Error("LoadZone took a path or Local")
	}
}

// TestParseDuration: RFC 5545 durations and Android's "P3600S".
func TestParseDuration(t *testing.T) {
	cases := map[string]Duration{"PT1H30M": {Time: 90 * time.Minute}, "P1D": {Days: 1}, "-P2W": {Days: -14},
		"P3600S": {Time: time.Hour}, "P1DT12H": {Days: 1, Time: 12 * time.Hour}, "PT0S": {}}
	for s, want := range cases {
		if got, err := ParseDuration(s); err != nil || got != want {
			t.Errorf("%s: %+v %v, want %+v", s, got, err, want)
		}
	}
	for _, bad := range []string{"", "P", "1H", "PTH", "P1X", "PT1H1", "P99999999999D"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	// A day is a wall-clock day: 23 hours on the spring-forward day.
	ny := mustZone(t, "America/New_York")
	st := time.Date(2025, 3, 8, 12, 0, 0, 0, ny)
	if end := (Duration{Days: 1}).Add(st); end.Sub(st) != 23*time.Hour {
		t.Errorf("P1D from %v is %v", st, end)
	}
}

// TestParseRuleErrors: out-of-range and malformed parts are errors,
// lists are deduplicated, unknown parts ignored.
func TestParseRuleErrors(t *testing.T) {
	for _, bad := range []string{"", "COUNT=3", "FREQ=FORTNIGHTLY", "FREQ=DAILY;BYHOUR=24", "FREQ=DAILY;BYMONTHDAY=0",
		"FREQ=MONTHLY;BYDAY=0MO", "FREQ=MONTHLY;BYDAY=XX", "FREQ=DAILY;INTERVAL=0", "FREQ=DAILY;UNTIL=tomorrow", "FREQ=DAILY;COUNT"} {
		if _, err := ParseRule(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	r := mustRule(t, "freq=monthly;byday=1fr,1FR,-1su;bymonthday=3,1,3;x-name=1;wkst=su")
	if r.Freq != Monthly || len(r.ByDay) != 2 || len(r.ByMonthDay) != 2 || r.ByMonthDay[0] != 1 || r.Wkst != time.Sunday {
		t.Errorf("parsed %+v", r)
	}
}

// TestSetOverridesAndDates: a weekly series with an EXDATE, a moved
// instance (out of the window and into it), a cancelled one, an RDATE,
// and a DATE EXDATE on a timed series.
func TestSetOverridesAndDates(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	st := mustTime(t, "20250106T100000", "Europe/Berlin", nil)
	s := Set{Start: st.T, Rules: []Rule{mustRule(t, "FREQ=WEEKLY;BYDAY=MO;COUNT=10")},
		ExDates: []Value{mustTime(t, "20250113T090000Z", "", nil), mustTime(t, "20250303", "", berlin)},
		RDates:  []Value{mustTime(t, "20250108T150000", "Europe/Berlin", nil)},
		Overrides: []Override{
			{RecurrenceID: mustTime(t, "20250120T090000Z", "", nil), Start: time.Date(2025, 1, 21, 11, 0, 0, 0, berlin)},
			{RecurrenceID: mustTime(t, "20250127T100000", "Europe/Berlin", nil), Cancelled: true, Start: time.Date(2025, 1, 27, 10, 0, 0, 0, berlin)},
			{RecurrenceID: mustTime(t, "20250203T100000", "Europe/Berlin", nil), Start: time.Date(2025, 4, 1, 10, 0, 0, 0, berlin)},
		}}
	from, to := time.Date(2025, 1, 1, 0, 0, 0, 0, berlin), time.Date(2025, 3, 31, 0, 0, 0, 0, berlin)
	var got []string
	for _, in := range s.Between(from, to, 100) {
		got = append(got, in.Start.In(berlin).Format("01-02 15:04"))
		if in.Override == 0 && !in.RecurrenceID.Equal(time.Date(2025, 1, 20, 10, 0, 0, 0, berlin)) {
			t.Errorf("moved instance has RecurrenceID %v", in.RecurrenceID)
		}
	}
	want := "01-06 10:00,01-08 15:00,01-21 11:00,02-10 10:00,02-17 10:00,02-24 10:00,03-10 10:00"
	if j := join(got); j != want {
		t.Errorf("got  %s\nwant %s", j, want)
	}
	if n := len(s.Between(from, to, 3)); n != 3 {
		t.Errorf("limit 3 gave %d", n)
	}
	// The moved one shows in the window it moved to.
	apr := s.Between(time.Date(2025, 4, 1, 0, 0, 0, 0, berlin), time.Date(2025, 5, 1, 0, 0, 0, 0, berlin), 100)
	if len(apr) != 1 || apr[0].Override != 2 {
		t.Errorf("April: %+v", apr)
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}

// TestHostileRulesBounded: rules that would run for ever or explode end
// within MaxSteps, quickly, and respect limit.
func TestHostileRulesBounded(t *testing.T) {
	st := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	all := func(n int) string {
		s := ""
		for i := 0; i < n; i++ {
			if i > 0 {
				s += ","
			}
			s += string(rune('0'+i/10)) + string(rune('0'+i%10))
		}
		return s
	}
	for _, rule := range []string{
		"FREQ=SECONDLY",
		"FREQ=SECONDLY;COUNT=1000000000",
		"FREQ=YEARLY;BYSECOND=" + all(60) + ";BYMINUTE=" + all(60) + ";BYHOUR=" + all(24) + ";BYSETPOS=-1,1,2,3",
		"FREQ=YEARLY;BYSECOND=" + all(60) + ";BYMINUTE=" + all(60) + ";BYHOUR=" + all(24),
		"FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30",       // never
		"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=5", // never, with COUNT
		"FREQ=MINUTELY;INTERVAL=1;UNTIL=99991231T235959Z",
		// No day ever matches, and each would have 87,840 times.
		"FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=5;BYSECOND=" + all(60) + ";BYMINUTE=" + all(60) + ";BYHOUR=" + all(24),
	} {
		r := mustRule(t, rule)
		begin := time.Now()
		got := Expand(r, st, from, to, 500)
		if d := time.Since(begin); d > 5*time.Second {
			t.Errorf("%.60s: %v", rule, d)
		}
		if len(got) > 500 {
			t.Errorf("%.60s: %d instances over limit", rule, len(got))
		}
		for _, g := range got {
			if g.Before(from) || !g.Before(to) {
				t.Errorf("%.60s: %v outside the window", rule, g)
				break
			}
		}
	}
	// A secondly rule that starts in the window fills the limit.
	if got := Expand(mustRule(t, "FREQ=SECONDLY"), from, from, to, 500); len(got) != 500 || got[499].Sub(got[0]) != 499*time.Second {
		t.Errorf("secondly from the window's start: %d", len(got))
	}
}
