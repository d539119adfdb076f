package calendar

import "strings"

// Organizer and attendees. ORGANIZER is the event's organizer column (an
// email address), with the name of the attendee row of that address.
// Each attendee row is an ATTENDEE: attendeeType 1/2/3 are ROLE
// REQ-PARTICIPANT, OPT-PARTICIPANT and CUTYPE=RESOURCE; relationship 2
// (organizer) is ROLE=CHAIR; attendeeStatus 1..4 are PARTSTAT ACCEPTED,
// DECLINED, NEEDS-ACTION, TENTATIVE (0, none, is left out). A row with no
// email is written with the value "invalid:nomail", as Thunderbird does.

var (
	roles    = map[string]string{"1": "REQ-PARTICIPANT", "2": "OPT-PARTICIPANT", "3": "NON-PARTICIPANT"}
	partstat = map[string]string{"1": "ACCEPTED", "2": "DECLINED", "3": "NEEDS-ACTION", "4": "TENTATIVE"}
)

func (r *renderer) writePeople(l *lines, ev map[string]string) {
	atts := r.attendees[ev["_id"]]
	if org := ev["organizer"]; org != "" {
		name := "ORGANIZER"
		for _, a := range atts {
			if strings.EqualFold(a["attendeeEmail"], org) && a["attendeeName"] != "" {
				name += ";CN=" + paramValue(a["attendeeName"])
				break
			}
		}
		l.add(name, "mailto:"+propValue(org))
	}
	for _, a := range atts {
		email, cn := a["attendeeEmail"], a["attendeeName"]
		if email == "" && cn == "" {
			continue
		}
		name := "ATTENDEE"
		if cn != "" {
			name += ";CN=" + paramValue(cn)
		}
		switch {
		case a["attendeeRelationship"] == "2":
			name += ";ROLE=CHAIR"
		case roles[a["attendeeType"]] != "":
			name += ";ROLE=" + roles[a["attendeeType"]]
		}
		if a["attendeeType"] == "3" {
			name += ";CUTYPE=RESOURCE"
		}
		if s := partstat[a["attendeeStatus"]]; s != "" {
			name += ";PARTSTAT=" + s
		}
		value := "invalid:nomail"
		if email != "" {
			value = "mailto:" + propValue(email)
		}
		l.add(name, value)
	}
}
