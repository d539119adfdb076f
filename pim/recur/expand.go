package recur

import (
	"slices"
	"time"
)

// MaxSteps bounds the work of one expansion of one rule: every period of
// the rule and every candidate day or time looked at is a step. A rule
// that needs more (FREQ=SECONDLY for years, a BYSETPOS over every second
// of a year) stops early with the instances found so far.
const MaxSteps = 1 << 20

// Expand returns the instances of rule r for an event that starts at start
// (DTSTART, counted as an instance when the rule yields it; the wall clock
// of start in start.Location() is what repeats) that begin in [from, to),
// oldest first, at most limit of them. COUNT counts from start whatever
// the window; UNTIL is inclusive. It follows RFC 5545 §3.3.10: BYxxx parts
// expand or limit as its table says, invalid dates (February 30) are
// skipped, BYSETPOS picks within each period, WKST starts the weeks of
// WEEKLY and BYWEEKNO.
func Expand(r Rule, start, from, to time.Time, limit int) []time.Time {
	if limit <= 0 || !from.Before(to) {
		return nil
	}
	g := newGen(r, start)
	return g.run(from, to, limit)
}

// gen expands one rule on naive wall clocks (time.Time in UTC whose fields
// are those of the event's zone).
type gen struct {
	r         Rule
	loc       *time.Location
	start     time.Time // naive DTSTART
	until     time.Time // instant; zero: none
	hours     []int
	minutes   []int
	seconds   []int
	monthDays []int
	months    []int
	days      []WeekdayNum
	fixed     []time.Duration // the times of day of every period, for DAILY and longer
	steps     int
}

func naive(t time.Time) time.Time {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
}

func newGen(r Rule, start time.Time) *gen {
	g := &gen{r: r, loc: start.Location(), start: naive(start), monthDays: r.ByMonthDay, months: r.ByMonth, days: r.ByDay,
		hours: r.ByHour, minutes: r.ByMinute, seconds: r.BySecond}
	if g.r.Interval < 1 {
		g.r.Interval = 1
	}
	s := g.start
	if len(r.ByWeekNo) == 0 && len(r.ByYearDay) == 0 && len(r.ByMonthDay) == 0 && len(r.ByDay) == 0 {
		switch r.Freq {
		case Yearly:
			if len(r.ByMonth) == 0 {
				g.months = []int{int(s.Month())}
			}
			g.monthDays = []int{s.Day()}
		case Monthly:
			g.monthDays = []int{s.Day()}
		case Weekly:
			g.days = []WeekdayNum{{Day: s.Weekday()}}
		}
	}
	if r.Freq > Hourly && len(g.hours) == 0 {
		g.hours = []int{s.Hour()}
	}
	if r.Freq > Minutely && len(g.minutes) == 0 {
		g.minutes = []int{s.Minute()}
	}
	if r.Freq > Secondly && len(g.seconds) == 0 {
		g.seconds = []int{s.Second()}
	}
	if r.Freq >= Daily {
		g.fixed = g.times(g.start)
	}
	if r.UntilSet {
		switch r.UntilKind {
		case UTC:
			g.until = r.Until
		case Date:
			u := Wall(r.Until, g.loc)
			if start.Hour() != 0 || start.Minute() != 0 || start.Second() != 0 {
				u = Wall(r.Until.AddDate(0, 0, 1), g.loc).Add(-time.Second)
			}
			g.until = u
		default:
			g.until = Wall(r.Until, g.loc)
		}
	}
	return g
}

// anchor returns the start of the period holding naive t.
func (g *gen) anchor(t time.Time) time.Time {
	y, mo, d := t.Date()
	switch g.r.Freq {
	case Yearly:
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	case Monthly:
		return time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
	case Weekly:
		back := (int(t.Weekday()) - int(g.r.Wkst) + 7) % 7
		return time.Date(y, mo, d-back, 0, 0, 0, 0, time.UTC)
	case Daily:
		return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	}
	return t.Truncate(g.unit())
}

// unit is the length of a sub-daily period.
func (g *gen) unit() time.Duration {
	switch g.r.Freq {
	case Hourly:
		return time.Hour
	case Minutely:
		return time.Minute
	}
	return time.Second
}

// advance moves a period anchor on by n periods.
func (g *gen) advance(a time.Time, n int) time.Time {
	switch g.r.Freq {
	case Yearly:
		return a.AddDate(n, 0, 0)
	case Monthly:
		return a.AddDate(0, n, 0)
	case Weekly:
		return a.AddDate(0, 0, 7*n)
	case Daily:
		return a.AddDate(0, 0, n)
	}
	return a.Add(time.Duration(n) * g.unit())
}

// periodsBetween is about how many periods lie between anchors a and b,
// never more than there are.
func (g *gen) periodsBetween(a, b time.Time) int {
	switch g.r.Freq {
	case Yearly:
		return b.Year() - a.Year() - 1
	case Monthly:
		return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month()) - 1
	case Weekly:
		return int(b.Sub(a)/(7*24*time.Hour)) - 1
	case Daily:
		return int(b.Sub(a)/(24*time.Hour)) - 1
	}
	return int(b.Sub(a)/g.unit()) - 1
}

func (g *gen) run(from, to time.Time, limit int) []time.Time {
	var out []time.Time
	a := g.anchor(g.start)
	// Without COUNT the periods before the window need not be walked:
	// jump whole intervals to just before it.
	// (A time.Duration spans 292 years: sub-daily jumps take a few.)
	if g.r.Count == 0 {
		nf := naive(from.In(g.loc)).AddDate(0, 0, -2)
		for i := 0; i < 64 && nf.After(a); i++ {
			k := g.periodsBetween(a, g.anchor(nf))
			if k <= g.r.Interval {
				break
			}
			a = g.advance(a, k-k%g.r.Interval)
		}
	}
	end := naive(to.In(g.loc)).AddDate(0, 0, 2)
	count := 0
	var cands []time.Time
	for ; !a.After(end) && a.Year() <= 9999; a = g.advance(a, g.r.Interval) {
		if g.steps++; g.steps > MaxSteps {
			break
		}
		cands = g.period(a, cands[:0])
		for _, c := range cands {
			if c.Before(g.start) {
				continue
			}
			t := Wall(c, g.loc)
			if !g.until.IsZero() && t.After(g.until) {
				return out
			}
			count++
			if !t.Before(to) {
				return out
			}
			if !t.Before(from) {
				out = append(out, t)
				if len(out) >= limit {
					return out
				}
			}
			if g.r.Count > 0 && count >= g.r.Count {
				return out
			}
		}
		if g.steps > MaxSteps {
			break
		}
	}
	return out
}

// period appends the candidates of the period anchored at a, in order.
func (g *gen) period(a time.Time, out []time.Time) []time.Time {
	var days []time.Time
	switch g.r.Freq {
	case Yearly:
		n := 365
		if isLeap(a.Year()) {
			n = 366
		}
		days = g.filterDays(a, n, days)
	case Monthly:
		days = g.filterDays(a, daysIn(a.Year(), a.Month()), days)
	case Weekly:
		days = g.filterDays(a, 7, days)
	default:
		days = g.filterDays(time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC), 1, days)
	}
	if len(days) == 0 {
		return out
	}
	times := g.fixed
	if g.r.Freq <= Hourly {
		times = g.times(a)
		g.steps += len(times)
	}
	if len(times) == 0 {
		return out
	}
	if len(g.r.BySetPos) == 0 {
		for _, d := range days {
			for _, t := range times {
				if g.steps++; g.steps > MaxSteps {
					return out
				}
				out = append(out, d.Add(t))
			}
		}
		return out
	}
	n := len(days) * len(times)
	if g.steps += n + len(g.r.BySetPos); g.steps > MaxSteps {
		return out
	}
	for _, p := range g.r.BySetPos {
		i := p - 1
		if p < 0 {
			i = n + p
		}
		if i >= 0 && i < n {
			out = append(out, days[i/len(times)].Add(times[i%len(times)]))
		}
	}
	slices.SortFunc(out, func(x, y time.Time) int { return x.Compare(y) })
	return slices.CompactFunc(out, func(x, y time.Time) bool { return x.Equal(y) })
}

// times lists the times of day of the period anchored at a, in order.
func (g *gen) times(a time.Time) []time.Duration {
	hours, minutes, seconds := g.hours, g.minutes, g.seconds
	if g.r.Freq <= Hourly {
		if len(hours) > 0 && !slices.Contains(hours, a.Hour()) {
			return nil
		}
		hours = []int{a.Hour()}
	}
	if g.r.Freq <= Minutely {
		if len(minutes) > 0 && !slices.Contains(minutes, a.Minute()) {
			return nil
		}
		minutes = []int{a.Minute()}
	}
	if g.r.Freq == Secondly {
		if len(seconds) > 0 && !slices.Contains(seconds, a.Second()) {
			return nil
		}
		seconds = []int{a.Second()}
	}
	out := make([]time.Duration, 0, len(hours)*len(minutes)*len(seconds))
	for _, h := range hours {
		for _, m := range minutes {
			for _, s := range seconds {
				out = append(out, time.Duration(h)*time.Hour+time.Duration(m)*time.Minute+time.Duration(s)*time.Second)
			}
		}
	}
	return out
}

// filterDays appends the n days from first that the rule's day parts let
// through.
func (g *gen) filterDays(first time.Time, n int, out []time.Time) []time.Time {
	for i := 0; i < n; i++ {
		d := first.AddDate(0, 0, i)
		if g.steps++; g.steps > MaxSteps {
			return out
		}
		if g.dayOK(d) {
			out = append(out, d)
		}
	}
	return out
}

func (g *gen) dayOK(d time.Time) bool {
	r := &g.r
	y, mo, md := d.Date()
	if len(g.months) > 0 && !slices.Contains(g.months, int(mo)) {
		return false
	}
	if len(r.ByWeekNo) > 0 && !weekNoOK(d, r.Wkst, r.ByWeekNo) {
		return false
	}
	ylen := 365
	if isLeap(y) {
		ylen = 366
	}
	yd := d.YearDay()
	if len(r.ByYearDay) > 0 && !slices.Contains(r.ByYearDay, yd) && !slices.Contains(r.ByYearDay, yd-ylen-1) {
		return false
	}
	mlen := daysIn(y, mo)
	if len(g.monthDays) > 0 && !slices.Contains(g.monthDays, md) && !slices.Contains(g.monthDays, md-mlen-1) {
		return false
	}
	if len(g.days) == 0 {
		return true
	}
	ordinal := (r.Freq == Monthly || r.Freq == Yearly) && len(r.ByWeekNo) == 0
	inMonth := r.Freq == Monthly || len(r.ByMonth) > 0
	for _, w := range g.days {
		if w.Day != d.Weekday() {
			continue
		}
		if w.N == 0 || !ordinal {
			return true
		}
		pos, neg := (yd-1)/7+1, -((ylen-yd)/7 + 1)
		if inMonth {
			pos, neg = (md-1)/7+1, -((mlen-md)/7 + 1)
		}
		if w.N == pos || w.N == neg {
			return true
		}
	}
	return false
}

// weekNoOK reports whether day d is in one of the weeks (RFC 5545 week
// numbers: weeks start on wkst, week 1 is the first with at least four
// days in the year).
func weekNoOK(d time.Time, wkst time.Weekday, weeks []int) bool {
	no, year := weekOf(d, wkst)
	last, _ := weekOf(time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC), wkst)
	if last == 1 {
		last, _ = weekOf(time.Date(year, 12, 24, 0, 0, 0, 0, time.UTC), wkst)
	}
	for _, w := range weeks {
		if w == no || w < 0 && last+1+w == no {
			return true
		}
	}
	return false
}

// weekOf returns the week number of d and the year the week belongs to.
func weekOf(d time.Time, wkst time.Weekday) (int, int) {
	back := (int(d.Weekday()) - int(wkst) + 7) % 7
	mid := d.AddDate(0, 0, 3-back) // the week's fourth day decides its year
	return (mid.YearDay()-1)/7 + 1, mid.Year()
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
