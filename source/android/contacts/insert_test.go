package contacts

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// roundTripExceptions are the fixture's raw contacts whose signature does
// not survive Render and FromVCard, and why. Empty: every kind Signature
// counts round-trips. What does not come back as rows is not counted by
// Signature, and is asserted in roundTripLeftOut: photos (Render cannot
// read their blobs, so raw 3's photo row is not in its card), group
// memberships (they come back as Insert.Groups, checked below) and other
// apps' rows (raw 6's Telegram row: an X-ANDROID-CUSTOM that FromVCard
// names in Skipped, since the app, not the user, owns it).
var roundTripExceptions = map[string]string{}

// roundTripLeftOut is what FromVCard names in Skipped for each fixture
// contact.
var roundTripLeftOut = map[string][]string{"6": {"X-ANDROID-CUSTOM"}}

// TestRoundTrip: every fixture contact, rendered and read back, has the
// signature of its original rows.
func TestRoundTrip(t *testing.T) {
	raws, data, groups := fixture()
	byRaw := map[string][]content.Row{}
	for _, d := range data {
		byRaw[d["raw_contact_id"]] = append(byRaw[d["raw_contact_id"]], d)
	}
	live := 0
	for _, r := range raws {
		if r["deleted"] == "1" {
			continue
		}
		live++
		id := r["_id"]
		cards, err := Render([]content.Row{r}, byRaw[id], groups)
		if err != nil || len(cards) != 1 {
			t.Fatalf("raw %s: %d cards, %v", id, len(cards), err)
		}
		in, err := FromVCard(cards[0].Data)
		if err != nil {
			t.Fatalf("raw %s: %v", id, err)
		}
		same := Signature(in.Data) == Signature(byRaw[id])
		if why, ok := roundTripExceptions[id]; ok {
			if same {
				t.Errorf("raw %s is listed as an exception (%s) but round-trips", id, why)
			}
			continue
		}
		if !same {
			t.Errorf("raw %s: signature changed\ncard:\n%s\nrows: %v", id, cards[0].Data, in.Data)
		}
		if !slices.Equal(in.Skipped, roundTripLeftOut[id]) {
			t.Errorf("raw %s: skipped %q, want %q", id, in.Skipped, roundTripLeftOut[id])
		}
		if want := r["starred"] == "1"; in.Starred != want {
			t.Errorf("raw %s: starred %v, want %v", id, in.Starred, want)
		}
		var wantGroups []string
		for _, d := range byRaw[id] {
			if g := groups[d["data1"]]; d["mimetype"] == mimeGroup && g != "" {
				wantGroups = append(wantGroups, g)
			}
		}
		slices.Sort(wantGroups)
		got := slices.Clone(in.Groups)
		slices.Sort(got)
		if !slices.Equal(got, wantGroups) {
			t.Errorf("raw %s: groups %q, want %q", id, got, wantGroups)
		}
	}
	if live < 5 {
		t.Fatalf("only %d live fixture contacts", live)
	}
}

// TestRoundTripEveryKind renders one contact holding every kind and type
// code Render writes, and requires each row back with its columns.
func TestRoundTripEveryKind(t *testing.T) {
	var rows []content.Row
	n := 0
	add := func(mime string, kv ...string) {
		n++
		rows = append(rows, drow(itoa(n), "1", mime, kv...))
	}
	add("name", "data1", "Dr. Jane Q. Doe Jr.", "data2", "Jane", "data3", "Doe", "data4", "Dr.", "data5", "Q.", "data6", "Jr.",
		"data7", "ジェーン", "data8", "キュー", "data9", "ドウ")
	for code := range phoneTypes {
		add("phone_v2", "data1", "+1 555 01"+code, "data2", code)
	}
	add("phone_v2", "data1", "+1 555 0999", "data2", "0", "data3", "Boat; deck")
	for code := range emailTypes {
		add("email_v2", "data1", "e"+code+"@example.com", "data2", code)
	}
	add("email_v2", "data1", "club@example.com", "data2", "0", "data3", "Club")
	for code := range postalTypes {
		add("postal-address_v2", "data2", code, "data4", "1 Main St, Apt "+code, "data7", "Springfield", "data10", "USA")
	}
	for code := range websiteTypes {
		add("website", "data1", "https://example.com/"+code, "data2", code)
	}
	for proto := range imProps {
		add("im", "data1", "me"+proto+"@example.com", "data5", proto)
	}
	add("im", "data1", "@me", "data5", "-1", "data6", "Signal; Chat")
	add("sip_address", "data1", "sip:me@example.com", "data2", "2")
	add("contact_event", "data1", "1990-05-17", "data2", "3")
	add("contact_event", "data1", "--06-01", "data2", "1")
	add("contact_event", "data1", "2001-02-03", "data2", "0", "data3", "Met")
	add("contact_event", "data1", "2002-02-03", "data2", "2")
	add("relation", "data1", "Mary; Jane", "data2", "8")
	add("nickname", "data1", "Bob, the builder")
	add("organization", "data1", "ACME, Inc.", "data4", "Chief; Engineer", "data5", "R&D")
	add("note", "data1", "a\nb, c; d\\e")
	card := one(t, rows...)
	in, err := FromVCard([]byte(card))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Signature(in.Data), Signature(rows); got != want {
		t.Errorf("signature changed\ncard:\n%s", card)
		for _, r := range rows {
			if k := rowKey(r); !slices.ContainsFunc(in.Data, func(g content.Row) bool { return rowKey(g) == k }) {
				t.Errorf("lost: %q", k)
			}
		}
	}
	if len(in.Data) != len(rows) {
		t.Errorf("%d rows back, want %d", len(in.Data), len(rows))
	}
	if len(in.Skipped) != 0 {
		t.Errorf("skipped %q", in.Skipped)
	}
}

// find returns the rows of mimetype m.
func find(rows []content.Row, m string) []content.Row {
	var out []content.Row
	for _, r := range rows {
		if r["mimetype"] == m {
			out = append(out, r)
		}
	}
	return out
}

// TestAndroidExport maps Android's own vCard 2.1 export (testdata/phone).
func TestAndroidExport(t *testing.T) {
	data, err := os.ReadFile("../../../testdata/phone/Contacts/contacts.vcf")
	if err != nil {
		t.Fatal(err)
	}
	var ins []Insert
	for _, pc := range pim.Split(pim.KindVCard, data) {
		if pc.Kind != pim.RecContact {
			continue
		}
		in, err := FromVCard(data[pc.Off : pc.Off+pc.Len])
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
	}
	if len(ins) < 5 {
		t.Fatalf("%d cards", len(ins))
	}
	z := ins[0]
	name := find(z.Data, mimeName)
	if len(name) != 1 || name[0]["data1"] != "Zebedee Quokkaworth" || name[0]["data2"] != "Zebedee" || name[0]["data3"] != "Quokkaworth" {
		t.Errorf("name %v", name)
	}
	tel := find(z.Data, mimePhone)
	if len(tel) != 2 || tel[0]["data1"] != "+44 7700 900461" || tel[0]["data2"] != "2" || tel[1]["data2"] != "1" {
		t.Errorf("phones %v", tel)
	}
	if e := find(z.Data, mimeEmail); len(e) != 1 || e[0]["data1"] != "zebedee.quokkaworth@example.com" || e[0]["data2"] != "1" {
		t.Errorf("emails %v", e)
	}
	if a := find(z.Data, mimePostal); len(a) != 1 || a[0]["data4"] != "7 Wombat Lane" || a[0]["data7"] != "Bristol" ||
		a[0]["data9"] != "BS1 4DJ" || a[0]["data10"] != "United Kingdom" || a[0]["data2"] != "1" || a[0]["data1"] == "" {
		t.Errorf("address %v", a)
	}
	if b := find(z.Data, mimeEvent); len(b) != 1 || b[0]["data1"] != "1987-11-03" || b[0]["data2"] != "3" {
		t.Errorf("birthday %v", b)
	}
	if !slices.Equal(z.Skipped, []string{"PHOTO"}) {
		t.Errorf("skipped %q", z.Skipped)
	}
	// Quoted-printable UTF-8 names, soft line breaks included.
	var names []string
	for _, in := range ins {
		for _, r := range find(in.Data, mimeName) {
			names = append(names, r["data1"]+"|"+r["data2"]+"|"+r["data3"])
		}
	}
	for _, want := range []string{"Zoë Hartley-Brennan|Zoë|Hartley-Brennan", "Jürgen Müller-Lüdenscheidt|Jürgen|Müller-Lüdenscheidt", "李雷|雷|李"} {
		if !slices.Contains(names, want) {
			t.Errorf("no name %q in %q", want, names)
		}
	}
}

// iosCard is a contact as iOS exports it: vCard 3.0, lines ending CR CR
// LF, lower-case type words, Apple labels in item groups, a custom label,
// TYPE=pref, a year-less birthday, a base64 PHOTO.
const iosCard = "BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nPRODID:-//Apple Inc.//iPhone OS 17.4//EN\r\r\n" +
	"N:Appleseed;Johnny;Q.;Mr.;III\r\r\nFN:Mr. Johnny Q. Appleseed III\r\r\n" +
	"ORG:Apple Inc.;Engineering\r\r\nTITLE:Engineer\r\r\n" +
	"item1.TEL;type=pref:+1 (408) 555-0101\r\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\r\n" +
	"TEL;type=IPHONE;type=CELL;type=VOICE:+1 408 555 0102\r\r\n" +
	"TEL;type=WORK;type=VOICE:+1 408 555 0103\r\r\n" +
	"item2.TEL:+1 408 555 0104\r\r\nitem2.X-ABLabel:Grandma's\r\r\n" +
	"item3.EMAIL;type=INTERNET;type=pref:johnny@example.com\r\r\nitem3.X-ABLabel:_$!<Other>!$_\r\r\n" +
	"EMAIL;type=INTERNET;type=WORK:j.appleseed@apple.example\r\r\n" +
	"item4.ADR;type=HOME;type=pref:;;1 Infinite Loop;Cupertino;CA;95014;United States\r\r\n" +
	"item4.X-ABADR:us\r\r\n" +
	"item5.URL;type=pref:http\\://www.example.com\r\r\nitem5.X-ABLabel:_$!<HomePage>!$_\r\r\n" +
	"BDAY;X-APPLE-OMIT-YEAR=1604:1604-05-17\r\r\n" +
	"item6.X-ABDATE;type=pref:2010-06-12\r\r\nitem6.X-ABLabel:_$!<Anniversary>!$_\r\r\n" +
	"NOTE:Line one\\nLine two\r\r\n" +
	"PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEAAgGBgcGBQgHBwcJ\r\r\n" +
	"END:VCARD\r\r\n"

// TestIOSExport maps an iOS-shaped card.
func TestIOSExport(t *testing.T) {
	in, err := FromVCard([]byte(iosCard))
	if err != nil {
		t.Fatal(err)
	}
	n := find(in.Data, mimeName)
	if len(n) != 1 || n[0]["data1"] != "Mr. Johnny Q. Appleseed III" || n[0]["data2"] != "Johnny" || n[0]["data3"] != "Appleseed" ||
		n[0]["data4"] != "Mr." || n[0]["data5"] != "Q." || n[0]["data6"] != "III" {
		t.Errorf("name %v", n)
	}
	var tels []string
	for _, r := range find(in.Data, mimePhone) {
		tels = append(tels, r["data1"]+"|"+r["data2"]+"|"+r["data3"]+"|"+r["is_primary"])
	}
	want := []string{"+1 (408) 555-0101|2||1", "+1 408 555 0102|2||0", "+1 408 555 0103|3||0", "+1 408 555 0104|0|Grandma's|0"}
	if !slices.Equal(tels, want) {
		t.Errorf("phones %q, want %q", tels, want)
	}
	var emails []string
	for _, r := range find(in.Data, mimeEmail) {
		emails = append(emails, r["data1"]+"|"+r["data2"]+"|"+r["is_primary"])
	}
	if want := []string{"johnny@example.com|3|1", "j.appleseed@apple.example|2|0"}; !slices.Equal(emails, want) {
		t.Errorf("emails %q, want %q", emails, want)
	}
	if o := find(in.Data, mimeOrg); len(o) != 1 || o[0]["data1"] != "Apple Inc." || o[0]["data5"] != "Engineering" || o[0]["data4"] != "Engineer" {
		t.Errorf("org %v", o)
	}
	if a := find(in.Data, mimePostal); len(a) != 1 || a[0]["data7"] != "Cupertino" || a[0]["data2"] != "1" || a[0]["is_primary"] != "1" {
		t.Errorf("address %v", a)
	}
	if u := find(in.Data, mimeWebsite); len(u) != 1 || u[0]["data1"] != "http://www.example.com" || u[0]["data2"] != "1" {
		t.Errorf("url %v", u)
	}
	var events []string
	for _, r := range find(in.Data, mimeEvent) {
		events = append(events, r["data1"]+"|"+r["data2"])
	}
	if want := []string{"--05-17|3", "2010-06-12|1"}; !slices.Equal(events, want) {
		t.Errorf("events %q, want %q", events, want)
	}
	if nt := find(in.Data, mimeNote); len(nt) != 1 || nt[0]["data1"] != "Line one\nLine two" {
		t.Errorf("note %v", nt)
	}
	if !slices.Equal(in.Skipped, []string{"PHOTO"}) { // X-ABADR (a country hint) is ignored
		t.Errorf("skipped %q", in.Skipped)
	}
	for _, s := range in.Skipped {
		if strings.Contains(iosCard, ":"+s) {
			t.Errorf("skipped %q looks like a value", s)
		}
	}
}
