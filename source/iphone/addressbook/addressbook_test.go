package addressbook

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
)

// open opens database bytes as Render's callers do.
func open(t *testing.T, data []byte) *DB {
	t.Helper()
	db, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// render renders a generated address book.
func render(t *testing.T, contacts []iosgen.Contact, order []int) ([]Card, Report) {
	t.Helper()
	db, images, err := iosgen.AddressBook(contacts, order)
	if err != nil {
		t.Fatal(err)
	}
	cards, rep, err := Render(open(t, db).DB, open(t, images).DB)
	if err != nil {
		t.Fatal(err)
	}
	return cards, rep
}

// unfold undoes folding and splits a card into its content lines.
func unfold(data []byte) []string {
	s := strings.ReplaceAll(string(data), "\r\n ", "")
	return strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
}

// props gives the values of the lines named name (after any group, before
// any parameter).
func props(lines []string, name string) []string {
	var out []string
	for _, l := range lines {
		n, v, _ := strings.Cut(l, ":")
		if _, after, ok := strings.Cut(n, "."); ok {
			n = after
		}
		n, _, _ = strings.Cut(n, ";")
		if n == name {
			out = append(out, v)
		}
	}
	return out
}

func TestGeneratedContacts(t *testing.T) {
	contacts := iosgen.GeneratedContacts(300)
	cards, rep := render(t, contacts, nil)
	if len(cards) != 300 || rep != (Report{}) {
		t.Fatalf("%d cards, report %+v; want 300 and nothing left out", len(cards), rep)
	}
	names := map[string]bool{}
	for i, c := range cards {
		want := contacts[i]
		wantName := fmt.Sprintf("%d-%s.vcf", want.RowID, strings.ReplaceAll(want.GUID, ":", "_"))
		if c.RowID != want.RowID || names[c.Name] || c.Name != wantName {
			t.Fatalf("card %d: RowID %d name %q", i, c.RowID, c.Name)
		}
		names[c.Name] = true
		for _, l := range strings.Split(strings.TrimSuffix(string(c.Data), "\r\n"), "\r\n") {
			if len(l) > 75 {
				t.Fatalf("%s: line of %d octets", c.Name, len(l))
			}
		}
		lines := unfold(c.Data)
		if got := props(lines, "UID"); len(got) != 1 || got[0] != strings.TrimSuffix(want.GUID, ":ABPerson") {
			t.Errorf("%s: UID %q, want from guid %q", c.Name, got, want.GUID)
		}
		if got := props(lines, "TEL"); len(got) != len(want.Phones) {
			t.Errorf("%s: TEL %q, want %d", c.Name, got, len(want.Phones))
		} else {
			for j, p := range want.Phones {
				if got[j] != p.Value {
					t.Errorf("%s: TEL %d %q, want %q", c.Name, j, got[j], p.Value)
				}
			}
		}
		if got := props(lines, "EMAIL"); len(got) != len(want.Emails) {
			t.Errorf("%s: EMAIL %q, want %d", c.Name, got, len(want.Emails))
		}
		if got := props(lines, "ADR"); len(got) != len(want.Addresses) {
			t.Errorf("%s: ADR %q, want %d", c.Name, got, len(want.Addresses))
		}
		if got := props(lines, "NOTE"); want.Note != "" && (len(got) != 1 || got[0] != escape(want.Note)) {
			t.Errorf("%s: NOTE %q, want %q", c.Name, got, escape(want.Note))
		}
		if got, w := props(lines, "BDAY"), wantBirthday(want.Birthday); (w == "") != (len(got) == 0) || w != "" && got[0] != w {
			t.Errorf("%s: BDAY %q, want %q", c.Name, got, w)
		}
		photo := props(lines, "PHOTO")
		if want.Photo != nil && (len(photo) != 1 || photo[0] != base64.StdEncoding.EncodeToString(want.Photo)) || want.Photo == nil && len(photo) != 0 {
			t.Errorf("%s: PHOTO %d lines, want the generator's picture: %v", c.Name, len(photo), want.Photo != nil)
		}
	}
	first := string(cards[0].Data)
	for _, s := range []string{"TEL;TYPE=CELL:+1 555 000 0000", "PHOTO;ENCODING=b;TYPE=JPEG:"} {
		if !strings.Contains(first, s) {
			t.Errorf("first card lacks %q:\n%s", s, first)
		}
	}
	all := string(bytes.Join(cardData(cards), nil))
	for _, s := range []string{"TYPE=IPHONE,CELL", "TYPE=HOME,FAX", "X-ABLabel:Boat phone", "X-ABLabel:Old school\\; list",
		"X-ABLabel:_$!<HomePage>!$_", "X-ABRELATEDNAMES:Maria", "X-ABDATE:2015-06-20", "X-ABLabel:_$!<Anniversary>!$_",
		"IMPP;X-SERVICE-TYPE=Jabber;TYPE=HOME:xmpp:user", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-", "X-ABShowAs:COMPANY",
		"N:Петров;Иван;;;", "ORG:Firma 5 GmbH;Sales\\, Europe", "ADR;TYPE=HOME:;;1 Main St\\nApt 1;Springfield;IL;60001;United States"} {
		if !strings.Contains(strings.ReplaceAll(all, "\r\n ", ""), s) {
			t.Errorf("no card holds %q", s)
		}
	}
}

// wantBirthday is the BDAY value of a generator's birthday.
func wantBirthday(b string) string {
	if strings.HasPrefix(b, "--") {
		return "1604" + b[1:]
	}
	return b
}

func cardData(cards []Card) [][]byte {
	var out [][]byte
	for _, c := range cards {
		out = append(out, c.Data)
	}
	return out
}

// TestDeterministic: the same contacts give the same bytes, rendered
// twice or inserted in another order (labels and entry keys then get other
// ROWIDs).
func TestDeterministic(t *testing.T) {
	contacts := iosgen.GeneratedContacts(300)
	a, _ := render(t, contacts, nil)
	b, _ := render(t, contacts, nil)
	order := rand.New(rand.NewSource(7)).Perm(len(contacts))
	c, _ := render(t, contacts, order)
	if len(a) != 300 || len(b) != 300 || len(c) != 300 {
		t.Fatalf("%d, %d, %d cards", len(a), len(b), len(c))
	}
	for i := range a {
		if a[i].Name != b[i].Name || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Fatalf("card %d differs between two renderings", i)
		}
		if a[i].Name != c[i].Name || !bytes.Equal(a[i].Data, c[i].Data) {
			t.Fatalf("card %d differs when inserted in another order:\n%s\n---\n%s", i, a[i].Data, c[i].Data)
		}
	}
}
