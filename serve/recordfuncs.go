package serve

import (
	"strings"
	"time"
	"unicode"

	"github.com/lifeboat-backup/lifeboat/pim/recur"
	"github.com/lifeboat-backup/lifeboat/serve/records"
)

// initials are the first letters of a name's first and last words
// ("José Álvarez" → "JÁ"), "?" for none.
func initials(name string) string {
	var out []rune
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		if i == 0 || i == len(words)-1 {
			out = append(out, unicode.ToUpper([]rune(w)[0]))
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// fieldTitles are the names people read for vCard and iCalendar
// properties.
var fieldTitles = map[string]string{
	"FN": "Name", "N": "Full name", "NICKNAME": "Nickname", "ORG": "Organisation", "TITLE": "Job title", "ROLE": "Role",
	"TEL": "Phone", "EMAIL": "E-mail", "ADR": "Address", "URL": "Web", "BDAY": "Birthday", "ANNIVERSARY": "Anniversary",
	"NOTE": "Note", "CATEGORIES": "Groups", "PHOTO": "Picture", "UID": "UID", "REV": "Revised", "VERSION": "vCard version",
	"IMPP": "Messaging", "X-SOCIALPROFILE": "Profile", "GENDER": "Gender", "LANG": "Language", "TZ": "Time zone", "GEO": "Location",
	"SUMMARY": "Title", "LOCATION": "Place", "DESCRIPTION": "Notes", "DTSTART": "Starts", "DTEND": "Ends", "DURATION": "Lasts",
	"RRULE": "Repeats", "EXDATE": "Except on", "RDATE": "Also on", "STATUS": "Status", "ORGANIZER": "Organiser",
	"ATTENDEE": "Attendee", "DTSTAMP": "Stamped", "CREATED": "Created", "LAST-MODIFIED": "Modified", "SEQUENCE": "Sequence",
	"TRANSP": "Shown as", "CLASS": "Class", "PRIORITY": "Priority", "DUE": "Due", "COMPLETED": "Completed",
	"RECURRENCE-ID": "Instance", "VALARM.TRIGGER": "Alarm", "VALARM.ACTION": "Alarm action", "VALARM.DESCRIPTION": "Alarm text",
}

// fieldTitle is a property's name for people, with the property itself
// when it has none ("X-FOO").
func fieldTitle(name string) string {
	if t, ok := fieldTitles[name]; ok {
		return t
	}
	if rest, ok := strings.CutPrefix(name, "exception "); ok {
		return "Moved instance " + rest
	}
	return name
}

// hideField is a property a card does not list: the structure of the
// file rather than its content.
func hideField(name string) bool {
	return name == "BEGIN" || name == "END" || name == "PRODID"
}

// opClass is the colour class of a history step's operation.
func opClass(op string) string {
	switch op {
	case "appeared":
		return "added"
	case "vanished":
		return "removed"
	}
	return op
}

// technical are the properties a card lists last, muted: the file's
// bookkeeping rather than the person or the event.
var technical = map[string]bool{"VERSION": true, "UID": true, "REV": true, "PRODID": true, "DTSTAMP": true, "SEQUENCE": true,
	"CREATED": true, "LAST-MODIFIED": true, "X-ABUID": true, "PHOTO": true}

// shownFields is a record's fields in the order a card lists them: what
// people read first, in the file's order, then the bookkeeping.
func shownFields(fs []records.Field) []shownField {
	var out, tail []shownField
	for _, f := range fs {
		if hideField(f.Name) {
			continue
		}
		sf := shownField{Field: f, Technical: technical[f.Name], Params: extraParams(f.Params)}
		if dateFields[f.Name] {
			if pretty := prettyTimes(f.Value, f.Params); pretty != "" {
				sf.Value, sf.Params = pretty, strings.TrimSpace(f.Value+" "+sf.Params)
			}
		}
		if sf.Technical {
			tail = append(tail, sf)
		} else {
			out = append(out, sf)
		}
	}
	return append(out, tail...)
}

// shownField is a field as a card shows it.
type shownField struct {
	records.Field
	Technical bool
	// Params are the parameters the label does not already say.
	Params string
}

// extraParams drops TYPE from a field's parameters (its label shows it).
func extraParams(params string) string {
	var keep []string
	for _, p := range strings.Split(params, ";") {
		if p != "" && !strings.HasPrefix(strings.ToUpper(p), "TYPE=") {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, ";")
}

// dateFields are the iCalendar properties whose values are dates or
// times.
var dateFields = map[string]bool{"DTSTART": true, "DTEND": true, "DUE": true, "COMPLETED": true, "EXDATE": true, "RDATE": true,
	"RECURRENCE-ID": true, "DTSTAMP": true, "CREATED": true, "LAST-MODIFIED": true}

// prettyTimes writes a date or time list as people read it ("Tue 17 Mar
// 2026 19:30"), times in their own zone; "" if a value does not parse.
func prettyTimes(value, params string) string {
	tzid := ""
	for _, p := range strings.Split(params, ";") {
		if v, ok := strings.CutPrefix(p, "TZID="); ok {
			tzid = v
		}
	}
	vals, err := recur.ParseList(value, tzid, time.UTC, 50)
	if err != nil || len(vals) == 0 {
		return ""
	}
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		switch v.Kind {
		case recur.Date:
			out = append(out, v.T.Format("Mon 2 Jan 2006"))
		case recur.UTC:
			out = append(out, v.T.Format("Mon 2 Jan 2006 15:04")+" UTC")
		default:
			out = append(out, v.T.Format("Mon 2 Jan 2006 15:04"))
		}
	}
	return strings.Join(out, ", ")
}
