package records

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"
)

// A 1×1 PNG, as a phone would inline it.
var pngBytes, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

var (
	annaA   = card("FN:Anna Becker", "N:Becker;Anna;;;", "TEL;TYPE=CELL:+49 30 1234567", "EMAIL:anna@example.org", "NOTE:met at the fair")
	annaA2  = card("FN:Anna Becker", "N:Becker;Anna;;;", "TEL;TYPE=CELL:+49 30 7654000", "EMAIL:anna@example.org", "NOTE:met at the fair")
	annaB   = card("FN:Anna Becker", "N:Becker;Anna;;;", "TEL:+49 89 7654321", "ORG:Bäckerei Becker;Verkauf")
	jose    = card("UID:jose-1", "FN:José Müller", "N:Müller;José;;;", "EMAIL;TYPE=INTERNET,HOME:jose@example.com", "TEL:+34 600 111 222")
	jose2   = card("UID:jose-1", "FN:José Müller", "N:Müller;José;;;", "EMAIL;TYPE=INTERNET,HOME:jose.m@example.com", "TEL:+34 600 111 222")
	hostile = card("FN:<script>alert(1)</script> Evil\x01\x07", "NOTE:line one\\nline\x1b[31m two <b>bold</b>\ttab", "item1.TEL:+1 555 0100", "item1.X-ABLabel:_$!<Mobile>!$_")
	grete   = card("FN:Grete Straße", "N:Straße;Grete;;;", "ADR;TYPE=HOME:;;Hauptstraße 5;Berlin;;10115;Germany",
		"PHOTO;ENCODING=b;TYPE=PNG:"+base64.StdEncoding.EncodeToString(pngBytes)[:40],
		" "+base64.StdEncoding.EncodeToString(pngBytes)[40:])
)

// TestContacts: every card of every vCard file of a snapshot, sorted by
// name with accents and case aside; two people named Anna Becker are two
// contacts with two IDs; fields display-ready (structured values joined,
// labels from TYPE and X-ABLabel); the inline photo decoded; Raw the
// card's bytes; markup kept as data and C0 controls removed; an
// iCalendar file and a text file skipped.
func TestContacts(t *testing.T) {
	p := newPhone(t)
	p.write("Contacts/contacts.vcf", cards(annaA, jose, annaB, hostile, grete)...)
	p.write("Contacts/notes.txt", "BEGIN:VCARD", "FN:not a card in a .txt? it is, by content", "END:VCARD")
	p.write("Calendar/cal.ics", "BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:e1", "SUMMARY:Anna's party", "DTSTART:20260301T100000Z", "END:VEVENT", "END:VCALENDAR")
	s := p.backup()
	cs, err := Contacts(context.Background(), p.reader(), s.Root)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	want := "<script>alert(1)</script> Evil|Anna Becker|Anna Becker|Grete Straße|José Müller|not a card in a .txt? it is, by content"
	if strings.Join(names, "|") != want {
		t.Fatalf("names %q\nwant  %q", strings.Join(names, "|"), want)
	}
	if cs[1].ID == cs[2].ID || cs[1].ID == "" {
		t.Errorf("the two Anna Beckers share ID %q", cs[1].ID)
	}
	byName := map[string]Contact{}
	for _, c := range cs {
		byName[c.Name+c.Org] = c
	}
	b := byName["Anna BeckerBäckerei Becker, Verkauf"]
	if len(b.Phones) != 1 || b.Phones[0] != "+49 89 7654321" || b.Path != "Contacts/contacts.vcf" {
		t.Errorf("second Anna: %+v", b)
	}
	j := byName["José Müller"]
	if len(j.Emails) != 1 || j.Emails[0] != "jose@example.com" || field(j, "N").Value != "José Müller" || field(j, "EMAIL").Label != "home" {
		t.Errorf("José: %+v", j)
	}
	if !bytes.HasPrefix(j.Raw, []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:jose-1")) || !bytes.HasSuffix(j.Raw, []byte("END:VCARD\r\n")) {
		t.Errorf("José's Raw: %q", j.Raw)
	}
	g := byName["Grete Straße"]
	if !bytes.Equal(g.Photo, pngBytes) {
		t.Errorf("photo %x, want %x", g.Photo, pngBytes)
	}
	if a := field(g, "ADR"); a.Value != "Hauptstraße 5, Berlin, 10115, Germany" || a.Label != "home" {
		t.Errorf("ADR %+v", a)
	}
	if v := field(g, "PHOTO").Value; v != "[binary data]" {
		t.Errorf("PHOTO shown as %q", v)
	}
	h := cs[0]
	note := field(h, "NOTE").Value
	if note != "line one\nline[31m two <b>bold</b>\ttab" {
		t.Errorf("hostile NOTE %q", note)
	}
	if tel := field(h, "TEL"); tel.Label != "mobile" || tel.Group != "item1" || field(h, "X-ABLABEL").Name != "" {
		t.Errorf("X-ABLabel not applied: %+v", h.Fields)
	}
	for _, c := range cs {
		for _, f := range c.Fields {
			for _, r := range f.Value + f.Name + f.Params + f.Label + c.Name {
				if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
					t.Errorf("%s %s: control character %U kept", c.Name, f.Name, r)
				}
			}
		}
	}
	for _, c := range cs {
		if strings.Contains(c.Name, "party") {
			t.Errorf("an event became a contact: %q", c.Name)
		}
	}
}

func field(c Contact, name string) Field {
	for _, f := range c.Fields {
		if f.Name == name {
			return f
		}
	}
	return Field{}
}

// TestSearch: every word must match a name, organisation, e-mail or (by
// digits) phone, accents and case aside.
func TestSearch(t *testing.T) {
	p := newPhone(t)
	p.write("c.vcf", cards(annaA, jose, annaB, grete)...)
	s := p.backup()
	cs, err := Contacts(context.Background(), p.reader(), s.Root)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"jose": "José Müller", "JOSÉ": "José Müller", "muller": "José Müller", "Mü": "José Müller",
		"jose müller": "José Müller", "jose becker": "",
		"strasse": "Grete Straße", "straße": "Grete Straße",
		"backerei": "Anna Becker", "anna 7654321": "Anna Becker", "89-765": "Anna Becker", "+49 30 123": "Anna Becker",
		"anna@example": "Anna Becker", "example.com": "José Müller", "zebra": "", "1234567x": "",
	}
	for q, want := range cases {
		got := Search(cs, q)
		var names []string
		for _, c := range got {
			names = append(names, c.Name)
		}
		if want == "" && len(got) != 0 || want != "" && (len(got) != 1 || got[0].Name != want) {
			t.Errorf("Search(%q) = %q, want %q", q, names, want)
		}
	}
	if n := len(Search(cs, "anna")); n != 2 {
		t.Errorf("anna: %d, want both", n)
	}
	if n := len(Search(cs, "  ")); n != len(cs) {
		t.Errorf("empty query: %d of %d", n, len(cs))
	}
}

// TestContactHistory: an edit between snapshots is a change with the
// field and its old and new values, for a contact without a UID whose
// identity the edit changed; the other Anna Becker, untouched, has no
// change; José (with a UID) changes and vanishes; a file whose content
// did not change is read once for all snapshots.
func TestContactHistory(t *testing.T) {
	p := newPhone(t)
	p.write("Contacts/a.vcf", cards(annaA, annaB, jose)...)
	p.write("Contacts/same.vcf", cards(grete)...)
	s1 := p.backup()
	p.write("Contacts/a.vcf", cards(annaB, annaA2, jose2)...)
	s2 := p.backup()
	p.write("Contacts/a.vcf", cards(annaB, annaA2)...)
	s3 := p.backup()
	snaps := []Snap{s1, s2, s3}
	r := p.reader()
	ctx := context.Background()
	first, err := Contacts(ctx, r, s1.Root)
	if err != nil {
		t.Fatal(err)
	}
	id := func(cs []Contact, tel string) string {
		for _, c := range cs {
			for _, p := range c.Phones {
				if p == tel {
					return c.ID
				}
			}
		}
		t.Fatalf("no contact with %s", tel)
		return ""
	}
	r.reads = map[string]int{}
	h, err := ContactHistory(ctx, r, snaps, id(first, "+49 30 1234567"))
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].Op != "appeared" || h[0].Snap != s1.ID || h[1].Op != "changed" || h[1].Snap != s2.ID {
		t.Fatalf("Anna A: %+v", h)
	}
	if f := h[1].Fields; len(f) != 1 || f[0].Name != "TEL" || f[0].Op != "changed" ||
		strings.Join(f[0].Old, ",") != "+49 30 1234567 [TYPE=CELL]" || strings.Join(f[0].New, ",") != "+49 30 7654000 [TYPE=CELL]" {
		t.Errorf("Anna A's change: %+v", f)
	}
	if r.reads["same.vcf"] != 1 || r.reads["a.vcf"] != 3 {
		t.Errorf("reads: %v, want same.vcf once and a.vcf three times", r.reads)
	}
	// The edited contact's ID in the last snapshot leads to the same history.
	last, _ := Contacts(ctx, r, s3.Root)
	h2, err := ContactHistory(ctx, r, snaps, id(last, "+49 30 7654000"))
	if err != nil || len(h2) != 2 || h2[1].Op != "changed" {
		t.Errorf("Anna A from the last snapshot: %+v %v", h2, err)
	}
	hb, err := ContactHistory(ctx, r, snaps, id(first, "+49 89 7654321"))
	if err != nil || len(hb) != 1 || hb[0].Op != "appeared" {
		t.Errorf("Anna B: %+v %v", hb, err)
	}
	if id(first, "+49 89 7654321") != id(last, "+49 89 7654321") {
		t.Error("Anna B's ID changed though she did not")
	}
	hj, err := ContactHistory(ctx, r, snaps, id(first, "+34 600 111 222"))
	if err != nil || len(hj) != 3 || hj[1].Op != "changed" || hj[1].Fields[0].Name != "EMAIL" || hj[2].Op != "vanished" || hj[2].Snap != s3.ID {
		t.Errorf("José: %+v %v", hj, err)
	}
	if h, err := ContactHistory(ctx, r, snaps, "nosuchid"); err != nil || len(h) != 0 {
		t.Errorf("unknown id: %+v %v", h, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := ContactHistory(cctx, r, snaps, id(first, "+34 600 111 222")); err == nil {
		t.Error("a cancelled context read on")
	}
}
