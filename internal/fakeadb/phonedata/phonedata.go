// Package phonedata is a phone's worth of fixture data for the fake phone
// in internal/fakeadb: the Contacts and Calendar providers' tables as a
// phone has them (Provider), what a reader of lifeboat's export must find
// in them (Want), and photo trees (Photos, Sparse).
//
// The rows are hostile where a real phone's can be: values hold commas,
// '=', ';', newlines, quotes and non-Latin scripts, many columns are NULL,
// one raw contact is deleted, an event is deleted, and one note holds
// ", data2=" text, which `content query` output cannot tell from a column
// separator (content.Parse cuts it there: the format's one ambiguity; Want
// leaves notes out).
package phonedata

import (
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
)

// The URIs Provider serves.
const (
	RawContactsURI = "content://com.android.contacts/raw_contacts"
	DataURI        = "content://com.android.contacts/data"
	GroupsURI      = "content://com.android.contacts/groups"
	CalendarsURI   = "content://com.android.calendar/calendars"
	EventsURI      = "content://com.android.calendar/events"
	RemindersURI   = "content://com.android.calendar/reminders"
	AttendeesURI   = "content://com.android.calendar/attendees"
)

// Provider returns new tables for the seven URIs above; each call gives
// its own copy, so a phone's inserts do not reach another's.
func Provider() fakeadb.Provider {
	raw, data := contactTables()
	cals, events, rems, atts := calendarTables()
	return fakeadb.Provider{
		RawContactsURI: raw,
		DataURI:        data,
		GroupsURI:      groupTable(),
		CalendarsURI:   cals,
		EventsURI:      events,
		RemindersURI:   rems,
		AttendeesURI:   atts,
	}
}

// Want is what the fixture holds, for comparing with what a reader of
// lifeboat's export (Python's vobject and icalendar) finds.
type Want struct {
	Contacts []Contact // live raw contacts, by _id
	Events   []Event   // events not deleted, by _id
}

// Contact is one live raw contact as its card must show it.
type Contact struct {
	RawID    int64
	Account  string   // account_name, "" for the phone's local account
	Name     string   // the display name (vCard FN)
	Phones   []string // data1 of its phone rows, by _id
	Emails   []string // data1 of its email rows, by _id
	Birthday string   // data1 of its birthday row ("1815-12-10", "--03-17"), "" for none
}

// Event is one event row as its VEVENT must show it.
type Event struct {
	ID         int64
	CalendarID int64
	Title      string    // "" for a NULL title
	Start      time.Time // dtstart; for an all-day event midnight UTC of its date
	AllDay     bool
	RRule      string // "" for none
	// OriginalID is the master's _id for an exception (a RECURRENCE-ID
	// instance), 0 otherwise; Cancelled marks a cancelled instance, which
	// becomes an EXDATE of its master rather than a VEVENT.
	OriginalID int64
	Cancelled  bool
}

// Expected returns the Want of the rows Provider serves.
func Expected() Want {
	return Want{Contacts: wantContacts(), Events: wantEvents()}
}
