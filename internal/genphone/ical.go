package main

import "strings"

// calendar returns Calendar/personal.ics: an iCalendar 2.0 export in the
// style of Thunderbird/DAVx⁵ with a Europe/Berlin VTIMEZONE, 7 VEVENT
// components (6 distinct UIDs: 4 single events, 1 all-day event, 1 weekly
// series plus one overridden occurrence), one VALARM and 3 VTODOs. Lines are
// CRLF-terminated and folded at 75 octets.
func calendar() []byte {
	var w icsWriter
	w.lines(
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
		"CALSCALE:GREGORIAN",
		"X-WR-CALNAME:Personal",
		"X-WR-TIMEZONE:Europe/Berlin",
		"BEGIN:VTIMEZONE",
		"TZID:Europe/Berlin",
		"X-LIC-LOCATION:Europe/Berlin",
		"BEGIN:DAYLIGHT",
		"TZOFFSETFROM:+0100",
		"TZOFFSETTO:+0200",
		"TZNAME:CEST",
		"DTSTART:19700329T020000",
		"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
		"END:DAYLIGHT",
		"BEGIN:STANDARD",
		"TZOFFSETFROM:+0200",
		"TZOFFSETTO:+0100",
		"TZNAME:CET",
		"DTSTART:19701025T030000",
		"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
		"END:STANDARD",
		"END:VTIMEZONE",
	)

	// 1. Appointment with a reminder one hour before.
	w.lines(
		"BEGIN:VEVENT",
		"CREATED:20250528T081512Z",
		"LAST-MODIFIED:20250528T081630Z",
		"DTSTAMP:20250528T081630Z",
		"UID:8c1a3f52-6f0e-4d59-9b6e-3c0a9d2e7b41",
		"SUMMARY:"+icsText("Dentist – Dr. Ottoline Fennimore-Spratt"),
		"STATUS:CONFIRMED",
		"DTSTART;TZID=Europe/Berlin:20250617T093000",
		"DTEND;TZID=Europe/Berlin:20250617T101500",
		"LOCATION:"+icsText("Zahnarztpraxis am Weinbergspark, Veteranenstraße 21, 10119 Berlin"),
		"DESCRIPTION:"+icsText("Check-up and cleaning. Bring the Bonusheft and the new insurance card.\nArrive ten minutes early."),
		"BEGIN:VALARM",
		"ACTION:DISPLAY",
		"TRIGGER;VALUE=DURATION:-PT1H",
		"DESCRIPTION:Default Mozilla Description",
		"END:VALARM",
		"END:VEVENT",
	)

	// 2. All-day event (DTEND is exclusive).
	w.lines(
		"BEGIN:VEVENT",
		"CREATED:20250402T190044Z",
		"LAST-MODIFIED:20250402T190101Z",
		"DTSTAMP:20250402T190101Z",
		"UID:2f9b7d04-1e3a-4c88-a5d2-6b0e8f1c3a97",
		"SUMMARY:"+icsText("Garden party at Oma Mina's (Harrogate)"),
		"DTSTART;VALUE=DATE:20250705",
		"DTEND;VALUE=DATE:20250706",
		"TRANSP:TRANSPARENT",
		"CATEGORIES:Family",
		"END:VEVENT",
	)

	// 3. Weekly series (UNTIL is UTC because DTSTART carries a TZID) ...
	w.lines(
		"BEGIN:VEVENT",
		"CREATED:20250530T101010Z",
		"LAST-MODIFIED:20250610T171205Z",
		"DTSTAMP:20250610T171205Z",
		"UID:d41e6a2c-93b7-4f05-8e1d-5a7c2b9f0e63",
		"SUMMARY:Climbing with Amara",
		"RRULE:FREQ=WEEKLY;UNTIL=20250827T163000Z;BYDAY=WE",
		"EXDATE;TZID=Europe/Berlin:20250709T183000",
		"DTSTART;TZID=Europe/Berlin:20250604T183000",
		"DTEND;TZID=Europe/Berlin:20250604T203000",
		"LOCATION:"+icsText("Boulderklub Kreuzberg, Ohlauer Str. 38, 10999 Berlin"),
		"SEQUENCE:1",
		"END:VEVENT",
	)
	// ... and one occurrence moved from Wednesday to Thursday.
	w.lines(
		"BEGIN:VEVENT",
		"CREATED:20250530T101010Z",
		"LAST-MODIFIED:20250610T171205Z",
		"DTSTAMP:20250610T171205Z",
		"UID:d41e6a2c-93b7-4f05-8e1d-5a7c2b9f0e63",
		"RECURRENCE-ID;TZID=Europe/Berlin:20250618T183000",
		"SUMMARY:Climbing with Amara (moved to Thursday)",
		"DTSTART;TZID=Europe/Berlin:20250619T190000",
		"DTEND;TZID=Europe/Berlin:20250619T210000",
		"LOCATION:"+icsText("Boulderklub Kreuzberg, Ohlauer Str. 38, 10999 Berlin"),
		"SEQUENCE:2",
		"END:VEVENT",
	)

	// 4. Flight with a long, multi-line description (exercises folding).
	w.lines(
		"BEGIN:VEVENT",
		"CREATED:20250511T065900Z",
		"LAST-MODIFIED:20250511T070210Z",
		"DTSTAMP:20250511T070210Z",
		"UID:71c0b5e8-2d4f-4a19-b6e3-0f8d9a2c5e14",
		"SUMMARY:"+icsText("Flight LH 2034 BER → MUC"),
		"DTSTART;TZID=Europe/Berlin:20250626T071500",
		"DTEND;TZID=Europe/Berlin:20250626T082500",
		"LOCATION:"+icsText("Berlin Brandenburg Airport (BER), Terminal 1"),
		"DESCRIPTION:"+icsText("Booking reference: QX7K2P\nSeat 14C, hand luggage only.\n"+
			"Check-in opens 23 hours before departure; boarding pass is in the airline app, "+
			"and a PDF copy was forwarded to Priya in case the phone battery dies."),
		"TRANSP:OPAQUE",
		"END:VEVENT",
	)

	// 5. Video call stored in UTC.
	w.lines(
		"BEGIN:VEVENT",
		"CREATED:20250616T120301Z",
		"LAST-MODIFIED:20250616T120301Z",
		"DTSTAMP:20250616T120301Z",
		"UID:a9e3f7c1-5b20-4d86-9c4a-e2f1b8d0736c",
		"SUMMARY:"+icsText("Call with Li Lei re: Shanghai trip"),
		"DTSTART:20250623T150000Z",
		"DTEND:20250623T154500Z",
		"URL:https://meet.example.com/li-lei-trip",
		"END:VEVENT",
	)

	// 6. Evening event spanning midnight.
	w.lines(
		"BEGIN:VEVENT",
		"CREATED:20250603T203344Z",
		"LAST-MODIFIED:20250603T203344Z",
		"DTSTAMP:20250603T203344Z",
		"UID:3b8d2e6f-0a71-4c5e-9d13-8f4b7a6c2e90",
		"SUMMARY:"+icsText("Fête de la Musique with Hélène & Zoë"),
		"DTSTART;TZID=Europe/Berlin:20250621T200000",
		"DTEND;TZID=Europe/Berlin:20250622T010000",
		"LOCATION:Mauerpark",
		"END:VEVENT",
	)

	// To-dos: one completed, one with DUE and PRIORITY, one still open.
	w.lines(
		"BEGIN:VTODO",
		"CREATED:20250502T091500Z",
		"LAST-MODIFIED:20250610T143012Z",
		"DTSTAMP:20250610T143012Z",
		"UID:f05c9e2a-7d3b-4e18-a6f4-1c8e0b5d9a27",
		"SUMMARY:Renew passport",
		"STATUS:COMPLETED",
		"COMPLETED:20250610T143000Z",
		"PERCENT-COMPLETE:100",
		"END:VTODO",
		"BEGIN:VTODO",
		"CREATED:20250520T180022Z",
		"LAST-MODIFIED:20250612T071140Z",
		"DTSTAMP:20250612T071140Z",
		"UID:6e2a4c8f-1b9d-4f70-8a35-d7c0e9b1f462",
		"SUMMARY:"+icsText("File tax return (Steuererklärung 2024)"),
		"PRIORITY:1",
		"STATUS:IN-PROCESS",
		"PERCENT-COMPLETE:40",
		"DUE;TZID=Europe/Berlin:20250731T235900",
		"DESCRIPTION:"+icsText("Still missing: Riester certificate, dentist invoices, Handwerkerleistungen receipts."),
		"END:VTODO",
		"BEGIN:VTODO",
		"CREATED:20250614T110204Z",
		"LAST-MODIFIED:20250614T110204Z",
		"DTSTAMP:20250614T110204Z",
		"UID:c7d1b3e9-4a6f-4082-b5e7-3f9a0c2d8e15",
		"SUMMARY:Back up the phone before the trip",
		"STATUS:NEEDS-ACTION",
		"END:VTODO",
		"END:VCALENDAR",
	)
	return []byte(w.b.String())
}

type icsWriter struct{ b strings.Builder }

func (w *icsWriter) lines(ls ...string) {
	for _, l := range ls {
		w.b.WriteString(fold(l, 75))
	}
}

// icsText escapes a TEXT value (RFC 5545 §3.3.11).
func icsText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}
