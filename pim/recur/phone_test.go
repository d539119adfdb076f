package recur

import (
	"testing"
	"time"
)

// TestPhoneSeries expands the recurring events of the generated phones
// (internal/iosgen DefaultCalendarData, internal/fakeadb/phonedata) and
// checks their instance counts, first and last instances, EXDATEs and
// moved instances, as the phone's own calendar shows them.
func TestPhoneSeries(t *testing.T) {
	ber, ny := mustZone(t, "Europe/Berlin"), mustZone(t, "America/New_York")
	at := func(loc *time.Location, y int, m time.Month, d, h, mi int) time.Time {
		return time.Date(y, m, d, h, mi, 0, 0, loc)
	}
	cases := []struct {
		name        string
		set         Set
		n           int
		first, last time.Time
		absent      []time.Time
	}{
		{name: "phonedata weekly 1:1, EXDATE in UTC, one moved", n: 9,
			set: Set{Start: at(ber, 2025, 1, 6, 10, 0), Rules: []Rule{mustRule(t, "FREQ=WEEKLY;BYDAY=MO;COUNT=10")},
				ExDates:   []Value{mustTime(t, "20250113T090000Z", "", nil)},
				Overrides: []Override{{RecurrenceID: Value{T: at(time.UTC, 2025, 1, 20, 9, 0), Kind: UTC}, Start: at(ber, 2025, 1, 20, 11, 0)}}},
			first: at(ber, 2025, 1, 6, 10, 0), last: at(ber, 2025, 3, 10, 10, 0), absent: []time.Time{at(ber, 2025, 1, 13, 10, 0), at(ber, 2025, 1, 20, 10, 0)}},
		{name: "phonedata daily meds until 1 March UTC", n: 28,
			set:   Set{Start: at(ny, 2025, 2, 1, 8, 0), Rules: []Rule{mustRule(t, "FREQ=DAILY;UNTIL=20250301T045959Z")}},
			first: at(ny, 2025, 2, 1, 8, 0), last: at(ny, 2025, 2, 28, 8, 0)},
		{name: "phonedata monthly rent, June excluded", n: 11,
			set: Set{Start: at(ny, 2025, 1, 1, 9, 0), Rules: []Rule{mustRule(t, "FREQ=MONTHLY;BYMONTHDAY=1;COUNT=12")},
				ExDates: []Value{mustTime(t, "20250601T130000Z", "", nil)}},
			first: at(ny, 2025, 1, 1, 9, 0), last: at(ny, 2025, 12, 1, 9, 0), absent: []time.Time{at(ny, 2025, 6, 1, 9, 0)}},
		{name: "phonedata class with RDATEs", n: 3,
			set: Set{Start: at(ny, 2025, 2, 22, 9, 0), RDates: []Value{mustTime(t, "20250301T090000", "America/New_York", nil),
				mustTime(t, "20250315T090000", "America/New_York", nil)}},
			first: at(ny, 2025, 2, 22, 9, 0), last: at(ny, 2025, 3, 15, 9, 0)},
		{name: "iosgen yoga MO,WE, one EXDATE, one moved to Tuesday", n: 9,
			set: Set{Start: at(ber, 2026, 9, 7, 18, 30), Rules: []Rule{mustRule(t, "FREQ=WEEKLY;COUNT=10;BYDAY=MO,WE")},
				ExDates:   []Value{{T: at(ber, 2026, 9, 21, 18, 30), Kind: Zoned}},
				Overrides: []Override{{RecurrenceID: Value{T: at(ber, 2026, 9, 14, 18, 30), Kind: Zoned}, Start: at(ber, 2026, 9, 15, 18, 30)}}},
			first: at(ber, 2026, 9, 7, 18, 30), last: at(ber, 2026, 10, 7, 18, 30), absent: []time.Time{at(ber, 2026, 9, 14, 18, 30), at(ber, 2026, 9, 21, 18, 30)}},
		{name: "iosgen monthly review until June 2027 across DST", n: 9,
			set:   Set{Start: at(ny, 2026, 10, 15, 10, 0), Rules: []Rule{mustRule(t, "FREQ=MONTHLY;UNTIL=20270615T140000Z;BYMONTHDAY=15")}},
			first: at(ny, 2026, 10, 15, 10, 0), last: at(ny, 2027, 6, 15, 10, 0)},
		{name: "iosgen Jonas born 28 February, yearly all-day", n: 46,
			set:   Set{Start: mustTime(t, "19860228", "", time.UTC).T, Rules: []Rule{mustRule(t, "FREQ=YEARLY")}},
			first: time.Date(1986, 2, 28, 0, 0, 0, 0, time.UTC), last: time.Date(2031, 2, 28, 0, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.set.Between(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2031, 12, 31, 0, 0, 0, 0, time.UTC), 1000)
			if len(got) != c.n {
				t.Fatalf("%d instances, want %d: %v", len(got), c.n, got)
			}
			if !got[0].Start.Equal(c.first) || !got[len(got)-1].Start.Equal(c.last) {
				t.Errorf("first %v last %v, want %v and %v", got[0].Start, got[len(got)-1].Start, c.first, c.last)
			}
			for _, in := range got {
				for _, a := range c.absent {
					if in.Start.Equal(a) {
						t.Errorf("%v is there", a)
					}
				}
				if in.Start.In(c.first.Location()).Hour() != c.first.Hour() && in.Override < 0 {
					t.Errorf("%v is not at %d:00 local", in.Start, c.first.Hour())
				}
			}
		})
	}
}
