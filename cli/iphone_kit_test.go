package cli

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
)

const iphoneVobjectScript = `import sys, json, vobject
out = []
for c in vobject.readComponents(open(sys.argv[1], encoding='utf-8').read()):
    n = c.n.value
    out.append({"family": n.family, "given": n.given,
                "tel": [x.value for x in c.contents.get('tel', [])],
                "email": [x.value for x in c.contents.get('email', [])],
                "bday": c.bday.value if 'bday' in c.contents else ''})
print(json.dumps(out))`

type kitCard struct {
	Family, Given string
	Tel, Email    []string
	Bday          string
}

// checkIPhoneContacts: every generated contact is in the kit's
// contacts.vcf, as vobject reads it, with its name, phones, emails and
// birthday (one without a year in Apple's form, year 1604).
func checkIPhoneContacts(t *testing.T, kit string, want []iosgen.Contact) {
	t.Helper()
	var cards []kitCard
	py(t, "vobject", iphoneVobjectScript, []string{filepath.Join(kit, "contacts.vcf")}, &cards)
	if len(cards) != len(want) {
		t.Errorf("vobject read %d cards, want %d", len(cards), len(want))
	}
	for _, c := range want {
		var tels, emails []string
		for _, p := range c.Phones {
			tels = append(tels, p.Value)
		}
		for _, e := range c.Emails {
			emails = append(emails, e.Value)
		}
		bday := c.Birthday
		if strings.HasPrefix(bday, "--") {
			bday = "1604" + bday[1:]
		}
		if !slices.ContainsFunc(cards, func(g kitCard) bool {
			return g.Family == c.Last && g.Given == c.First && slices.Equal(g.Tel, tels) && slices.Equal(g.Email, emails) && g.Bday == bday
		}) {
			t.Errorf("contact %q %q (phones %q, emails %q) not in contacts.vcf as vobject reads it", c.First, c.Last, tels, emails)
		}
	}
}

// checkIPhoneEvents: every generated event, series and moved instance,
// is in the kit's calendars as icalendar reads them, with its title,
// start, all-day flag and recurrence rule.
func checkIPhoneEvents(t *testing.T, kit string, d iosgen.CalendarData) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(kit, "calendars", "*.ics"))
	var got []struct {
		Title      string
		Start      int64
		Allday     bool
		Rrule      string
		Recurrence bool
	}
	py(t, "icalendar", icalScript, files, &got)
	wantEvents := d.WantEvents()
	for _, w := range wantEvents {
		start := w.Start
		if w.AllDay {
			start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
		}
		i := slices.IndexFunc(got, func(g struct {
			Title      string
			Start      int64
			Allday     bool
			Rrule      string
			Recurrence bool
		}) bool {
			return g.Title == w.Title && g.Start == start.Unix() && g.Allday == w.AllDay &&
				g.Recurrence == !w.RecurrenceID.IsZero() && sameRule(g.Rrule, w.RRule)
		})
		if i < 0 {
			t.Errorf("event %q at %v (all day %v, rrule %q) not in the kit as icalendar reads it", w.Title, start, w.AllDay, w.RRule)
		}
	}
	if len(got) != len(wantEvents) {
		t.Errorf("icalendar read %d events, want %d", len(got), len(wantEvents))
	}
}
