package calendar

import (
	"fmt"
	"strconv"
)

// Exceptions. A row with original_id and originalInstanceTime is an
// exception of the series whose _id is original_id: it is written as a
// VEVENT with the master's UID and a RECURRENCE-ID in the master's timing
// (a DATE for an all-day master). A cancelled exception (eventStatus 2) is
// written as an EXDATE of the master instead; when the master is not among
// the rows, as a VEVENT with STATUS:CANCELLED and its RECURRENCE-ID.

// series writes an event and, for a master, its exceptions after it.
func (r *renderer) series(l *lines, zs zones, cal, ev map[string]string) error {
	exs := r.exceptions[ev["_id"]]
	var cancelled []int64
	var live []map[string]string
	for _, x := range exs {
		if t, ok := millis(x, "originalInstanceTime"); ok && x["eventStatus"] == "2" {
			cancelled = append(cancelled, t)
			continue
		}
		live = append(live, x)
	}
	if err := r.event(l, zs, cal, ev, nil, cancelled); err != nil {
		return err
	}
	for _, x := range live {
		if err := r.event(l, zs, cal, x, ev, nil); err != nil {
			return err
		}
	}
	return nil
}

// timingOf is how an event's start is written.
func timingOf(ev map[string]string) timing {
	if ev["allDay"] == "1" {
		return timing{allDay: true}
	}
	tzid, loc := zoneOf(ev["eventTimezone"])
	return timing{tzid: tzid, loc: loc}
}

// event writes one VEVENT. master is the series' master for an exception
// (nil otherwise, or when the master is missing); cancelled are the
// instants of the master's cancelled exceptions.
func (r *renderer) event(l *lines, zs zones, cal, ev, master map[string]string, cancelled []int64) error {
	start, ok := millis(ev, "dtstart")
	if !ok {
		return fmt.Errorf("event %s: no readable dtstart", ev["_id"])
	}
	st := timingOf(ev)
	l.add("BEGIN", "VEVENT")
	isException := ev["original_id"] != "" && ev["originalInstanceTime"] != ""
	switch {
	case master != nil:
		l.add("UID", escapeText(uid(cal, master)))
	case isException:
		l.add("UID", escapeText(derivedUID(cal, ev["original_id"])))
	default:
		l.add("UID", escapeText(uid(cal, ev)))
	}
	// No modification time is among the rows: DTSTAMP is the start, so the
	// bytes stay the same for the same rows.
	l.add("DTSTAMP", timing{}.value(start))
	zs.use(st, start)
	l.add(st.prop("DTSTART", start))
	writeEnd(l, zs, ev, st, start)
	if isException {
		if t, ok := millis(ev, "originalInstanceTime"); ok {
			mt := instanceTiming(ev, master)
			zs.use(mt, t)
			l.add(mt.prop("RECURRENCE-ID", t))
		}
	}
	writeRecurrence(l, zs, ev, st, cancelled)
	writeText(l, ev)
	r.writePeople(l, ev)
	r.writeAlarms(l, ev)
	l.add("END", "VEVENT")
	return nil
}

// instanceTiming is the timing of the master's instances, for
// RECURRENCE-ID: the master's own, or from originalAllDay and the
// exception's zone when the master is missing.
func instanceTiming(ev, master map[string]string) timing {
	if master != nil {
		return timingOf(master)
	}
	if ev["originalAllDay"] == "1" {
		return timing{allDay: true}
	}
	tzid, loc := zoneOf(ev["eventTimezone"])
	return timing{tzid: tzid, loc: loc}
}

func isRecurring(ev map[string]string) bool { return ev["rrule"] != "" || ev["rdate"] != "" }

// writeEnd writes DURATION for a recurring master (or an event with no
// dtend), DTEND otherwise. An all-day end is at least a day after the start.
func writeEnd(l *lines, zs zones, ev map[string]string, st timing, start int64) {
	end, hasEnd := millis(ev, "dtend")
	dur, hasDur := parseDuration(ev["duration"])
	if isRecurring(ev) || !hasEnd {
		if !hasDur && hasEnd && end >= start {
			dur, hasDur = (end-start)/1000, true
		}
		if hasDur && dur >= 0 {
			l.add("DURATION", formatDuration(dur))
		}
		return
	}
	if st.allDay {
		if end < start+86400000 {
			end = start + 86400000
		}
		l.add(st.prop("DTEND", end))
		return
	}
	if end < start {
		return
	}
	et := st
	if tzid, loc := zoneOf(ev["eventEndTimezone"]); ev["eventEndTimezone"] != "" {
		et = timing{tzid: tzid, loc: loc}
	}
	zs.use(et, end)
	l.add(et.prop("DTEND", end))
}

// writeRecurrence writes RRULE, RDATE, EXRULE and EXDATE.
func writeRecurrence(l *lines, zs zones, ev map[string]string, st timing, cancelled []int64) {
	if v := ev["rrule"]; v != "" {
		l.add("RRULE", propValue(v))
	}
	for _, p := range recurSets(ev["rdate"], st.allDay, zs) {
		l.add("RDATE"+p.params, p.value)
	}
	if v := ev["exrule"]; v != "" {
		l.add("EXRULE", propValue(v))
	}
	for _, p := range recurSets(ev["exdate"], st.allDay, zs) {
		l.add("EXDATE"+p.params, p.value)
	}
	if len(cancelled) > 0 {
		for _, t := range cancelled {
			zs.use(st, t)
		}
		l.add(st.prop("EXDATE", cancelled...))
	}
}

// writeText writes SUMMARY, DESCRIPTION, LOCATION, STATUS and TRANSP.
func writeText(l *lines, ev map[string]string) {
	for _, p := range [...]struct{ name, col string }{
		{"SUMMARY", "title"}, {"DESCRIPTION", "description"}, {"LOCATION", "eventLocation"},
	} {
		if v := ev[p.col]; v != "" {
			l.add(p.name, escapeText(v))
		}
	}
	if s, ok := map[string]string{"0": "TENTATIVE", "1": "CONFIRMED", "2": "CANCELLED"}[ev["eventStatus"]]; ok {
		l.add("STATUS", s)
	}
	if t, ok := map[string]string{"0": "OPAQUE", "1": "TRANSPARENT", "2": "OPAQUE"}[ev["availability"]]; ok {
		l.add("TRANSP", t)
	}
}

// writeAlarms writes a VALARM per reminder: TRIGGER:-PTnM before the
// start. Methods: email (2) is ACTION:EMAIL to the organizer when there is
// one, alarm (4) is AUDIO, the others (default, alert, SMS) DISPLAY.
// Minutes below 0 (the provider's "use the default") are left out.
func (r *renderer) writeAlarms(l *lines, ev map[string]string) {
	for _, rem := range r.reminders[ev["_id"]] {
		m, err := strconv.Atoi(rem["minutes"])
		if err != nil || m < 0 {
			continue
		}
		desc := escapeText(ev["title"])
		if desc == "" {
			desc = "Reminder"
		}
		l.add("BEGIN", "VALARM")
		l.add("TRIGGER", fmt.Sprintf("-PT%dM", m))
		switch {
		case rem["method"] == "2" && ev["organizer"] != "":
			l.add("ACTION", "EMAIL")
			l.add("SUMMARY", desc)
			l.add("DESCRIPTION", desc)
			l.add("ATTENDEE", "mailto:"+propValue(ev["organizer"]))
		case rem["method"] == "4":
			l.add("ACTION", "AUDIO")
		default:
			l.add("ACTION", "DISPLAY")
			l.add("DESCRIPTION", desc)
		}
		l.add("END", "VALARM")
	}
}
