package contacts

import (
	"strings"
	"testing"
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
