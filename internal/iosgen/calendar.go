package iosgen

import (
	"database/sql"
	"fmt"
	"time"
)

// Calendars and reminders. CalendarFiles writes Calendar.sqlitedb (HomeDomain
// Library/Calendar/Calendar.sqlitedb) to the schema iLEAPP's calendarAll.py
// reads (Store, Calendar, CalendarItem, Recurrence, ExceptionDate, Alarm,
// Participant, Identity, Location, Attachment, Sharee), and one Reminders
// store as iOS 16 and later keep it (HomeDomain
// Library/Reminders/Container_v1/Stores/Data-<UUID>.sqlite: ZREMCDREMINDER
// and ZREMCDBASELIST). Times are seconds since 2001-01-01 UTC; an all-day
// event is floating ("_float") from UTC midnight to 23:59:59 of its last day.

// CalendarPath is where Calendar.sqlitedb lies in HomeDomain.
const CalendarPath = "Library/Calendar/Calendar.sqlitedb"

// RemindersPath is where the Reminders store CalendarFiles writes lies in
// HomeDomain.
const RemindersPath = "Library/Reminders/Container_v1/Stores/Data-6F1C2B9E-8A44-4C7E-9B1D-3A5E7C9D0F12.sqlite"

// CalendarData is what CalendarFiles writes.
type CalendarData struct {
	Calendars []Calendar
	Lists     []ReminderList
}

// Calendar is one calendar and its events.
type Calendar struct {
	Title, UUID, Color string // Color is "#RRGGBB"
	Events             []CalEvent
}

// CalEvent is one event (a series when Freq is set).
type CalEvent struct {
	UID, Title, Location, Notes string
	// Start and End (exclusive); an all-day event's are UTC midnights.
	Start, End time.Time
	AllDay     bool
	TZ         string // the zone of a timed event
	// Freq (1 daily .. 4 yearly), Interval, Count or Until, and Specifier
	// are the Recurrence row; RRule is the iCalendar rule they mean, for
	// tests to compare.
	Freq, Interval, Count int
	Until                 time.Time
	Specifier, RRule      string
	ExDates               []time.Time // cancelled instances' starts
	Moved                 []Moved     // detached instances
	Alarms                []time.Duration
	Organizer             string // an email address
	Attendees             []Attendee
}

// Moved is a detached instance of a series: the instance that started at
// Orig starts at Start instead.
type Moved struct {
	Orig, Start, End time.Time
	Title            string
}

// Attendee is one Participant row: Status is EKParticipantStatus (1
// accepted, 2 declined, 3 tentative, 7 pending), Role EKParticipantRole
// (1 required, 2 optional).
type Attendee struct {
	Name, Email  string
	Status, Role int
}

// ReminderList is one list of the Reminders store.
type ReminderList struct {
	Title, UUID string
	Items       []Reminder
}

// Reminder is one to-do. A zero Due or Completed is none.
type Reminder struct {
	UID, Title, Notes string
	Due               time.Time
	DueAllDay         bool
	Completed         time.Time
	Priority          int // 0 none, 1 high, 5 medium, 9 low
}

// CalendarFiles are Calendar.sqlitedb and the Reminders store holding d.
func CalendarFiles(d CalendarData) ([]File, error) {
	cal, err := sqliteBytes(calendarSchema, func(tx *sql.Tx) error { return fillCalendar(tx, d.Calendars) })
	if err != nil {
		return nil, fmt.Errorf("Calendar.sqlitedb: %w", err)
	}
	rem, err := sqliteBytes(remindersSchema, func(tx *sql.Tx) error { return fillReminders(tx, d.Lists) })
	if err != nil {
		return nil, fmt.Errorf("Reminders store: %w", err)
	}
	return []File{
		{Domain: "HomeDomain", RelativePath: CalendarPath, Data: cal},
		{Domain: "HomeDomain", RelativePath: RemindersPath, Data: rem},
	}, nil
}

// AppleTime is t as seconds since 2001-01-01 UTC.
func AppleTime(t time.Time) float64 {
	return float64(t.UnixMilli()-time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()) / 1000
}

const calendarSchema = `
CREATE TABLE Store (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, type INTEGER);
CREATE TABLE Identity (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, display_name TEXT, address TEXT, first_name TEXT, last_name TEXT);
CREATE TABLE Calendar (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, store_id INTEGER, title TEXT, flags INTEGER, color TEXT, UUID TEXT,
  external_id TEXT, self_identity_email TEXT, owner_identity_email TEXT, owner_identity_id INTEGER, sharing_status INTEGER, notes TEXT);
CREATE TABLE Location (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT, address TEXT, latitude REAL, longitude REAL, item_owner_id INTEGER);
CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, summary TEXT, location_id INTEGER, description TEXT,
  start_date REAL, start_tz TEXT, end_date REAL, end_tz TEXT, all_day INTEGER, calendar_id INTEGER, orig_item_id INTEGER, orig_date REAL,
  organizer_id INTEGER, status INTEGER, availability INTEGER, unique_identifier TEXT, UUID TEXT, entity_type INTEGER,
  has_recurrences INTEGER, has_attendees INTEGER, has_alarms INTEGER, calendar_scale TEXT, creation_date REAL, last_modified REAL,
  conference_url TEXT, conference_url_detected TEXT, due_date REAL, due_tz TEXT, due_all_day INTEGER, completion_date REAL, priority INTEGER);
CREATE TABLE Recurrence (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, frequency INTEGER, interval INTEGER, week_start INTEGER,
  count INTEGER, cached_end_date REAL, end_date REAL, specifier TEXT, owner_id INTEGER);
CREATE TABLE ExceptionDate (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, date REAL, owner_id INTEGER);
CREATE TABLE Alarm (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, trigger_date REAL, trigger_interval INTEGER, type INTEGER,
  calendaritem_owner_id INTEGER, UUID TEXT);
CREATE TABLE Participant (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, entity_type INTEGER, type INTEGER, status INTEGER, role INTEGER,
  identity_id INTEGER, owner_id INTEGER, email TEXT, is_self INTEGER, UUID TEXT);
CREATE TABLE Attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, owner_id INTEGER, filename TEXT, file_size INTEGER);
CREATE TABLE Sharee (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, owner_id INTEGER, identity_id INTEGER, access_level INTEGER);
`

const remindersSchema = `
CREATE TABLE ZREMCDBASELIST (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZMARKEDFORDELETION INTEGER, ZNAME VARCHAR, ZCKIDENTIFIER VARCHAR);
CREATE TABLE ZREMCDREMINDER (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZALLDAY INTEGER, ZCOMPLETED INTEGER,
  ZMARKEDFORDELETION INTEGER, ZPRIORITY INTEGER, ZLIST INTEGER, ZCOMPLETIONDATE TIMESTAMP, ZCREATIONDATE TIMESTAMP, ZDUEDATE TIMESTAMP,
  ZLASTMODIFIEDDATE TIMESTAMP, ZCKIDENTIFIER VARCHAR, ZDACALENDARITEMUNIQUEIDENTIFIER VARCHAR, ZTITLE VARCHAR, ZNOTES VARCHAR);
`

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return AppleTime(t)
}

func fillCalendar(tx *sql.Tx, cals []Calendar) error {
	ex := func(q string, args ...any) (int64, error) {
		r, err := tx.Exec(q, args...)
		if err != nil {
			return 0, err
		}
		return r.LastInsertId()
	}
	store, err := ex(`INSERT INTO Store (name, type) VALUES ('iCloud', 2)`)
	if err != nil {
		return err
	}
	for _, c := range cals {
		cid, err := ex(`INSERT INTO Calendar (store_id, title, flags, color, UUID, sharing_status) VALUES (?, ?, 0, ?, ?, 0)`, store, c.Title, c.Color, c.UUID)
		if err != nil {
			return err
		}
		for _, e := range c.Events {
			if err := insertEvent(ex, cid, e); err != nil {
				return fmt.Errorf("%s: %w", e.Title, err)
			}
		}
	}
	return nil
}

func insertEvent(ex func(string, ...any) (int64, error), cid int64, e CalEvent) error {
	tz, end := e.TZ, e.End
	if e.AllDay {
		tz, end = "_float", e.End.Add(-time.Second)
	}
	var loc any
	if e.Location != "" {
		l, err := ex(`INSERT INTO Location (title) VALUES (?)`, e.Location)
		if err != nil {
			return err
		}
		loc = l
	}
	item := `INSERT INTO CalendarItem (summary, location_id, description, start_date, start_tz, end_date, end_tz, all_day, calendar_id,
		orig_item_id, orig_date, status, unique_identifier, UUID, entity_type, has_recurrences, has_attendees, has_alarms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 2, ?, ?, ?)`
	id, err := ex(item, e.Title, loc, e.Notes, AppleTime(e.Start), tz, AppleTime(end), tz, e.AllDay, cid, 0, nil,
		e.UID, e.UID, e.Freq != 0, len(e.Attendees) > 0, len(e.Alarms) > 0)
	if err != nil {
		return err
	}
	if e.Freq != 0 {
		if _, err := ex(`INSERT INTO Recurrence (frequency, interval, week_start, count, end_date, specifier, owner_id) VALUES (?, ?, 1, ?, ?, ?, ?)`,
			e.Freq, max(e.Interval, 1), e.Count, nullTime(e.Until), e.Specifier, id); err != nil {
			return err
		}
	}
	for _, x := range e.ExDates {
		if _, err := ex(`INSERT INTO ExceptionDate (date, owner_id) VALUES (?, ?)`, AppleTime(x), id); err != nil {
			return err
		}
	}
	for _, m := range e.Moved {
		mEnd := m.End
		if e.AllDay {
			mEnd = mEnd.Add(-time.Second)
		}
		if _, err := ex(item, m.Title, loc, e.Notes, AppleTime(m.Start), tz, AppleTime(mEnd), tz, e.AllDay, cid, id, AppleTime(m.Orig),
			e.UID, e.UID+"/"+m.Orig.UTC().Format("20060102T150405Z"), false, false, false); err != nil {
			return err
		}
	}
	for _, a := range e.Alarms {
		if _, err := ex(`INSERT INTO Alarm (trigger_interval, type, calendaritem_owner_id) VALUES (?, 0, ?)`, -int64(a/time.Second), id); err != nil {
			return err
		}
	}
	if e.Organizer != "" {
		o, err := ex(`INSERT INTO Participant (entity_type, type, status, role, owner_id, email, is_self) VALUES (8, 1, 1, 3, ?, ?, 0)`, id, e.Organizer)
		if err != nil {
			return err
		}
		if _, err := ex(`UPDATE CalendarItem SET organizer_id = ? WHERE ROWID = ?`, o, id); err != nil {
			return err
		}
	}
	for _, a := range e.Attendees {
		ident, err := ex(`INSERT INTO Identity (display_name, address) VALUES (?, ?)`, a.Name, "mailto:"+a.Email)
		if err != nil {
			return err
		}
		if _, err := ex(`INSERT INTO Participant (entity_type, type, status, role, identity_id, owner_id, email, is_self) VALUES (7, 1, ?, ?, ?, ?, ?, 0)`,
			a.Status, a.Role, ident, id, a.Email); err != nil {
			return err
		}
	}
	return nil
}

func fillReminders(tx *sql.Tx, lists []ReminderList) error {
	pk := 0
	for _, l := range lists {
		pk++
		lid := pk
		if _, err := tx.Exec(`INSERT INTO ZREMCDBASELIST (Z_PK, Z_ENT, Z_OPT, ZMARKEDFORDELETION, ZNAME, ZCKIDENTIFIER) VALUES (?, 2, 1, 0, ?, ?)`, lid, l.Title, l.UUID); err != nil {
			return err
		}
		for _, r := range l.Items {
			pk++
			if _, err := tx.Exec(`INSERT INTO ZREMCDREMINDER (Z_PK, Z_ENT, Z_OPT, ZALLDAY, ZCOMPLETED, ZMARKEDFORDELETION, ZPRIORITY, ZLIST,
				ZCOMPLETIONDATE, ZDUEDATE, ZCKIDENTIFIER, ZDACALENDARITEMUNIQUEIDENTIFIER, ZTITLE, ZNOTES) VALUES (?, 5, 1, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
				pk, r.DueAllDay, !r.Completed.IsZero(), r.Priority, lid, nullTime(r.Completed), nullTime(r.Due), r.UID, r.UID, r.Title, r.Notes); err != nil {
				return err
			}
		}
	}
	return nil
}
