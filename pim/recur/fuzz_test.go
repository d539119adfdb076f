package recur

import (
	"testing"
	"time"
)

// FuzzExpand: any RRULE from any start expands within the window, sorted,
// within the limit, in bounded time, without panicking.
func FuzzExpand(f *testing.F) {
	for _, c := range rfcCases {
		f.Add(c.rule, int64(870000000), int64(0))
	}
	f.Add("FREQ=SECONDLY;BYSETPOS=-1", int64(0), int64(1<<40))
	f.Add("FREQ=YEARLY;BYWEEKNO=-53;BYDAY=-1SU;BYSETPOS=366", int64(-1<<40), int64(3600))
	f.Fuzz(func(t *testing.T, rule string, start, span int64) {
		r, err := ParseRule(rule)
		if err != nil {
			return
		}
		st := time.Unix(start%(1<<36), 0).In(time.FixedZone("X", int(span%50000)))
		from := st.Add(time.Duration(span%(1<<40)) * time.Second)
		to := from.AddDate(1, 0, 0)
		began := time.Now()
		got := Expand(r, st, from, to, 100)
		if d := time.Since(began); d > 3*time.Second {
			t.Fatalf("%q took %v", rule, d)
		}
		if len(got) > 100 {
			t.Fatalf("%d instances", len(got))
		}
		for i, g := range got {
			if g.Before(from) || !g.Before(to) || i > 0 && !got[i-1].Before(g) {
				t.Fatalf("%q: instance %d %v out of order or window [%v, %v)", rule, i, g, from, to)
			}
		}
	})
}
