package serve

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/serve/records"
)

// calendarBody is a month's agenda and the to-dos.
type calendarBody struct {
	Label      string // "March 2026"
	Prev, Next string // the months' URLs
	Days       []agendaDay
	Count      int
	Todos      []todoRow
	OpenTodos  int
}

// agendaDay is one day of the agenda with what happens on it.
type agendaDay struct {
	Label   string // "Tuesday 3 March"
	Date    string // 2026-03-03
	Weekend bool
	Items   []agendaItem
}

// agendaItem is one occurrence, its time as the event has it.
type agendaItem struct {
	records.Occurrence
	When string // "All day", "09:30 – 10:00", "09:30 – 10:00 CET"
	Link string
}

// todoRow is one to-do with its dates written out.
type todoRow struct {
	records.Todo
	DueText, DoneText string
	Overdue           bool
}

func calendarBase(sv *snapView) string { return "/s/" + sv.ID.String() + "/calendar/" }

// monthURL is the agenda of a month.
func monthURL(sv *snapView, t time.Time) string {
	return calendarBase(sv) + "?month=" + t.Format("2006-01")
}

// calendarMonth shows a month (?month=2026-03; the snapshot's month, or
// the nearest with events, when left out) and the to-dos.
func (s *Server) calendarMonth(w http.ResponseWriter, req *http.Request, sv *snapView) {
	cal, err := s.calendarOf(req.Context(), sv.SnapshotInfo)
	if err != nil {
		s.fail(w, err)
		return
	}
	loc := time.Local
	var first time.Time
	if m := req.URL.Query().Get("month"); m != "" {
		first, err = time.ParseInLocation("2006-01", m, loc)
		if err != nil || first.Year() < 1 || first.Year() > 9998 {
			s.fail(w, errNotFound)
			return
		}
	} else {
		first = nearestMonth(cal, sv.Time.In(loc), loc)
	}
	occ := cal.Month(first.Year(), first.Month(), loc)
	body := calendarBody{Label: first.Format("January 2006"), Prev: monthURL(sv, first.AddDate(0, -1, 0)),
		Next: monthURL(sv, first.AddDate(0, 1, 0)), Count: len(occ)}
	body.Days = agenda(cal, occ, first, loc, calendarBase(sv)+"event/")
	now := sv.Time
	for _, t := range cal.Todos() {
		row := todoRow{Todo: t}
		if !t.Due.IsZero() {
			row.DueText = todoTime(t.Due, t.DueAllDay)
			row.Overdue = !t.Done && t.Due.Before(now)
		}
		if !t.Completed.IsZero() {
			row.DoneText = t.Completed.In(loc).Format("Mon 2 Jan 2006 15:04")
		}
		if !t.Done {
			body.OpenTodos++
		}
		body.Todos = append(body.Todos, row)
	}
	s.render(w, "calendar", http.StatusOK, sv.view("Calendar · "+body.Label, "calendar", body))
}

// nearestMonth is the month of t if it has events, else the nearest month
// within two years that has, else t's month.
func nearestMonth(cal *records.Cal, t time.Time, loc *time.Location) time.Time {
	m := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	for d := 0; d <= 24; d++ {
		for _, c := range []time.Time{m.AddDate(0, -d, 0), m.AddDate(0, d, 0)} {
			if len(cal.Month(c.Year(), c.Month(), loc)) > 0 {
				return c
			}
		}
	}
	return m
}

// agenda groups a month's occurrences by day (an instance that began
// before the month under its first day), all-day ones first.
func agenda(cal *records.Cal, occ []records.Occurrence, first time.Time, loc *time.Location, link string) []agendaDay {
	zones := map[string]*time.Location{}
	zoneOf := func(id string) *time.Location {
		z, ok := zones[id]
		if !ok {
			if e, found := cal.Event(id); found && !e.AllDay && !e.Floating && e.Start.Location() != time.UTC {
				z = e.Start.Location()
			}
			zones[id] = z
		}
		return z
	}
	var days []agendaDay
	for _, o := range occ {
		start, end := o.Start, o.End
		zone := ""
		if z := zoneOf(o.EventID); z != nil && !o.AllDay {
			start, end = start.In(z), end.In(z)
			if n, _ := start.Zone(); n != zoneName(o.Start.In(loc)) {
				zone = " " + n
			}
		}
		day := start
		if day.Before(first) {
			day = first
		}
		date := day.Format("2006-01-02")
		if len(days) == 0 || days[len(days)-1].Date != date {
			days = append(days, agendaDay{Date: date, Label: day.Format("Monday 2 January"),
				Weekend: day.Weekday() == time.Saturday || day.Weekday() == time.Sunday})
		}
		it := agendaItem{Occurrence: o, Link: link + o.EventID, When: occWhen(o, start, end) + zone}
		days[len(days)-1].Items = append(days[len(days)-1].Items, it)
	}
	for i := range days {
		slices.SortStableFunc(days[i].Items, func(a, b agendaItem) int { return boolCmp(!a.AllDay, !b.AllDay) })
	}
	return days
}

func zoneName(t time.Time) string { n, _ := t.Zone(); return n }

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// occWhen writes an occurrence's time: "All day" (with the last day of a
// longer one), "09:30 – 10:00", "09:30 – Fri 12:00" for one that ends
// another day.
func occWhen(o records.Occurrence, start, end time.Time) string {
	if o.AllDay {
		if last := end.AddDate(0, 0, -1); end.Sub(start) > 24*time.Hour+time.Hour {
			return "All day → " + last.Format("Mon 2 Jan")
		}
		return "All day"
	}
	s := start.Format("15:04")
	switch {
	case !end.After(start):
		return s
	case end.Format("2006-01-02") != start.Format("2006-01-02"):
		return s + " – " + end.Format("Mon 2 Jan 15:04")
	}
	return s + " – " + end.Format("15:04")
}

// todoTime writes a due date: a date alone, or a date and time.
func todoTime(t time.Time, allDay bool) string {
	if allDay {
		return t.Format("Mon 2 Jan 2006")
	}
	return t.Format("Mon 2 Jan 2006 15:04")
}

// eventBody is one event with every field, its rule in words and its
// history.
type eventBody struct {
	E            records.Event
	When         string
	RuleText     string
	ICS, Base    string
	History      []historyRow
	HistoryError string
}

// calendarEvent shows one event (…/event/ID) or hands its calendar file
// (…/event/ID.ics).
func (s *Server) calendarEvent(w http.ResponseWriter, req *http.Request, sv *snapView) {
	eid := req.PathValue("eid")
	id, ics := strings.CutSuffix(eid, ".ics")
	cal, err := s.calendarOf(req.Context(), sv.SnapshotInfo)
	if err != nil {
		s.fail(w, err)
		return
	}
	e, ok := cal.Event(id)
	if !ok {
		s.fail(w, errNotFound)
		return
	}
	if ics {
		b, _ := cal.ICS(id)
		sendRecord(w, "text/calendar; charset=utf-8", downloadName(e.Title, "event")+".ics", b)
		return
	}
	body := eventBody{E: e, ICS: calendarBase(sv) + "event/" + id + ".ics", Base: calendarBase(sv), When: eventWhen(e)}
	if e.Rule != "" {
		body.RuleText = ruleText(e.Rule)
	}
	snaps, err := s.historySnaps(req.Context(), sv.SnapshotInfo)
	if err == nil {
		var ch []records.Change
		ch, err = records.EventHistory(req.Context(), s.r, snaps, id)
		body.History = historyRows(ch, "calendar/event/"+id)
	}
	if err != nil {
		body.HistoryError = err.Error()
	}
	title := e.Title
	if title == "" {
		title = "(no title)"
	}
	s.render(w, "event", http.StatusOK, sv.view(title, "calendar", body))
}

// eventWhen writes an event's first instance as the event has it.
func eventWhen(e records.Event) string {
	if e.Start.IsZero() {
		return ""
	}
	if e.AllDay {
		s := e.Start.Format("Monday 2 January 2006")
		if last := e.End.AddDate(0, 0, -1); last.After(e.Start) {
			s += " – " + last.Format("Monday 2 January 2006")
		}
		return s + ", all day"
	}
	s := e.Start.Format("Monday 2 January 2006, 15:04")
	if e.End.After(e.Start) {
		if e.End.Format("2006-01-02") == e.Start.Format("2006-01-02") {
			s += " – " + e.End.Format("15:04")
		} else {
			s += " – " + e.End.Format("Monday 2 January 2006, 15:04")
		}
	}
	switch {
	case e.Floating:
		s += " (local time)"
	default:
		s += " " + zoneLabel(e.Start)
	}
	return s
}

// zoneLabel names a time's zone: "Europe/Paris (CET)", "UTC".
func zoneLabel(t time.Time) string {
	name := t.Location().String()
	abbr, _ := t.Zone()
	if name == abbr || name == "" {
		return abbr
	}
	return fmt.Sprintf("%s (%s)", name, abbr)
}
