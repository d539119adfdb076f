package takeoutgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

var (
	givenNames  = []string{"Anna", "Jonas", "Lea", "Thomas", "Marie", "Lukas", "Sofia", "Felix", "Emma", "Paul", "Mia", "Noah", "Hannah", "Elias", "Zoë", "Jürgen"}
	familyNames = []string{"Schmidt", "Müller", "Weber", "Wagner", "Becker", "Hoffmann", "Schulz", "Koch", "Richter", "Klein", "Wolf", "Neumann"}
)

// contact is one card of the address book.
type contact struct {
	card   string
	family bool // also in the Family label's file
}

// contacts makes n vCard 3.0 cards as Google Contacts exports them
// (FN, N, TEL, EMAIL, CATEGORIES with the labels, no UID). The last card
// has the first one's name with another phone: two people. Every fifth
// person is family, written again, byte for byte, into Family.vcf.
func contacts(rng *rand.Rand, n int) []contact {
	out := make([]contact, 0, n)
	for i := range n {
		given, fam := givenNames[rng.IntN(len(givenNames))], familyNames[rng.IntN(len(familyNames))]
		if i == n-1 {
			given, fam = strings.Fields(fnOf(out[0].card))[0], strings.Fields(fnOf(out[0].card))[1]
		}
		family := i%5 == 0 && i != n-1
		cats := "myContacts"
		if family {
			cats += ",Family"
		}
		card := fmt.Sprintf("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s %s\r\nN:%s;%s;;;\r\n"+
			"TEL;TYPE=CELL:+49 151 %08d\r\nEMAIL;TYPE=INTERNET;TYPE=HOME:%s.%s%d@example.org\r\n"+
			"CATEGORIES:%s\r\nEND:VCARD\r\n",
			given, fam, fam, given, 10000000+rng.IntN(89999999), ascii(given), ascii(fam), i, cats)
		out = append(out, contact{card: card, family: family})
	}
	return out
}

func fnOf(card string) string {
	for _, l := range strings.Split(card, "\r\n") {
		if v, ok := strings.CutPrefix(l, "FN:"); ok {
			return v
		}
	}
	return ""
}

func ascii(s string) string {
	return strings.ToLower(strings.NewReplacer("ü", "ue", "ö", "oe", "ë", "e", "ä", "ae").Replace(s))
}

// calendar is one calendar's .ics as Google Calendar exports it: n
// events, the first a weekly series with one moved occurrence (the same
// UID, a RECURRENCE-ID). It returns the file and its distinct events.
func calendar(rng *rand.Rand, n int, stamp time.Time) ([]byte, int) {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n" +
		"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Anna Schmidt\r\nX-WR-TIMEZONE:Europe/Berlin\r\n")
	const f = "20060102T150405Z"
	event := func(uid string, start time.Time, extra, summary string) {
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nDTSTART:%s\r\nDTEND:%s\r\nDTSTAMP:%s\r\nUID:%s\r\n%s"+
			"CREATED:%s\r\nSUMMARY:%s\r\nSTATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\n",
			start.Format(f), start.Add(time.Hour).Format(f), stamp.Format(f), uid, extra, start.Add(-72*time.Hour).Format(f), summary)
	}
	base := time.Date(2024, 1, 8, 17, 0, 0, 0, time.UTC)
	for i := range n {
		uid := fmt.Sprintf("%016x@google.com", rng.Uint64())
		start := base.Add(time.Duration(rng.IntN(700*24)) * time.Hour)
		if i == 0 {
			event(uid, base, "RRULE:FREQ=WEEKLY;BYDAY=MO\r\n", "Choir practice")
			event(uid, base.Add(14*24*time.Hour+time.Hour), "RECURRENCE-ID:"+base.Add(14*24*time.Hour).Format(f)+"\r\n", "Choir practice (moved)")
			continue
		}
		event(uid, start, "", fmt.Sprintf("Appointment %d", i))
	}
	b.WriteString("END:VCALENDAR\r\n")
	return []byte(b.String()), n
}
