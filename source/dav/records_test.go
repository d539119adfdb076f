package dav

import (
	"bytes"
	"strings"
	"testing"
)

func TestSplitCards(t *testing.T) {
	file := "BEGIN:VCARD\r\nVERSION:2.1\r\nN:A;B\r\nNOTE;ENCODING=QUOTED-PRINTABLE:=41=\r\n=42\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:abcd-1234\r\nFN:C\r\nEND:VCARD\r\n"
	recs := Split(CardDAV, "contacts.vcf", []byte(file))
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	first := string(recs[0].Data)
	uid := strings.TrimSuffix(recs[0].Name, ".vcf")
	if !strings.Contains(first, "NOTE;ENCODING=QUOTED-PRINTABLE:=41=42\r\n") || !strings.HasPrefix(uid, "lifeboat-") ||
		!strings.HasSuffix(first, "\r\nUID:"+uid+"\r\nEND:VCARD\r\n") {
		t.Errorf("first card not prepared (soft break joined, UID added and used as its name): %s %q", recs[0].Name, first)
	}
	if recs[1].Name != "abcd-1234.vcf" || string(recs[1].Data) != file[strings.Index(file, "BEGIN:VCARD\r\nVERSION:3.0"):] {
		t.Errorf("second card: %q %q", recs[1].Name, recs[1].Data)
	}
	// The same file gives the same names and UIDs again.
	again := Split(CardDAV, "contacts.vcf", []byte(file))
	if again[0].Name != recs[0].Name || !bytes.Equal(again[0].Data, recs[0].Data) {
		t.Error("splitting twice names the records differently")
	}
	// One card with a UID in a .vcf file keeps its name and bytes.
	one := []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x-1\r\nFN:C\r\nEND:VCARD\r\n")
	if r := Split(CardDAV, "card-1.vcf", one); len(r) != 1 || r[0].Name != "card-1.vcf" || !bytes.Equal(r[0].Data, one) {
		t.Errorf("a single card: %+v", r)
	}
	if r := Split(CalDAV, "card-1.vcf", one); len(r) != 0 {
		t.Errorf("a card for a calendar: %+v", r)
	}
}

func TestSplitCalendar(t *testing.T) {
	file := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" +
		"BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nEND:VTIMEZONE\r\n" +
		"BEGIN:VEVENT\r\nUID:ev-1\r\nSUMMARY:a\r\nEND:VEVENT\r\n" +
		"BEGIN:VTODO\r\nUID:todo-1\r\nSUMMARY:b\r\nEND:VTODO\r\n" +
		"BEGIN:VEVENT\r\nUID:ev-1\r\nRECURRENCE-ID:20240101T000000Z\r\nEND:VEVENT\r\n" +
		"END:VCALENDAR\r\n"
	recs := Split(CalDAV, "work.ics", []byte(file))
	if len(recs) != 2 || recs[0].Name != "ev-1.ics" || recs[1].Name != "todo-1.ics" {
		t.Fatalf("records: %+v", recs)
	}
	ev := string(recs[0].Data)
	if strings.Count(ev, "BEGIN:VEVENT") != 2 || !strings.Contains(ev, "TZID:Europe/Berlin") ||
		!strings.HasPrefix(ev, "BEGIN:VCALENDAR\r\nVERSION:2.0") || !strings.HasSuffix(ev, "END:VEVENT\r\nEND:VCALENDAR\r\n") {
		t.Errorf("event resource: %q", ev)
	}
}

func TestSameContent(t *testing.T) {
	a := []byte("BEGIN:VEVENT\r\nUID:1\r\nSUMMARY:long\r\n  text\r\nEND:VEVENT\r\n")
	b := []byte("BEGIN:VEVENT\nSUMMARY:long text\nUID:1\nEND:VEVENT\n")
	if !SameContent(a, b) {
		t.Error("reordered and refolded: not the same")
	}
	if SameContent(a, bytes.Replace(b, []byte("long"), []byte("short"), 1)) {
		t.Error("changed: the same")
	}
}

// TestPrepareCardLatin1: a card without a UID in Latin-1 (upper-casing a
// copy of it changes its length) gets its UID before END:VCARD, without a
// panic.
func TestPrepareCardLatin1(t *testing.T) {
	card := []byte("BEGIN:VCARD\r\nVERSION:2.1\r\nN:M\xfcller\xfc\xfc\xfc\xfc;\xe9\r\nEND:VCARD\r\n")
	got := prepareCard(card).Data
	if !bytes.HasPrefix(got, card[:len(card)-len("END:VCARD\r\n")]) || !bytes.HasSuffix(got, []byte("\r\nEND:VCARD\r\n")) ||
		!bytes.Contains(got, []byte("\r\nUID:lifeboat-")) {
		t.Fatalf("prepared: %q", got)
	}
}
