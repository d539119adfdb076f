package calendar

import (
	"strconv"
	"strings"
)

// people maps ORGANIZER to the organizer column and each ATTENDEE to an
// attendees row, the inverse of writePeople: ROLE=CHAIR is relationship 2
// (organizer) with type 1; REQ-PARTICIPANT, OPT-PARTICIPANT and
// NON-PARTICIPANT are types 1, 2, 3 with relationship 1 (attendee);
// CUTYPE=RESOURCE or ROOM is type 3; PARTSTAT ACCEPTED, DECLINED,
// NEEDS-ACTION, TENTATIVE are statuses 1..4. What an ATTENDEE does not say
// is left out of its row, for the provider's defaults. A value that is not
// mailto: (Thunderbird's "invalid:nomail") gives no email.
func (f *fromICS) people(c *icsComp, ev *Event) {
	if p, ok := c.first("ORGANIZER"); ok {
		if e := mailto(p.value); e != "" {
			ev.Values["organizer"] = e
		} else {
			f.skip("ORGANIZER")
		}
	}
	for _, p := range c.all("ATTENDEE") {
		a := map[string]string{}
		if cn := p.param("CN"); cn != "" {
			a["attendeeName"] = cn
		}
		if e := mailto(p.value); e != "" {
			a["attendeeEmail"] = e
		}
		if len(a) == 0 {
			f.skip("ATTENDEE")
			continue
		}
		switch role := strings.ToUpper(p.param("ROLE")); role {
		case "CHAIR":
			a["attendeeRelationship"], a["attendeeType"] = "2", "1"
		case "REQ-PARTICIPANT", "OPT-PARTICIPANT", "NON-PARTICIPANT":
			a["attendeeRelationship"] = "1"
			a["attendeeType"] = map[string]string{"REQ-PARTICIPANT": "1", "OPT-PARTICIPANT": "2", "NON-PARTICIPANT": "3"}[role]
		}
		switch strings.ToUpper(p.param("CUTYPE")) {
		case "RESOURCE", "ROOM":
			a["attendeeType"] = "3"
		}
		if s, ok := map[string]string{"ACCEPTED": "1", "DECLINED": "2", "NEEDS-ACTION": "3", "TENTATIVE": "4"}[strings.ToUpper(p.param("PARTSTAT"))]; ok {
			a["attendeeStatus"] = s
		}
		ev.Attendees = append(ev.Attendees, a)
	}
}

// mailto returns the address of a mailto: URI, "" for any other value.
func mailto(v string) string {
	v = strings.TrimSpace(v)
	if len(v) < 7 || !strings.EqualFold(v[:7], "mailto:") {
		return ""
	}
	return strings.TrimSpace(v[7:])
}

// alarms maps each VALARM with a relative TRIGGER to a reminder: minutes
// before the start (RELATED=END counts from the event's end), rounded
// up; ACTION:EMAIL is method 2, AUDIO 4 (alarm, as the renderer writes
// it), others 1 (alert). A TRIGGER at a date-time, after the start, or
// unreadable is left out ("VALARM" in skipped), as are duplicates.
func (f *fromICS) alarms(c *icsComp, ev *Event, start instant) {
	seen := map[string]bool{}
	for _, a := range c.children {
		if a.name != "VALARM" {
			if a.name != "" {
				f.skip(a.name)
			}
			continue
		}
		p, ok := a.first("TRIGGER")
		if !ok || strings.EqualFold(p.param("VALUE"), "DATE-TIME") {
			f.skip("VALARM")
			continue
		}
		secs, ok := parseDuration(p.value)
		if ok && strings.EqualFold(p.param("RELATED"), "END") {
			secs += eventLength(ev.Values, start)
		}
		if !ok || secs > 0 {
			f.skip("VALARM")
			continue
		}
		minutes := (-secs + 59) / 60
		method := "1"
		if act, ok := a.first("ACTION"); ok {
			switch strings.ToUpper(strings.TrimSpace(act.value)) {
			case "EMAIL":
				method = "2"
			case "AUDIO":
				method = "4"
			}
		}
		key := strconv.FormatInt(minutes, 10) + "/" + method
		if seen[key] || minutes > 1<<31 {
			continue
		}
		seen[key] = true
		ev.Reminders = append(ev.Reminders, map[string]string{"minutes": strconv.FormatInt(minutes, 10), "method": method})
	}
}

// eventLength is the event's length in seconds from its dtend or duration.
func eventLength(v map[string]string, start instant) int64 {
	if e, ok := millis(v, "dtend"); ok {
		return (e - start.ms) / 1000
	}
	d, _ := parseDuration(v["duration"])
	return d
}
