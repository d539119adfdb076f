package pim

import (
	"fmt"
	"strings"
	"testing"
)

// benchVCards returns a phone-export-like file of n vCards: 3.0 cards with
// folded lines and, if photos, a small base64 photo (20 folded lines), and
// 2.1 cards with quoted-printable.
func benchVCards(n int, photos bool) []byte {
	var b strings.Builder
	photo := ""
	if photos {
		photo = strings.Repeat("\r\n "+strings.Repeat("QUJD", 18), 20)
	}
	for i := range n {
		if i%2 == 0 {
			fmt.Fprintf(&b, "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe%d;John;;;\r\nFN:John Doe %d\r\n"+
				"TEL;TYPE=CELL:+1 555 %07d\r\nEMAIL;TYPE=INTERNET:john%d@example.com\r\n"+
				"item1.ADR;TYPE=HOME:;;%d Main St;Springfield;;12345;USA\r\nitem1.X-ABLabel:home\r\n"+
				"PHOTO;ENCODING=b;TYPE=JPEG:%s\r\nEND:VCARD\r\n", i, i, i, i, i, photo)
			continue
		}
		fmt.Fprintf(&b, "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=4A=C3=B6rg%d;=\r\n"+
			"=4D=C3=BCller;;;\r\nTEL;CELL:+49 170 %07d\r\nNOTE;ENCODING=QUOTED-PRINTABLE:Line one=0D=0A=\r\n"+
			"BEGIN:VCARD is just text here\r\nEND:VCARD\r\n", i, i)
	}
	return []byte(b.String())
}

// BenchmarkSplitVCard splits 5,000 cards, with and without photos.
func BenchmarkSplitVCard(b *testing.B) {
	for _, photos := range []bool{true, false} {
		b.Run(fmt.Sprintf("photos=%v", photos), func(b *testing.B) {
			data := benchVCards(5000, photos)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if p := Split(KindVCard, data); len(p) != 5000 {
					b.Fatalf("%d pieces", len(p))
				}
			}
		})
	}
}

// BenchmarkSplitICal splits a calendar of 5,000 events with alarms.
func BenchmarkSplitICal(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(calHead)
	for i := range 5000 {
		fmt.Fprintf(&sb, "BEGIN:VEVENT\r\nUID:%d@example.com\r\nDTSTAMP:20240101T000000Z\r\n"+
			"DTSTART;TZID=Europe/Berlin:20240101T090000\r\nSUMMARY:Meeting number %d with a longer\r\n  folded summary\r\n"+
			"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\n", i, i)
	}
	sb.WriteString("END:VCALENDAR\r\n")
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if c := Count(Split(KindICal, data)); c.Events != 5000 {
			b.Fatalf("%d events", c.Events)
		}
	}
}

// BenchmarkClassify classifies a 4 KiB vCard head.
func BenchmarkClassify(b *testing.B) {
	head := benchVCards(10, true)[:HeadSize]
	b.SetBytes(int64(len(head)))
	for b.Loop() {
		if Classify("contacts.vcf", head) != KindVCard {
			b.Fatal("not a vCard")
		}
	}
}

// BenchmarkParseRecord parses each of 5,000 cards on its own, as a backup
// does the records of a new contacts file (to count them and learn their
// identities).
func BenchmarkParseRecord(b *testing.B) {
	for _, photos := range []bool{true, false} {
		b.Run(fmt.Sprintf("photos=%v", photos), func(b *testing.B) {
			data := benchVCards(5000, photos)
			var recs [][]byte
			for _, pc := range Split(KindVCard, data) {
				if pc.Kind == RecContact {
					recs = append(recs, data[pc.Off:pc.Off+pc.Len])
				}
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				for _, r := range recs {
					if _, err := ParseRecord(RecContact, r); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
