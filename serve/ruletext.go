package serve

import (
	"fmt"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/pim/recur"
)

// ruleText writes the common RRULEs in words ("Every 2 weeks on Tuesday
// and Thursday, 10 times"); "" for a rule it does not put in words (the
// page shows the RRULE itself then).
func ruleText(rule string) string {
	r, err := recur.ParseRule(rule)
	if err != nil || len(r.BySecond)+len(r.ByMinute)+len(r.ByHour)+len(r.ByYearDay)+len(r.ByWeekNo)+len(r.BySetPos) > 0 {
		return ""
	}
	units := map[recur.Freq]string{recur.Daily: "day", recur.Weekly: "week", recur.Monthly: "month", recur.Yearly: "year"}
	unit, ok := units[r.Freq]
	if !ok {
		return ""
	}
	var b strings.Builder
	if r.Interval > 1 {
		fmt.Fprintf(&b, "Every %d %ss", r.Interval, unit)
	} else {
		b.WriteString("Every " + unit)
	}
	if len(r.ByMonth) > 0 {
		var ms []string
		for _, m := range r.ByMonth {
			ms = append(ms, time.Month(m).String())
		}
		b.WriteString(" in " + and(ms))
	}
	if len(r.ByDay) > 0 {
		var ds []string
		for _, d := range r.ByDay {
			switch {
			case d.N == 0:
				ds = append(ds, d.Day.String())
			case d.N == -1:
				ds = append(ds, "the last "+d.Day.String())
			case d.N > 0 && d.N <= 5:
				ds = append(ds, "the "+[]string{"", "first", "second", "third", "fourth", "fifth"}[d.N]+" "+d.Day.String())
			default:
				return ""
			}
		}
		b.WriteString(" on " + and(ds))
	}
	if len(r.ByMonthDay) > 0 {
		var ds []string
		for _, d := range r.ByMonthDay {
			if d < 0 {
				if d != -1 {
					return ""
				}
				ds = append(ds, "the last day")
				continue
			}
			ds = append(ds, ordinal(d))
		}
		b.WriteString(" on the " + strings.TrimPrefix(and(ds), "the "))
	}
	switch {
	case r.Count == 1:
		b.WriteString(", once")
	case r.Count > 1:
		fmt.Fprintf(&b, ", %d times", r.Count)
	case r.UntilSet:
		b.WriteString(", until " + r.Until.Format("2 January 2006"))
	}
	return b.String()
}

// and joins words as a sentence lists them: "a, b and c".
func and(w []string) string {
	if len(w) <= 1 {
		return strings.Join(w, "")
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}

// ordinal is 1st, 2nd, 3rd, 4th, 11th, 21st.
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}
