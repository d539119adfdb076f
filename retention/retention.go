// Package retention decides which snapshots a policy keeps, as restic's
// forget does: the newest snapshot of each hour, day, week, month or year
// up to a count, the last N, those within a duration of the newest, and
// those with a tag. Two kinds of snapshot are always kept: the newest of
// each source, and every snapshot involved in a mass-deletion alarm (the
// one that raised it, and the last one before the drop).
package retention

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Policy says what to keep. The zero Policy keeps nothing and is refused.
type Policy struct {
	Last, Hourly, Daily, Weekly, Monthly, Yearly int
	Within                                       time.Duration
	Tags                                         []string
	// Now is the time --keep-within and the future are measured against;
	// the zero time means time.Now().
	Now time.Time
}

// ErrEmptyPolicy is returned for a policy that would keep nothing.
var ErrEmptyPolicy = errors.New("empty retention policy: give at least one --keep-* option")

// ErrFuture is returned when a snapshot dated after now (made while a
// clock was wrong) would take the place of real ones in an hourly, daily,
// weekly, monthly or yearly bucket.
var ErrFuture = errors.New("a snapshot is dated in the future")

// FutureSlack is how far after now a snapshot may be dated before it
// counts as in the future (clocks of two machines differ a little).
const FutureSlack = time.Hour

// Empty reports whether p keeps nothing.
func (p Policy) Empty() bool {
	return p.Last <= 0 && p.Hourly <= 0 && p.Daily <= 0 && p.Weekly <= 0 && p.Monthly <= 0 &&
		p.Yearly <= 0 && p.Within <= 0 && len(p.Tags) == 0
}

// Snapshot is what the policy looks at.
type Snapshot struct {
	ID   string
	Time time.Time
	// Order is the commit order (higher: committed later); where it
	// differs, it decides which snapshot is the newest, not Time.
	Order  int
	Group  string // snapshots are kept per group: host and source
	Tags   []string
	Alarm  bool   // this snapshot raised a mass-deletion alarm
	Before string // for an alarm: the id of the last snapshot before the drop
}

// Decision is a snapshot and why it is kept (no reasons: removed).
type Decision struct {
	Snapshot
	Reasons []string
}

// Keep reports whether the snapshot stays.
func (d Decision) Keep() bool { return len(d.Reasons) > 0 }

// Apply decides, for every snapshot, whether p keeps it. Buckets (hour,
// day...) are taken in loc. The result is sorted by group, newest first.
func Apply(snaps []Snapshot, p Policy, loc *time.Location) ([]Decision, error) {
	if p.Empty() {
		return nil, ErrEmptyPolicy
	}
	if p.Now.IsZero() {
		p.Now = time.Now()
	}
	if p.Hourly > 0 || p.Daily > 0 || p.Weekly > 0 || p.Monthly > 0 || p.Yearly > 0 {
		for _, s := range snaps {
			if s.Time.After(p.Now.Add(FutureSlack)) {
				return nil, fmt.Errorf("snapshot %.8s of %s is dated %s, after now: it would take a real snapshot's place in the --keep-hourly ... --keep-yearly buckets: %w",
					s.ID, s.Group, s.Time.UTC().Format(time.RFC3339), ErrFuture)
			}
		}
	}
	protected := map[string]string{}
	for _, s := range snaps {
		if s.Alarm {
			protected[s.ID] = "mass-deletion alarm"
			if s.Before != "" {
				protected[s.Before] = "last before a mass deletion"
			}
		}
	}
	groups := map[string][]Snapshot{}
	for _, s := range snaps {
		groups[s.Group] = append(groups[s.Group], s)
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	var out []Decision
	for _, g := range names {
		out = append(out, applyGroup(groups[g], p, loc, protected)...)
	}
	return out, nil
}

type bucketRule struct {
	name  string
	count int
	key   func(time.Time) string
}

func applyGroup(snaps []Snapshot, p Policy, loc *time.Location, protected map[string]string) []Decision {
	sort.SliceStable(snaps, func(i, j int) bool {
		if snaps[i].Order != snaps[j].Order {
			return snaps[i].Order > snaps[j].Order
		}
		return snaps[i].Time.After(snaps[j].Time)
	})
	ds := make([]Decision, len(snaps))
	// --keep-within counts back from the newest snapshot's time, or from
	// now when that is in the future (a clock that was wrong).
	anchor := snaps[0].Time
	for i, s := range snaps {
		ds[i].Snapshot = s
		if s.Time.After(anchor) {
			anchor = s.Time
		}
	}
	if anchor.After(p.Now) {
		anchor = p.Now
	}
	ds[0].Reasons = append(ds[0].Reasons, "newest of its source")
	for i := range ds {
		if r, ok := protected[ds[i].ID]; ok {
			ds[i].Reasons = append(ds[i].Reasons, r)
		}
		if i < p.Last {
			ds[i].Reasons = append(ds[i].Reasons, fmt.Sprintf("last %d", p.Last))
		}
		if p.Within > 0 && !ds[i].Time.Before(anchor.Add(-p.Within)) {
			ds[i].Reasons = append(ds[i].Reasons, "within "+FormatDuration(p.Within))
		}
		for _, t := range p.Tags {
			if slices.Contains(ds[i].Tags, t) {
				ds[i].Reasons = append(ds[i].Reasons, "tag "+t)
			}
		}
	}
	rules := []bucketRule{
		{"hourly", p.Hourly, func(t time.Time) string { return t.Format("2006-01-02 15") }},
		{"daily", p.Daily, func(t time.Time) string { return t.Format("2006-01-02") }},
		{"weekly", p.Weekly, func(t time.Time) string { y, w := t.ISOWeek(); return fmt.Sprintf("%d-W%02d", y, w) }},
		{"monthly", p.Monthly, func(t time.Time) string { return t.Format("2006-01") }},
		{"yearly", p.Yearly, func(t time.Time) string { return t.Format("2006") }},
	}
	for _, r := range rules {
		if r.count <= 0 {
			continue
		}
		// The newest snapshot of each bucket, for the newest r.count
		// buckets that have one.
		seen := map[string]bool{}
		for i := range ds {
			k := r.key(ds[i].Time.In(loc))
			if seen[k] {
				continue
			}
			seen[k] = true
			if len(seen) > r.count {
				break
			}
			ds[i].Reasons = append(ds[i].Reasons, r.name+" "+k)
		}
	}
	return ds
}

// ParseDuration reads a --keep-within value: hours, days, weeks, months
// (30 days) and years (365 days) as 72h, 7d, 2w, 6m, 1y, also combined
// (1y6m); "m" is months, as in restic. Other Go durations (1.5h, 30s) are
// accepted too.
func ParseDuration(s string) (time.Duration, error) {
	if d, err := parseDays(s); err == nil {
		return d, nil
	} else if d, gerr := time.ParseDuration(s); gerr == nil && d > 0 {
		return d, nil // 1.5h, 30s: Go's syntax, for what the above refuses
	} else {
		return 0, err
	}
}

// parseDays reads 7d, 2w, 6m (months, not minutes, as in restic), 1y,
// 72h, and combinations.
func parseDays(s string) (time.Duration, error) {
	units := map[byte]time.Duration{'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour,
		'm': 30 * 24 * time.Hour, 'y': 365 * 24 * time.Hour}
	var total time.Duration
	rest := s
	for rest != "" {
		i := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if i <= 0 || i >= len(rest) {
			return 0, fmt.Errorf("invalid duration %q (want e.g. 7d, 2w, 6m, 1y, 72h)", s)
		}
		var n int
		fmt.Sscanf(rest[:i], "%d", &n)
		u, ok := units[rest[i]]
		if !ok || n > 100000 {
			return 0, fmt.Errorf("invalid duration %q (want e.g. 7d, 2w, 6m, 1y, 72h)", s)
		}
		total += time.Duration(n) * u
		rest = rest[i+1:]
	}
	if total <= 0 {
		return 0, fmt.Errorf("invalid duration %q (want e.g. 7d, 2w, 6m, 1y, 72h)", s)
	}
	return total, nil
}

// FormatDuration prints a duration in days where it is whole days.
func FormatDuration(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}
