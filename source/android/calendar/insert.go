package calendar

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Restore: iCalendar into the provider's rows, the inverse of Render.
//
// What an insert must carry follows CalendarProvider2.validateEventData
// (AOSP packages/providers/CalendarProvider, as in LineageOS
// android_packages_providers_CalendarProvider): calendar_id, eventTimezone
// and dtstart always, else IllegalArgumentException; dtend or duration,
// never both nor neither; rrule/rdate that validateRecurrenceRule accepts.
// Its scrubbing (sync adapters) keeps a recurring event's duration and
// drops its dtend, and keeps an exception's (originalInstanceTime) dtend
// and drops its duration, so a series carries duration and every other
// event, exceptions too, dtend. The
// mapping of properties to columns is that of bitfireAT/ical4android
// (AndroidEvent.kt, read only: nothing was copied), and of this package's
// renderer read backwards: all-day events start at UTC midnight with
// eventTimezone UTC, rdate/exdate hold "[TZID;]v,v" sets separated by
// newlines, durations are written "P<seconds>S" ("P<days>D" for all-day),
// as the provider stores them.

// Event is one event to put onto a phone: the events row and its reminders and attendees,
// and for a recurring series its exceptions (RECURRENCE-ID components).
type Event struct {
	Values     map[string]string   // events columns: title, description, eventLocation, dtstart (ms UTC), dtend or duration (RFC 5545 "P3600S" form as the provider stores), allDay, eventTimezone, eventEndTimezone, rrule, rdate, exdate, exrule, eventStatus, availability, organizer, uid2445, hasAlarm; no _id, no calendar_id
	Reminders  []map[string]string // minutes, method (1 alert, 2 email)
	Attendees  []map[string]string // attendeeName, attendeeEmail, attendeeRelationship, attendeeType, attendeeStatus
	Exceptions []Event             // Values also carry originalInstanceTime (ms UTC) and originalAllDay; the caller sets original_id
}

// ignoredProps are read or volatile properties that Skipped does not name.
var ignoredProps = map[string]bool{
	"UID": true, "DTSTAMP": true, "DTSTART": true, "DTEND": true, "DURATION": true, "SUMMARY": true,
	"DESCRIPTION": true, "LOCATION": true, "RRULE": true, "RDATE": true, "EXDATE": true, "EXRULE": true,
	"RECURRENCE-ID": true, "STATUS": true, "TRANSP": true, "ORGANIZER": true, "ATTENDEE": true,
	"CREATED": true, "LAST-MODIFIED": true, "SEQUENCE": true,
}

// FromICalendar reads every VEVENT of an iCalendar file (VTIMEZONEs resolved; TZIDs that are IANA names kept as
// eventTimezone, others mapped by their offsets when possible, else UTC: say so in Skipped), all-day DATE values as
// allDay=1 with dtstart at UTC midnight and eventTimezone UTC as the provider requires, RRULE/RDATE/EXDATE into the
// provider's columns (exdate comma-separated as the renderer reads it), VALARM with a relative TRIGGER into reminders
// (minutes before start; ACTION:EMAIL method 2, else 1), ATTENDEE/ORGANIZER, STATUS, TRANSP.
// VTODOs are not events: counted in Todos, not returned. Skipped names what was left out (property names only).
//
// Also: ACTION:AUDIO is method 4 (alarm), as the renderer writes it. A
// VEVENT without DTSTART is left out ("VEVENT" in skipped). A cancelled
// exception (STATUS:CANCELLED) is an exdate instant of its master, as the
// renderer writes it. An exception whose master is not in the file comes
// back as an event of its own, or not at all when cancelled
// ("RECURRENCE-ID" in skipped). A one-off without DTEND or DURATION gets
// dtend = dtstart (a day later for all-day), since the provider needs one.
// Floating times (no Z, no TZID) are read in the file's X-WR-TIMEZONE when
// that is an IANA name, else in UTC.
// Series and one-offs come in file order, then exceptions whose master is
// missing; err is always nil today (the reader is tolerant) and is kept
// for callers.
func FromICalendar(data []byte) (events []Event, todos int, skipped []string, err error) {
	root := parseICS(data)
	f := &fromICS{zones: newResolver(root), skipped: map[string]bool{}, floating: time.UTC}
	for _, c := range root.children {
		if p, ok := c.first("X-WR-TIMEZONE"); ok && c.name == "VCALENDAR" {
			if loc, ok := ianaZone(p.value); ok {
				f.floating = loc
			}
			break
		}
	}
	var vevents []*icsComp
	var walk func(c *icsComp)
	walk = func(c *icsComp) {
		for _, ch := range c.children {
			switch ch.name {
			case "VEVENT":
				vevents = append(vevents, ch)
			case "VTODO":
				todos++
			case "VCALENDAR":
				walk(ch)
			case "VTIMEZONE":
			default:
				f.skip(ch.name)
			}
		}
	}
	walk(root)
	masters := map[string]int{} // UID -> index in events
	var excs []*icsComp
	for _, c := range vevents {
		if _, ok := c.first("RECURRENCE-ID"); ok {
			excs = append(excs, c)
			continue
		}
		ev, ok := f.event(c, false)
		if !ok {
			continue
		}
		if u := ev.Values["uid2445"]; u != "" {
			if _, dup := masters[u]; !dup {
				masters[u] = len(events)
			}
		}
		events = append(events, ev)
	}
	for _, c := range excs {
		u, _ := c.first("UID")
		i, ok := masters[strings.TrimSpace(unescapeText(u.value))]
		ev, good := f.event(c, ok)
		if !good {
			continue
		}
		switch {
		case !ok:
			f.skip("RECURRENCE-ID")
			if ev.Values["eventStatus"] != "2" {
				events = append(events, ev)
			}
		case ev.Values["eventStatus"] == "2":
			foldCancelled(events[i].Values, c, f)
		default:
			events[i].Exceptions = append(events[i].Exceptions, ev)
		}
	}
	for s := range f.skipped {
		skipped = append(skipped, s)
	}
	sort.Strings(skipped)
	return events, todos, skipped, nil
}

// foldCancelled adds the RECURRENCE-ID of a cancelled exception to its
// master's exdate, as the renderer writes cancelled exceptions and as
// PhoneSignatures reads them (so a restored series has the signature of
// its rows on the phone).
func foldCancelled(master map[string]string, c *icsComp, f *fromICS) {
	p, _ := c.first("RECURRENCE-ID")
	t, ok := f.instantOf(p)
	if !ok {
		return
	}
	v := time.UnixMilli(t.ms).UTC().Format(utcLayout)
	if ex := master["exdate"]; ex != "" {
		v = ex + "\n" + v
	}
	master["exdate"] = v
}

// fromICS holds the state of one file's reading.
type fromICS struct {
	zones    *resolver
	skipped  map[string]bool
	floating *time.Location // floating times: X-WR-TIMEZONE (Google, Apple) when an IANA name, else UTC
}

func (f *fromICS) skip(name string) {
	if name != "" && len(f.skipped) < 100 {
		f.skipped[name] = true
	}
}

// instant is a parsed date or date-time.
type instant struct {
	ms     int64
	allDay bool
	zone   string // eventTimezone for it: IANA name or "UTC"
	tzid   string // the TZID as written, "" for UTC or floating
}

// instantOf parses a DATE or DATE-TIME property value (the first, if a list).
func (f *fromICS) instantOf(p icsProp) (instant, bool) {
	v := strings.TrimSpace(strings.SplitN(p.value, ",", 2)[0])
	return f.parseTime(v, p.param("TZID"), strings.EqualFold(p.param("VALUE"), "DATE"))
}

func (f *fromICS) parseTime(v, tzid string, isDate bool) (instant, bool) {
	if isDate || len(v) == 8 {
		if len(v) < 8 {
			return instant{}, false
		}
		t, err := time.ParseInLocation(dateLayout, v[:8], time.UTC)
		return instant{ms: t.UnixMilli(), allDay: true, zone: "UTC"}, err == nil
	}
	if strings.HasSuffix(v, "Z") {
		t, err := time.ParseInLocation(utcLayout, v, time.UTC)
		return instant{ms: t.UnixMilli(), zone: "UTC"}, err == nil
	}
	if tzid == "" { // floating: in the calendar's X-WR-TIMEZONE, else UTC
		t, err := time.ParseInLocation(localLayout, v, f.floating)
		return instant{ms: t.UnixMilli(), zone: f.floating.String()}, err == nil
	}
	year := 2000
	if len(v) >= 4 {
		if y, err := strconv.Atoi(v[:4]); err == nil {
			year = y
		}
	}
	z := f.zones.resolve(tzid, year)
	if !z.exact {
		f.skip("TZID")
	}
	t, err := time.ParseInLocation(localLayout, v, z.at(v))
	return instant{ms: t.UnixMilli(), zone: z.name, tzid: tzid}, err == nil
}

// event maps one VEVENT. exception: it is an exception of a master in the
// file (no uid2445; originalInstanceTime and originalAllDay set).
func (f *fromICS) event(c *icsComp, exception bool) (Event, bool) {
	sp, ok := c.first("DTSTART")
	start, ok2 := f.instantOf(sp)
	if !ok || !ok2 {
		f.skip("VEVENT")
		return Event{}, false
	}
	v := map[string]string{"dtstart": strconv.FormatInt(start.ms, 10), "eventTimezone": start.zone, "allDay": "0"}
	if start.allDay {
		v["allDay"] = "1"
	}
	if u, ok := c.first("UID"); ok && !exception {
		if s := strings.TrimSpace(unescapeText(u.value)); s != "" {
			v["uid2445"] = s
		}
	}
	for _, t := range [...]struct{ prop, col string }{{"SUMMARY", "title"}, {"DESCRIPTION", "description"}, {"LOCATION", "eventLocation"}} {
		if p, ok := c.first(t.prop); ok && p.value != "" {
			v[t.col] = unescapeText(p.value)
		}
	}
	f.recurrence(c, v, start)
	f.end(c, v, start)
	if p, ok := c.first("RECURRENCE-ID"); ok && exception {
		if t, ok := f.instantOf(p); ok {
			v["originalInstanceTime"] = strconv.FormatInt(t.ms, 10)
			v["originalAllDay"] = "0"
			if t.allDay {
				v["originalAllDay"] = "1"
			}
		}
	}
	if p, ok := c.first("STATUS"); ok {
		if s, ok := map[string]string{"TENTATIVE": "0", "CONFIRMED": "1", "CANCELLED": "2"}[strings.ToUpper(strings.TrimSpace(p.value))]; ok {
			v["eventStatus"] = s
		}
	}
	if p, ok := c.first("TRANSP"); ok {
		if s, ok := map[string]string{"OPAQUE": "0", "TRANSPARENT": "1"}[strings.ToUpper(strings.TrimSpace(p.value))]; ok {
			v["availability"] = s
		}
	}
	ev := Event{Values: v}
	f.people(c, &ev)
	f.alarms(c, &ev, start)
	if len(ev.Reminders) > 0 {
		v["hasAlarm"] = "1"
	}
	for _, p := range c.props {
		if !ignoredProps[p.name] {
			f.skip(p.name)
		}
	}
	return ev, true
}

// recurrence fills rrule, exrule, rdate and exdate.
func (f *fromICS) recurrence(c *icsComp, v map[string]string, start instant) {
	for _, t := range [...]struct{ prop, col string }{{"RRULE", "rrule"}, {"EXRULE", "exrule"}} {
		if p, ok := c.first(t.prop); ok && strings.TrimSpace(p.value) != "" {
			v[t.col] = strings.TrimSpace(p.value)
		}
	}
	for _, t := range [...]struct{ prop, col string }{{"RDATE", "rdate"}, {"EXDATE", "exdate"}} {
		var sets []string
		for _, p := range c.all(t.prop) {
			if s := f.recurSet(p, start); s != "" {
				sets = append(sets, s)
			}
		}
		if len(sets) > 0 {
			v[t.col] = strings.Join(sets, "\n")
		}
	}
}

// recurSet writes one RDATE/EXDATE property as "[TZID;]v,v": values with
// a TZID keep it (resolved to its IANA name; unresolved ones are written in
// UTC), DATE values of an all-day event become UTC midnight
// ("20250113T000000Z", as the provider stores them). PERIOD values are
// left out ("RDATE" in skipped).
func (f *fromICS) recurSet(p icsProp, start instant) string {
	tzid := p.param("TZID")
	var vals []string
	zone := ""
	for _, raw := range strings.Split(p.value, ",") {
		raw = strings.TrimSpace(raw)
		if strings.Contains(raw, "/") || !validSetValue(raw) {
			f.skip(p.name)
			continue
		}
		t, ok := f.parseTime(raw, tzid, strings.EqualFold(p.param("VALUE"), "DATE"))
		switch {
		case !ok:
			f.skip(p.name)
		case t.allDay && start.allDay:
			vals = append(vals, raw[:8]+"T000000Z")
		case t.allDay:
			vals = append(vals, raw[:8])
		case t.tzid != "" && t.zone != "UTC":
			zone = t.zone
			vals = append(vals, time.UnixMilli(t.ms).In(mustZone(t.zone)).Format(localLayout))
		default:
			vals = append(vals, time.UnixMilli(t.ms).UTC().Format(utcLayout))
		}
	}
	if len(vals) == 0 {
		return ""
	}
	if zone != "" {
		return zone + ";" + strings.Join(vals, ",")
	}
	return strings.Join(vals, ",")
}

func mustZone(name string) *time.Location {
	if loc, ok := ianaZone(name); ok {
		return loc
	}
	return time.UTC
}

// end fills dtend (one-off) or duration (recurring, or DURATION given).
func (f *fromICS) end(c *icsComp, v map[string]string, start instant) {
	var length int64 // seconds
	have := false
	if p, ok := c.first("DTEND"); ok {
		if e, ok := f.instantOf(p); ok && e.ms >= start.ms {
			length, have = (e.ms-start.ms)/1000, true
			if !start.allDay && e.zone != start.zone {
				v["eventEndTimezone"] = e.zone
			}
		}
	}
	if p, ok := c.first("DURATION"); ok && !have {
		if d, ok := parseDuration(p.value); ok && d >= 0 {
			length, have = d, true
		}
	}
	if !have && start.allDay {
		length = 86400
	}
	if isRecurring(v) {
		if start.allDay && length%86400 == 0 {
			v["duration"] = "P" + strconv.FormatInt(length/86400, 10) + "D"
		} else {
			v["duration"] = "P" + strconv.FormatInt(length, 10) + "S"
		}
		delete(v, "eventEndTimezone")
		return
	}
	v["dtend"] = strconv.FormatInt(start.ms+length*1000, 10)
}
