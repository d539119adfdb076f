package pim

import (
	"fmt"
	"strings"
	"testing"
)

// vcardBuilderQP is Android's VCardBuilder.encodeQuotedPrintable: every
// byte becomes =XX and "=\r\n" follows once a line holds 67 or more
// encoded characters, also after the last byte. A value of 23, 46, ...
// bytes therefore ends in a soft break, and the CRLF that ends the
// property then makes a blank line.
func vcardBuilderQP(s string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "=%02X", s[i])
		n += 3
		if n >= 67 {
			b.WriteString("=\r\n")
			n = 0
		}
	}
	return b.String()
}

// androidCard writes a contact as Android's VCardComposer does for vCard
// 2.1: N and FN quoted-printable with CHARSET=UTF-8, the phonetic name in
// X-PHONETIC-FIRST-NAME, bare TYPE words, CRLF.
func androidCard(given, family, phonetic, tel string) string {
	qp := func(name string, comps ...string) string {
		for i := range comps {
			comps[i] = vcardBuilderQP(comps[i])
		}
		return name + ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + strings.Join(comps, ";") + "\r\n"
	}
	return "BEGIN:VCARD\r\nVERSION:2.1\r\n" +
		qp("N", family, given, "", "", "") +
		qp("FN", given+" "+family) +
		qp("X-PHONETIC-FIRST-NAME", phonetic) +
		"TEL;CELL:" + tel + "\r\n" +
		"END:VCARD\r\n"
}

// TestAndroidSoftBreakAtEnd: a quoted-printable value whose encoding ends
// in a soft break followed by a blank line ends there; the next property
// is not glued onto it.
func TestAndroidSoftBreakAtEnd(t *testing.T) {
	// "Chloé 510 Al-Sayed-510" is 23 bytes of UTF-8: its FN ends "=\r\n\r\n".
	fn := "Chloé 510 Al-Sayed-510"
	if len(fn)%23 != 0 {
		t.Fatalf("test data: %q is %d bytes, want a multiple of 23", fn, len(fn))
	}
	card := androidCard("Chloé 510", "Al-Sayed-510", "Chloé", "+44 7700 900510")
	if !strings.Contains(card, "=\r\n\r\nX-PHONETIC-FIRST-NAME") {
		t.Fatalf("test data: no soft break before a blank line:\n%s", card)
	}
	rec, err := ParseRecord(RecContact, []byte(card))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Name != fn {
		t.Errorf("Name = %q, want %q", rec.Name, fn)
	}
	if got := rec.Fields["FN"]; len(got) != 1 || got[0] != fn {
		t.Errorf("FN = %q, want [%q]", got, fn)
	}
	if got := rec.Fields["X-PHONETIC-FIRST-NAME"]; len(got) != 1 || got[0] != "Chloé" {
		t.Errorf("X-PHONETIC-FIRST-NAME = %q, want [Chloé]", got)
	}
	if got := rec.Fields["TEL"]; len(got) != 1 || !strings.HasSuffix(got[0], "+44 7700 900510") {
		t.Errorf("TEL = %q", got)
	}

	// A phone change is a change of TEL, not of the name (and so of the Key).
	edited := androidCard("Chloé 510", "Al-Sayed-510", "Chloé", "+44 7700 900999")
	rec2, err := ParseRecord(RecContact, []byte(edited))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Key != rec2.Key {
		t.Errorf("Key changed with the phone: %q, %q", rec.Key, rec2.Key)
	}
	if d := Diff(rec, rec2); len(d) != 1 || d[0] != (FieldChange{"TEL", "changed"}) {
		t.Errorf("Diff = %v, want [TEL changed]", d)
	}

	// A soft break in the middle of a value still joins its next line, and
	// a value of 46 bytes (two soft breaks, the last at the end) reads whole.
	long := strings.Repeat("é", 23) // 46 bytes
	rec3, err := ParseRecord(RecContact, []byte(androidCard(long, "X", "Y", "+1 555 0100")))
	if err != nil {
		t.Fatal(err)
	}
	if got := rec3.Fields["X-PHONETIC-FIRST-NAME"]; len(got) != 1 || got[0] != "Y" {
		t.Errorf("after a 46-byte given name: X-PHONETIC-FIRST-NAME = %q, want [Y]", got)
	}
	if got := rec3.Fields["N"]; len(got) != 1 || strings.TrimRight(got[0], ";") != "X;"+long {
		t.Errorf("N = %q", rec3.Fields["N"])
	}
}

// TestAndroidSoftBreakBeforeEnd: when the last property of a card ends in
// Android's soft break and blank line, END:VCARD still ends the card.
func TestAndroidSoftBreakBeforeEnd(t *testing.T) {
	note := "Allergisch gegen Nüsse" // 23 bytes of UTF-8
	if len(note) != 23 {
		t.Fatalf("test data: %q is %d bytes", note, len(note))
	}
	card := func(fn, tel string) string {
		return "BEGIN:VCARD\r\nVERSION:2.1\r\nN:;" + fn + ";;;\r\nFN:" + fn + "\r\nTEL;CELL:" + tel + "\r\n" +
			"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + vcardBuilderQP(note) + "\r\nEND:VCARD\r\n"
	}
	data := []byte(card("Anna", "+49 170 0000001") + card("Bert", "+49 170 0000002"))
	if !strings.Contains(string(data), "=\r\n\r\nEND:VCARD") {
		t.Fatalf("test data: no soft break before END:\n%s", data)
	}
	pieces := Split(KindVCard, data)
	checkPieces(t, data, pieces)
	var names []string
	for _, pc := range pieces {
		if pc.Kind != RecContact {
			continue
		}
		rec, err := ParseRecord(RecContact, data[pc.Off:pc.Off+pc.Len])
		if err != nil {
			t.Errorf("piece at %d: %v", pc.Off, err)
		}
		if got := rec.Fields["NOTE"]; len(got) != 1 || got[0] != note {
			t.Errorf("%s: NOTE = %q, want [%q]", rec.Name, got, note)
		}
		names = append(names, rec.Name)
	}
	if strings.Join(names, ",") != "Anna,Bert" {
		t.Errorf("contacts = %q, want [Anna Bert]", names)
	}
	if c := Count(pieces); c.Contacts != 2 {
		t.Errorf("Count = %+v, want 2 contacts", c)
	}
}
