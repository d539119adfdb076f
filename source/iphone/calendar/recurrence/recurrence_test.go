package recurrence

import (
	"strings"
	"testing"
	"time"
)

func TestRRule(t *testing.T) {
	until := time.Date(2027, 6, 30, 9, 0, 0, 0, time.UTC).UnixMilli()
	for _, c := range []struct {
		freq, interval, count, until int64
		allDay                       bool
		spec, want                   string
	}{
		{2, 1, 10, 0, false, "D=0MO,0WE", "FREQ=WEEKLY;COUNT=10;BYDAY=MO,WE"},
		{3, 1, 0, until, false, "d=15", "FREQ=MONTHLY;UNTIL=20270630T090000Z;BYMONTHDAY=15"},
		{4, 1, 0, 0, true, "", "FREQ=YEARLY"},
		{3, 2, 0, until, true, "D=+2TU", "FREQ=MONTHLY;INTERVAL=2;UNTIL=20270630;BYDAY=2TU"},
		{3, 1, 0, 0, false, "D=-1FR;M=13,2;P=x", "FREQ=MONTHLY;BYMONTH=2;BYDAY=-1FR"},
		{9, 1, 0, 0, false, "", ""},
	} {
		if got := RRule(c.freq, c.interval, c.count, c.until, c.allDay, c.spec); got != c.want {
			t.Errorf("RRule(%d, %d, %d, %d, %v, %q) = %q, want %q", c.freq, c.interval, c.count, c.until, c.allDay, c.spec, got, c.want)
		}
	}
}

// FuzzRRule: whatever the row holds, the rule is one line of RRULE parts
// of bounded length, or nothing.
func FuzzRRule(f *testing.F) {
	f.Add(int64(2), int64(1), int64(10), int64(0), false, "D=0MO,0WE")
	f.Add(int64(3), int64(0), int64(0), int64(1800000000000), true, "d=15;M=3;P=-1")
	f.Fuzz(func(t *testing.T, freq, interval, count, until int64, allDay bool, spec string) {
		r := RRule(freq, interval, count, until, allDay, spec)
		if r == "" {
			return
		}
		if !strings.HasPrefix(r, "FREQ=") || len(r) > MaxRuleLen || strings.ContainsAny(r, "\r\n:") {
			t.Fatalf("bad rule %q", r)
		}
		for _, p := range strings.Split(r, ";") {
			if k, v, ok := strings.Cut(p, "="); !ok || k == "" || v == "" {
				t.Fatalf("bad part %q in %q", p, r)
			}
		}
	})
}
