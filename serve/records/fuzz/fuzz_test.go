// Package fuzz fuzzes package records apart from its tests, whose
// repositories link SQLite (through the backup sources).
package fuzz

import (
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/serve/records"
)

func noControls(t *testing.T, what, s string) {
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' || r == 0x7f {
			t.Fatalf("%s: control character %U in %q", what, r, s)
		}
	}
}

var seeds = []string{
	"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:<script>x</script>\x01\r\nitem1.TEL:+1 555\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\nPHOTO;ENCODING=b:iVBORw0KGgo=\r\nN:M\\;ü;José;;;\r\nADR:;;a\\nb;c\r\nEND:VCARD\r\n",
	"BEGIN:VCARD\nVERSION:2.1\nFN:A\nPHOTO;ENCODING=BASE64;JPEG:/9j/4AAQ\n SkZJRg\nAAAA\n\nEND:VCARD\n",
	"BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:w\r\nSUMMARY:Team\r\nDTSTART;TZID=Europe/Berlin:20260302T100000\r\nDTEND;TZID=Europe/Berlin:20260302T110000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8\r\nEXDATE;TZID=Europe/Berlin:20260316T100000\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:w\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260323T100000\r\nDTSTART;TZID=Europe/Berlin:20260324T150000\r\nEND:VEVENT\r\nBEGIN:VTODO\r\nUID:t\r\nSUMMARY:x\x02\r\nDUE;VALUE=DATE:20260305\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
	"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20260301T000000Z\nRRULE:FREQ=SECONDLY;BYSETPOS=-1\nEXDATE:20260301T000000Z,x\nRDATE;VALUE=PERIOD:20260302T000000Z/PT1H\nEND:VEVENT\nEND:VCALENDAR\n",
	"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:y\nRECURRENCE-ID:20260301\nDTSTART;VALUE=DATE:20260301\nDURATION:P400W\nEND:VEVENT\nEND:VCALENDAR\n",
}

// FuzzRecords: any bytes, read as a vCard file and as an iCalendar file,
// give contacts and a calendar whose display values hold no C0 control
// characters, whose photos are within MaxPhoto, and whose months, to-dos,
// events and .ics files are made in bounded time without panicking.
func FuzzRecords(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		began := time.Now()
		cs := records.ReadContacts("c.vcf", data)
		for _, c := range cs {
			noControls(t, "name", c.Name+c.Org+strings.Join(c.Phones, "")+strings.Join(c.Emails, ""))
			for _, fl := range c.Fields {
				noControls(t, fl.Name, fl.Name+fl.Value+fl.Label+fl.Params+fl.Group)
			}
			if len(c.Photo) > records.MaxPhoto {
				t.Fatalf("photo of %d bytes", len(c.Photo))
			}
		}
		records.Search(cs, "a 1")
		cal := records.ReadCalendar("cal.ics", data)
		for _, m := range []time.Month{time.January, time.March} {
			os := cal.Month(2026, m, time.UTC)
			if len(os) > records.MaxMonth {
				t.Fatalf("%d occurrences", len(os))
			}
			for i, o := range os {
				noControls(t, "title", o.Title+o.Location+o.Calendar)
				if i > 0 && o.Start.Before(os[i-1].Start) {
					t.Fatalf("occurrences out of order")
				}
				e, ok := cal.Event(o.EventID)
				if !ok {
					t.Fatalf("occurrence of unknown event %q", o.EventID)
				}
				noControls(t, "event", e.Title+e.Location+e.Notes+e.Rule)
				if _, ok := cal.ICS(o.EventID); !ok {
					t.Fatalf("no ICS for %q", o.EventID)
				}
			}
		}
		for _, td := range cal.Todos() {
			noControls(t, "to-do", td.Title)
		}
		if d := time.Since(began); d > 20*time.Second {
			t.Fatalf("took %v", d)
		}
	})
}
