package iosgen

import "time"

// DefaultCalendarData are 3 calendars in two time zones (Home in
// Europe/Berlin, Work in America/New_York, Birthdays all-day): a weekly
// series with a count, one instance moved and one cancelled; a monthly
// series until a date with one instance moved; yearly birthdays; all-day
// events; alarms; an organizer and attendees; and 2 reminder lists with
// due (timed and all-day), completed and undated items.
func DefaultCalendarData() CalendarData {
	ber, _ := time.LoadLocation("Europe/Berlin")
	nyc, _ := time.LoadLocation("America/New_York")
	if ber == nil || nyc == nil {
		ber, nyc = time.FixedZone("CET", 3600), time.FixedZone("EST", -5*3600)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	yoga := time.Date(2026, 9, 7, 18, 30, 0, 0, ber) // a Monday
	review := time.Date(2026, 10, 15, 10, 0, 0, 0, nyc)
	return CalendarData{
		Calendars: []Calendar{
			{Title: "Home", UUID: "0A1B2C3D-0000-4000-8000-000000000001", Color: "#1BADF8", Events: []CalEvent{
				{UID: "7E0C9A2E-1111-4A3B-9C1D-00000000A001", Title: "Yoga", TZ: "Europe/Berlin", Start: yoga, End: yoga.Add(75 * time.Minute),
					Freq: 2, Count: 10, Specifier: "D=0MO,0WE", RRule: "FREQ=WEEKLY;COUNT=10;BYDAY=MO,WE",
					ExDates: []time.Time{yoga.AddDate(0, 0, 14)},
					Moved:   []Moved{{Orig: yoga.AddDate(0, 0, 7), Start: yoga.AddDate(0, 0, 8), End: yoga.AddDate(0, 0, 8).Add(75 * time.Minute), Title: "Yoga (moved to Tuesday)"}},
					Alarms:  []time.Duration{15 * time.Minute}},
				{UID: "7E0C9A2E-1111-4A3B-9C1D-00000000A002", Title: "Dentist; check-up, 2nd", Location: "Praxis Dr. Weiß, Hauptstraße 5",
					TZ: "Europe/Berlin", Start: time.Date(2026, 11, 3, 8, 15, 0, 0, ber), End: time.Date(2026, 11, 3, 9, 0, 0, 0, ber),
					Notes: "Bring the card\nand the form", Alarms: []time.Duration{time.Hour, 24 * time.Hour}},
				{UID: "7E0C9A2E-1111-4A3B-9C1D-00000000A003", Title: "Holiday in Lisbon", AllDay: true, Start: day(2026, 12, 21), End: day(2026, 12, 24)},
			}},
			{Title: "Work", UUID: "0A1B2C3D-0000-4000-8000-000000000002", Color: "#CC73E1", Events: []CalEvent{
				{UID: "7E0C9A2E-2222-4A3B-9C1D-00000000B001", Title: "Monthly review", TZ: "America/New_York", Start: review, End: review.Add(time.Hour),
					Freq: 3, Until: time.Date(2027, 6, 15, 10, 0, 0, 0, nyc), Specifier: "d=15", RRule: "FREQ=MONTHLY;UNTIL=20270615T140000Z;BYMONTHDAY=15",
					Moved:     []Moved{{Orig: review.AddDate(0, 2, 0), Start: review.AddDate(0, 2, 1).Add(4 * time.Hour), End: review.AddDate(0, 2, 1).Add(5 * time.Hour), Title: "Monthly review"}},
					Alarms:    []time.Duration{10 * time.Minute},
					Organizer: "boss@example.com",
					Attendees: []Attendee{{Name: "Ana Souza", Email: "ana@example.com", Status: 1, Role: 1}, {Name: "Bo Chen", Email: "bo@example.com", Status: 3, Role: 2}}},
				{UID: "7E0C9A2E-2222-4A3B-9C1D-00000000B002", Title: "Launch call", TZ: "America/New_York",
					Start: time.Date(2027, 3, 9, 9, 0, 0, 0, nyc), End: time.Date(2027, 3, 9, 9, 30, 0, 0, nyc),
					Organizer: "me@example.com", Attendees: []Attendee{{Name: "Chris O'Neil", Email: "chris@example.com", Status: 2, Role: 1}}},
				{UID: "7E0C9A2E-2222-4A3B-9C1D-00000000B003", Title: "Offsite", AllDay: true, Start: day(2027, 1, 20), End: day(2027, 1, 21)},
			}},
			{Title: "Birthdays", UUID: "0A1B2C3D-0000-4000-8000-000000000003", Color: "#FF2968", Events: []CalEvent{
				{UID: "7E0C9A2E-3333-4A3B-9C1D-00000000C001", Title: "Mum's birthday", AllDay: true, Start: day(1961, 4, 2), End: day(1961, 4, 3),
					Freq: 4, RRule: "FREQ=YEARLY", Alarms: []time.Duration{-9 * time.Hour}},
				{UID: "7E0C9A2E-3333-4A3B-9C1D-00000000C002", Title: "Jonas, 40", AllDay: true, Start: day(1986, 2, 28), End: day(1986, 3, 1),
					Freq: 4, RRule: "FREQ=YEARLY"},
			}},
		},
		Lists: []ReminderList{
			{Title: "Groceries", UUID: "5D2E1F00-AAAA-4B00-8C00-000000000001", Items: []Reminder{
				{UID: "R-0001", Title: "Milk, oat", Due: day(2026, 12, 3), DueAllDay: true, Priority: 5},
				{UID: "R-0002", Title: "Bread", Due: time.Date(2026, 11, 28, 17, 0, 0, 0, time.UTC), Completed: time.Date(2026, 11, 28, 16, 42, 10, 0, time.UTC)},
				{UID: "R-0003", Title: "Eggs", Notes: "free range;\nsix"},
			}},
			{Title: "Errands", UUID: "5D2E1F00-AAAA-4B00-8C00-000000000002", Items: []Reminder{
				{UID: "R-0101", Title: "Post office", Due: time.Date(2026, 12, 4, 9, 30, 0, 0, time.UTC), Priority: 1},
				{UID: "R-0102", Title: "Car service", Completed: time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC), Priority: 9},
			}},
		},
	}
}

// WantEvent is one VEVENT a rendering of CalendarData holds: a series or
// single event, or a moved instance (RecurrenceID set).
type WantEvent struct {
	Calendar, UID, Title string
	Start                time.Time
	AllDay               bool
	RRule                string
	RecurrenceID         time.Time
}

// WantEvents are the VEVENTs d renders to, in order.
func (d CalendarData) WantEvents() []WantEvent {
	var w []WantEvent
	for _, c := range d.Calendars {
		for _, e := range c.Events {
			w = append(w, WantEvent{Calendar: c.Title, UID: e.UID, Title: e.Title, Start: e.Start, AllDay: e.AllDay, RRule: e.RRule})
			for _, m := range e.Moved {
				w = append(w, WantEvent{Calendar: c.Title, UID: e.UID, Title: m.Title, Start: m.Start, AllDay: e.AllDay, RecurrenceID: m.Orig})
			}
		}
	}
	return w
}
