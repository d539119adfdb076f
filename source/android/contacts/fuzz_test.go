package contacts

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// FuzzRender: any values give one card per raw contact, with lines of at
// most 75 octets and no bare line breaks, that pim reads as one contact;
// well-formed when the values are valid UTF-8.
func FuzzRender(f *testing.F) {
	f.Add("Ada", "+44 1, 2; 3\\", "a\nb\r\nc", "phone_v2", "2", "srcid/../x")
	f.Add("Пётр", "李小龍", "محمد", "name", "0", "")
	f.Add(strings.Repeat("é", 80), strings.Repeat("\x80", 90), "", "note", "", ".")
	f.Fuzz(func(t *testing.T, a, b, c, mime, typ, source string) {
		raws := []content.Row{{"_id": "1", "sourceid": source, "account_name": a, "account_type": b, "starred": typ}}
		data := []content.Row{
			{"_id": "1", "raw_contact_id": "1", "mimetype": "vnd.android.cursor.item/" + mime, "data1": a, "data2": typ, "data3": b, "data4": c, "data5": c},
			{"_id": "2", "raw_contact_id": "1", "mimetype": "vnd.android.cursor.item/name", "data1": b, "data2": c, "data7": a},
			{"_id": "3", "raw_contact_id": "1", "mimetype": mime, "data1": c, "data14": a, "data6": b, "data5": typ},
		}
		cards, err := Render(raws, data, map[string]string{a: b})
		if err != nil || len(cards) != 1 {
			t.Fatalf("%d cards, %v", len(cards), err)
		}
		d := cards[0].Data
		for _, l := range strings.SplitAfter(string(d), "\r\n") {
			body := strings.TrimSuffix(l, "\r\n")
			if len(body) > 75 || strings.ContainsAny(body, "\r\n") {
				t.Fatalf("bad line %q", l)
			}
		}
		if p := pim.Split(pim.KindVCard, d); len(p) != 1 || p[0].Kind != pim.RecContact {
			t.Fatalf("pieces %+v", p)
		}
		valid := utf8.ValidString(a+b+c+mime+typ+source) && !strings.ContainsAny(a+b+c+mime+typ+source, "\x00\x1b")
		if _, err := pim.ParseRecord(pim.RecContact, d); err != nil && valid {
			t.Fatalf("malformed card: %v\n%q", err, d)
		}
		for _, el := range strings.Split(cards[0].Path, "/") {
			if el == "" || el == "." || el == ".." || strings.ContainsAny(el, "\\:\x00") {
				t.Fatalf("unsafe path %q", cards[0].Path)
			}
		}
	})
}

// FuzzFromVCard: any bytes give no panic and a bounded result: at most
// one row per input byte, values no longer than the decoded input can be,
// rows that RowBinds and InsertCommand always accept (no NUL, column
// names, well-typed numbers), Skipped names that are property names.
func FuzzFromVCard(f *testing.F) {
	f.Add([]byte(iosCard))
	f.Add([]byte("BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E6=9D=8E;=E9=9B=B7;;;\r\n" +
		"TEL;X-Boat:1\r\nX-ANDROID-CUSTOM:vnd.android.cursor.item/relation;A\\;B;0;L;;;;;;;;;;;;\r\nEND:VCARD\r\n"))
	f.Add([]byte("BEGIN:VCARD\nVERSION:4.0\nN;SORT-AS=\"a,b\":x;y\nBDAY:--0612\nIMPP:sip:a@b\nNICKNAME:a,b\\,c\nEND:VCARD\n"))
	raws, data, groups := fixture()
	if cards, err := Render(raws, data, groups); err == nil {
		for _, c := range cards {
			f.Add(c.Data)
		}
	}
	f.Fuzz(func(t *testing.T, card []byte) {
		in, err := FromVCard(card)
		if err != nil {
			if len(in.Data) != 0 {
				t.Fatalf("error %v with %d rows", err, len(in.Data))
			}
			return
		}
		if len(in.Data) == 0 || len(in.Data) > len(card) {
			t.Fatalf("%d rows from %d bytes", len(in.Data), len(card))
		}
		for _, r := range in.Data {
			if r["mimetype"] == "" || r["_id"] != "" || r["raw_contact_id"] != "" {
				t.Fatalf("row %q", r)
			}
			for c, v := range r {
				if len(v) > 4*len(card)+16 {
					t.Fatalf("%s holds %d bytes from a %d-byte card", c, len(v), len(card))
				}
			}
			r = content.Row(maps.Clone(r))
			r["raw_contact_id"] = "1"
			if _, err := content.InsertCommand("content://com.android.contacts/data", RowBinds(r)); err != nil {
				t.Fatalf("row %q: %v", r, err)
			}
		}
		for _, s := range in.Skipped {
			if s == "" || strings.ContainsAny(s, ":;= \r\n") {
				t.Fatalf("skipped %q", s)
			}
		}
		_ = Signature(in.Data)
	})
}

// FuzzRoundTrip: a contact with any text in its names, labels, note,
// organization, address, relation and custom IM protocol keeps its
// Signature through Render and FromVCard.
func FuzzRoundTrip(f *testing.F) {
	f.Add("Ada", "Lab; night, only", "a\nb\\c", "x:y")
	f.Add("Пётр", "_$!<Mobile>!$_", " trailing ", "item1.X")
	f.Add("", "Other", "BEGIN:VCARD", "=41")
	f.Fuzz(func(t *testing.T, a, b, c, d string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) || !utf8.ValidString(c) || !utf8.ValidString(d) {
			return // `content query` prints Java strings: always UTF-8
		}
		for _, v := range []string{a, b, c, d} {
			if strings.ContainsFunc(v, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }) {
				// Signature drops control characters, Render and FromVCard
				// cut names at blanks before that; no phone's contacts
				// hold them, so the property is for printable text.
				return
			}
			if v != "" && strings.TrimSpace(v) == "" {
				// FromVCard trims values: one of blanks only comes back
				// as none, which changes which name row a card has.
				return
			}
		}
		rows := []content.Row{
			drow("1", "1", "name", "data1", a, "data2", b, "data3", c, "data7", d),
			drow("2", "1", "phone_v2", "data1", "+1 555 0100"+d, "data2", "0", "data3", b),
			drow("3", "1", "email_v2", "data1", a+"@example.com", "data2", "0", "data3", c),
			drow("4", "1", "note", "data1", c),
			drow("5", "1", "organization", "data1", a, "data4", b, "data5", d),
			drow("6", "1", "postal-address_v2", "data4", a, "data7", b, "data10", c, "data2", "0", "data3", d),
			drow("7", "1", "relation", "data1", b, "data2", "0", "data3", c),
			drow("8", "1", "im", "data1", d, "data5", "-1", "data6", a),
			drow("9", "1", "nickname", "data1", c),
			drow("10", "1", "website", "data1", "https://example.com/"+a, "data2", "0", "data3", b),
		}
		cards, err := Render([]content.Row{raw("1")}, rows, nil)
		if err != nil || len(cards) != 1 {
			t.Fatalf("%d cards, %v", len(cards), err)
		}
		in, err := FromVCard(cards[0].Data)
		if err != nil {
			t.Fatalf("%v\n%s", err, cards[0].Data)
		}
		if Signature(in.Data) != Signature(rows) {
			var lost, got []string
			for _, r := range rows {
				if k := rowKey(r); k != "" && !slices.ContainsFunc(in.Data, func(g content.Row) bool { return rowKey(g) == k }) {
					lost = append(lost, k)
				}
			}
			for _, r := range in.Data {
				got = append(got, rowKey(r))
			}
			t.Fatalf("signature changed\nlost %q\ngot %q\ncard:\n%s", lost, got, cards[0].Data)
		}
	})
}
