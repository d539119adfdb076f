package retention

import (
	"errors"
	"sort"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// history is 60 daily snapshots at 10:00 UTC, 2026-09-24 to 2026-11-22
// (a Sunday), one more at 09:00 on 2026-11-20, a mass-deletion alarm on
// 2026-10-10, and one old snapshot of another source.
func history() []Snapshot {
	var out []Snapshot
	for t := day("2026-09-24 10:00"); !t.After(day("2026-11-22 10:00")); t = t.AddDate(0, 0, 1) {
		s := Snapshot{ID: t.Format("01-02 15:04"), Time: t, Group: "laptop /phone"}
		if t.Format("01-02") == "10-10" {
			s.Alarm, s.Before = true, "10-09 10:00"
		}
		out = append(out, s)
	}
	out = append(out, Snapshot{ID: "11-20 09:00", Time: day("2026-11-20 09:00"), Group: "laptop /phone"},
		Snapshot{ID: "old", Time: day("2025-01-01 10:00"), Group: "laptop /tablet"})
	return out
}

func kept(ds []Decision) []string {
	var out []string
	for _, d := range ds {
		if d.Keep() {
			out = append(out, d.ID)
		}
	}
	sort.Strings(out)
	return out
}

func TestDailyWeekly(t *testing.T) {
	ds, err := Apply(history(), Policy{Daily: 7, Weekly: 4}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"10-09 10:00", "10-10 10:00", // the alarm and the snapshot before the drop
		"11-01 10:00", "11-08 10:00", "11-15 10:00", // weekly: the Sundays of the 3 weeks before
		"11-16 10:00", "11-17 10:00", "11-18 10:00", "11-19 10:00", "11-20 10:00", "11-21 10:00", "11-22 10:00", // daily
		"old", // the newest (only) snapshot of its source
	}
	if got := kept(ds); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("kept:\n%v\nwant:\n%v", got, want)
	}
	if len(ds) != 62 {
		t.Errorf("%d decisions for 62 snapshots", len(ds))
	}
	for _, d := range ds {
		if d.ID == "10-09 10:00" && !strings.Contains(strings.Join(d.Reasons, ","), "mass deletion") {
			t.Errorf("10-09 kept for %v, want the alarm", d.Reasons)
		}
	}
}

func TestOtherRules(t *testing.T) {
	for _, tc := range []struct {
		p    Policy
		want int // kept in the /phone group, out of 61
	}{
		{Policy{Last: 3}, 3 + 2},                // + alarm pair
		{Policy{Last: 100}, 61},                 // more than there are
		{Policy{Monthly: 2}, 2 + 2},             // Nov 22, Oct 31
		{Policy{Yearly: 5}, 1 + 2},              // one year
		{Policy{Hourly: 2}, 2 + 2},              // Nov 22 10:00, Nov 21 10:00
		{Policy{Within: 72 * time.Hour}, 5 + 2}, // Nov 19 10:00 .. Nov 22 (incl. Nov 20 09:00)
		{Policy{Within: 72 * time.Hour, Last: 1}, 5 + 2},
	} {
		ds, err := Apply(history(), tc.p, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, d := range ds {
			if d.Group == "laptop /phone" && d.Keep() {
				n++
			}
		}
		if n != tc.want {
			t.Errorf("%+v keeps %d, want %d", tc.p, n, tc.want)
		}
	}
}

func TestTagAndEmpty(t *testing.T) {
	h := history()
	h[5].Tags = []string{"before-reset"}
	ds, err := Apply(h, Policy{Tags: []string{"before-reset"}}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	got := kept(ds)
	if len(got) != 5 || got[0] != h[5].ID { // tag, alarm pair, newest of each source
		t.Errorf("keep-tag kept %v", got)
	}
	if _, err := Apply(h, Policy{}, time.UTC); !errors.Is(err, ErrEmptyPolicy) {
		t.Errorf("empty policy: %v", err)
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"72h": 72 * time.Hour, "7d": 7 * 24 * time.Hour, "2w": 14 * 24 * time.Hour,
		"1y6m": (365 + 180) * 24 * time.Hour, "6m": 180 * 24 * time.Hour, "1.5h": 90 * time.Minute,
	} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "7", "d", "-1d", "0d", "7x", "1.5d", "99999999d"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}
