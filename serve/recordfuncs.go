package serve

import (
	"strings"
	"unicode"
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
