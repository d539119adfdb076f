package status

import (
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

func TestAgeString(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    time.Duration
		want string
	}{
		{"future", -time.Minute, "in the future (check this machine's clock)"},
		{"now", 0, "just now"},
		{"seconds", 59 * time.Second, "just now"},
		{"one minute", time.Minute, "1 minute ago"},
		{"minutes", 59*time.Minute + 59*time.Second, "59 minutes ago"},
		{"one hour", time.Hour, "1 hour ago"},
		{"hours", 3*time.Hour + 30*time.Minute, "3 hours ago"},
		{"hours up to two days", 47 * time.Hour, "47 hours ago"},
		{"days", 48 * time.Hour, "2 days ago"},
		{"weeks in days", 15*24*time.Hour + 23*time.Hour, "15 days ago"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := AgeString(tc.d); got != tc.want {
				t.Errorf("AgeString(%v) = %q, want %q", tc.d, got, tc.want)
			}
		})
	}
	if got := Span(1500 * time.Millisecond); got != "1 second" {
		t.Errorf("Span(1.5s) = %q, want \"1 second\"", got)
	}
}

func TestNewestPerSource(t *testing.T) {
	now := time.Date(2025, 6, 14, 12, 0, 0, 0, time.UTC)
	snap := func(id byte, host, src string, ago time.Duration, alarm bool) repo.SnapshotInfo {
		s := &format.Snapshot{Host: host, Source: src, Time: now.Add(-ago)}
		if alarm {
			s.Alarm = &format.Alarm{}
		}
		return repo.SnapshotInfo{ID: format.ID{id}, Snapshot: s}
	}
	got := NewestPerSource([]repo.SnapshotInfo{
		snap(1, "b", "/phone", time.Hour, false),
		snap(2, "a", "/phone", 3*time.Hour, true),
		snap(3, "a", "/phone", 2*time.Hour, false),
		snap(4, "a", "/dcim", 5*time.Hour, true),
	}, now)
	want := []struct {
		host, src string
		id        byte
		age       float64
		alarm     bool
	}{{"a", "/dcim", 4, 5 * 3600, true}, {"a", "/phone", 3, 2 * 3600, false}, {"b", "/phone", 1, 3600, false}}
	if len(got) != len(want) {
		t.Fatalf("got %d sources, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Host != w.host || g.Source != w.src || g.Newest != (format.ID{w.id}).String() || g.Age != w.age || g.Alarm != w.alarm {
			t.Errorf("source %d = %+v, want %+v", i, g, w)
		}
	}
}
