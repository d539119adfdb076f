package contacts

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

func TestKinds(t *testing.T) {
	cases := []struct {
		name string
		rows []content.Row
		want []string // unfolded lines the card must hold, in this order
	}{
		{"name with phonetic parts", []content.Row{drow("1", "1", "name", "data1", "Dr. Jane Q. Doe Jr.", "data2", "Jane",
			"data3", "Doe", "data4", "Dr.", "data5", "Q.", "data6", "Jr.", "data7", "ジェーン", "data8", "キュー", "data9", "ドウ")},
			[]string{"N:Doe;Jane;Q.;Dr.;Jr.", "FN:Dr. Jane Q. Doe Jr.", "X-PHONETIC-FIRST-NAME:ジェーン",
				"X-PHONETIC-MIDDLE-NAME:キュー", "X-PHONETIC-LAST-NAME:ドウ"}},
		{"name from parts", []content.Row{drow("1", "1", "name", "data2", "Jane", "data3", "Doe")},
			[]string{"N:Doe;Jane;;;", "FN:Jane Doe"}},
		{"no name: FN from organization", []content.Row{drow("1", "1", "organization", "data1", "ACME, Inc.")},
			[]string{"N:;;;;", "FN:ACME\\, Inc.", "ORG:ACME\\, Inc.;"}},
		{"no name: FN from phone", []content.Row{drow("1", "1", "phone_v2", "data1", "+1 555 0100", "data2", "2")},
			[]string{"FN:+1 555 0100", "TEL;TYPE=CELL:+1 555 0100"}},
		{"phone types", []content.Row{
			drow("1", "1", "phone_v2", "data1", "1", "data2", "1"),
			drow("2", "1", "phone_v2", "data1", "2", "data2", "2", "is_primary", "1"),
			drow("3", "1", "phone_v2", "data1", "3", "data2", "3"),
			drow("4", "1", "phone_v2", "data1", "4", "data2", "4"),
			drow("5", "1", "phone_v2", "data1", "5", "data2", "5"),
			drow("6", "1", "phone_v2", "data1", "6", "data2", "17"),
			drow("7", "1", "phone_v2", "data1", "7", "data2", "0", "data3", "Boat; deck"),
			drow("8", "1", "phone_v2", "data1", "8", "data2", "19"),
			drow("9", "1", "phone_v2", "data1", "9", "data2", "20"),
			drow("10", "1", "phone_v2", "data1", "10")},
			[]string{"TEL;TYPE=HOME,VOICE:1", "TEL;TYPE=CELL,PREF:2", "TEL;TYPE=WORK,VOICE:3", "TEL;TYPE=WORK,FAX:4",
				"TEL;TYPE=HOME,FAX:5", "TEL;TYPE=WORK,CELL:6", "item1.TEL:7", "item1.X-ABLabel:Boat\\; deck",
				"item2.TEL:8", "item2.X-ABLabel:Assistant", "TEL;TYPE=MSG:9", "TEL:10"}},
		{"email types", []content.Row{
			drow("1", "1", "email_v2", "data1", "h@example.com", "data2", "1"),
			drow("2", "1", "email_v2", "data1", "w@example.com", "data2", "2", "is_primary", "1"),
			drow("3", "1", "email_v2", "data1", "o@example.com", "data2", "3"),
			drow("4", "1", "email_v2", "data1", "c@example.com", "data2", "0", "data3", "Club")},
			[]string{"EMAIL;TYPE=INTERNET,HOME:h@example.com", "EMAIL;TYPE=INTERNET,WORK,PREF:w@example.com",
				"item1.EMAIL;TYPE=INTERNET:o@example.com", "item1.X-ABLabel:Other",
				"item2.EMAIL;TYPE=INTERNET:c@example.com", "item2.X-ABLabel:Club"}},
		{"address", []content.Row{
			drow("1", "1", "postal-address_v2", "data2", "1", "data4", "1 Main St, Apt 2", "data5", "PO 9", "data6", "Old Town",
				"data7", "Springfield", "data8", "IL", "data9", "62701", "data10", "USA"),
			drow("2", "1", "postal-address_v2", "data1", "Somewhere\nElse", "data2", "3")},
			[]string{"ADR;TYPE=HOME:PO 9;Old Town;1 Main St\\, Apt 2;Springfield;IL;62701;USA",
				"item1.ADR:;;Somewhere\\nElse;;;;", "item1.X-ABLabel:Other"}},
		{"organization and title", []content.Row{drow("1", "1", "organization", "data1", "ACME", "data4", "Chief; Engineer", "data5", "R&D")},
			[]string{"ORG:ACME;R&D", "TITLE:Chief\\; Engineer"}},
		{"events", []content.Row{
			drow("1", "1", "contact_event", "data1", "1990-05-17", "data2", "3"),
			drow("2", "1", "contact_event", "data1", "--06-01", "data2", "1"),
			drow("3", "1", "contact_event", "data1", "2001-02-03", "data2", "0", "data3", "Met"),
			drow("4", "1", "contact_event", "data1", "2002-02-03", "data2", "2")},
			[]string{"BDAY:1990-05-17", "X-ANNIVERSARY:--06-01", "item1.X-ABDATE:2001-02-03", "item1.X-ABLabel:Met",
				"item2.X-ABDATE:2002-02-03", "item2.X-ABLabel:Other"}},
		{"multi-line note", []content.Row{drow("1", "1", "note", "data1", "a\nb\r\nc\rd, e; f\\g")},
			[]string{"NOTE:a\\nb\\nc\\nd\\, e\\; f\\\\g"}},
		{"website", []content.Row{drow("1", "1", "website", "data1", "https://example.com/?a=1,2", "data2", "5"),
			drow("2", "1", "website", "data1", "https://blog.example.com", "data2", "2")},
			[]string{"URL;TYPE=WORK:https://example.com/?a=1,2", "item1.URL:https://blog.example.com", "item1.X-ABLabel:Blog"}},
		{"im", []content.Row{drow("1", "1", "im", "data1", "me@jabber.example", "data5", "7"),
			drow("2", "1", "im", "data1", "live:me", "data5", "3"),
			drow("3", "1", "im", "data1", "@me", "data5", "-1", "data6", "Signal; Chat")},
			[]string{"X-JABBER:me@jabber.example", "X-SKYPE-USERNAME:live:me", `IMPP;X-SERVICE-TYPE="Signal; Chat":x-signalchat:@me`}},
		{"nickname", []content.Row{drow("1", "1", "nickname", "data1", "Bob, the builder")},
			[]string{"NICKNAME:Bob\\, the builder"}},
		{"relation", []content.Row{drow("1", "1", "relation", "data1", "Mary; Jane", "data2", "8")},
			[]string{"X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Mary\\; Jane;8;;;;;;;;;;;;;"}},
		{"sip", []content.Row{drow("1", "1", "sip_address", "data1", "sip:me@example.com", "data2", "2")},
			[]string{"X-SIP;TYPE=WORK:sip:me@example.com"}},
		{"groups", []content.Row{drow("1", "1", "group_membership", "data1", "6"), drow("2", "1", "group_membership", "data1", "5"),
			drow("3", "1", "group_membership", "data1", "99")},
			[]string{"CATEGORIES:Family,Work\\, Team"}},
		{"photo and empty rows say nothing", []content.Row{drow("1", "1", "photo", "data15", "BLOB"),
			drow("2", "1", "phone_v2"), drow("3", "1", "note")},
			[]string{"BEGIN:VCARD", "VERSION:3.0", "UID:android-raw-1", "N:;;;;", "FN:", "END:VCARD"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := one(t, c.rows...)
			lines := strings.Split(strings.TrimSuffix(unfold(got), "\r\n"), "\r\n")
			at := 0
			for _, w := range c.want {
				i := slices.Index(lines[at:], w)
				if i < 0 {
					t.Fatalf("no line %q (in order) in\n%s", w, got)
				}
				at += i + 1
			}
			if c.name == "photo and empty rows say nothing" && len(lines) != len(c.want) {
				t.Fatalf("extra lines in\n%s", got)
			}
		})
	}
}

func TestStarred(t *testing.T) {
	cards, err := Render([]content.Row{raw("1", "starred", "1")}, nil, nil)
	if err != nil || !strings.Contains(string(cards[0].Data), "\r\nX-STARRED:1\r\nEND:VCARD\r\n") {
		t.Fatalf("%v %q", err, cards)
	}
}

func TestFraming(t *testing.T) {
	raws, data, groups := fixture()
	cards, err := Render(raws, data, groups)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cards {
		s := string(c.Data)
		if !strings.HasPrefix(s, "BEGIN:VCARD\r\nVERSION:3.0\r\n") || !strings.HasSuffix(s, "END:VCARD\r\n") {
			t.Errorf("%s: framing", c.Path)
		}
		for _, l := range strings.SplitAfter(s, "\r\n") {
			if len(l) > 77 {
				t.Errorf("%s: line of %d octets: %q", c.Path, len(l)-2, l)
			}
			if strings.ContainsAny(strings.TrimSuffix(l, "\r\n"), "\r\n") {
				t.Errorf("%s: bare line break in %q", c.Path, l)
			}
		}
	}
}

func TestFoldKeepsRunes(t *testing.T) {
	long := strings.Repeat("Чайковский 李小龍 ", 20)
	got := one(t, drow("1", "1", "note", "data1", long))
	for _, l := range strings.Split(got, "\r\n") {
		if len(l) > 75 || !utf8Valid(l) {
			t.Fatalf("bad folded line %q", l)
		}
	}
	if !strings.Contains(unfold(got), "NOTE:"+long+"\r\n") {
		t.Fatalf("unfolded note differs")
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestPaths(t *testing.T) {
	raws, data, groups := fixture()
	cards, err := Render(raws, data, groups)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, c := range cards {
		paths = append(paths, c.Path)
	}
	want := []string{
		"Telegram (org.telegram.messenger)/raw-6.vcf",
		"ada@example.com (com.google)/3f2a9c1b0d.vcf",
		"ada@example.com (com.google)/a_b_c-" + hash8("a/b:c") + ".vcf",
		"local/raw-1.vcf",
		"local/raw-4.vcf",
	}
	if !slices.Equal(paths, want) {
		t.Fatalf("paths %q\nwant %q", paths, want)
	}
	for _, c := range []struct{ in, want string }{
		{"abc-123_X", "abc-123_X"}, {"..", "__-" + hash8("..")}, {".hidden", "_hidden-" + hash8(".hidden")},
		{"", "-" + hash8("")}, {"C:\\x", "C__x-" + hash8("C:\\x")}, {"тест", "тест"},
		{strings.Repeat("a", 101), strings.Repeat("a", 80) + "-" + hash8(strings.Repeat("a", 101))},
	} {
		if got := safeName(c.in); got != c.want {
			t.Errorf("safeName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// The same sourceid twice in one account keeps both cards.
	dup, err := Render([]content.Row{raw("1", "sourceid", "s"), raw("2", "sourceid", "s")}, nil, nil)
	if err != nil || len(dup) != 2 || dup[0].Path == dup[1].Path {
		t.Fatalf("duplicates: %v %q", err, dup)
	}
}

// TestAccountNamedAsGroupsFile: an account named as the groups' rows
// file (a hostile or odd phone) gets a folder of another name, since a
// tree cannot hold both.
func TestAccountNamedAsGroupsFile(t *testing.T) {
	for _, name := range []string{GroupsFile, "Groups.Rows.JSON"} {
		cards, err := Render([]content.Row{raw("1", "account_name", name, "account_type", name)}, nil, nil)
		if err != nil || len(cards) != 1 {
			t.Fatalf("%s: %v %q", name, err, cards)
		}
		if dir, _, _ := strings.Cut(cards[0].Path, "/"); strings.EqualFold(dir, GroupsFile) {
			t.Errorf("account %q: card at %s, in a folder named as the groups file", name, cards[0].Path)
		}
	}
}

func TestDeterministic(t *testing.T) {
	raws, data, groups := fixture()
	first, err := Render(raws, data, groups)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		r, d := slices.Clone(raws), slices.Clone(data)
		rng.Shuffle(len(r), func(i, j int) { r[i], r[j] = r[j], r[i] })
		rng.Shuffle(len(d), func(i, j int) { d[i], d[j] = d[j], d[i] })
		again, err := Render(r, d, groups)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != len(first) {
			t.Fatal("card count changed")
		}
		for i := range first {
			if first[i].Path != again[i].Path || !bytes.Equal(first[i].Data, again[i].Data) {
				t.Fatalf("card %s changed with row order", first[i].Path)
			}
		}
	}
	// Editing one contact changes only its card.
	data[1] = drow("11", "1", "phone_v2", "data1", "+44 20 7946 9999", "data2", "2")
	edited, _ := Render(raws, data, groups)
	changed := 0
	for i := range first {
		if !bytes.Equal(first[i].Data, edited[i].Data) {
			changed++
		}
	}
	if changed != 1 {
		t.Fatalf("%d cards changed, want 1", changed)
	}
}

func TestRenderRefuses(t *testing.T) {
	if _, err := Render([]content.Row{{"contact_id": "1"}}, nil, nil); err == nil {
		t.Fatal("raw contact without _id accepted")
	}
}

func TestCmpID(t *testing.T) {
	ids := []string{"x", "9223372036854775807", "10", "-9223372036854775808", "2", "a"}
	slices.SortFunc(ids, cmpID)
	want := []string{"-9223372036854775808", "2", "10", "9223372036854775807", "a", "x"}
	if !slices.Equal(ids, want) {
		t.Fatalf("%q", ids)
	}
}

// BenchmarkRender renders 1,000 contacts of 10 data rows each.
func BenchmarkRender(b *testing.B) {
	var raws, data []content.Row
	for i := range 1000 {
		id := strconv.Itoa(i + 1)
		raws = append(raws, raw(id, "account_type", "com.google", "account_name", "me@example.com", "sourceid", "s"+id))
		for k := range 10 {
			mimes := []string{"name", "phone_v2", "email_v2", "note", "postal-address_v2"}
			data = append(data, drow(strconv.Itoa(i*10+k), id, mimes[k%len(mimes)], "data1", "Value, with; things "+id, "data2", "2", "data4", "Street 1"))
		}
	}
	b.ResetTimer()
	for range b.N {
		if _, err := Render(raws, data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFewerColumns: rows of a projection without sourceid, starred,
// is_primary and data4..data14 still render.
func TestFewerColumns(t *testing.T) {
	raws := []content.Row{{"_id": "7", "account_name": "me@example.com", "account_type": "com.google"}}
	data := []content.Row{
		{"_id": "1", "raw_contact_id": "7", "mimetype": mimeName, "data1": "Only Name"},
		{"_id": "2", "raw_contact_id": "7", "mimetype": mimePhone, "data1": "+1 555 0199"},
	}
	cards, err := Render(raws, data, nil)
	if err != nil || len(cards) != 1 {
		t.Fatalf("%v %q", err, cards)
	}
	want := "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:android-raw-7\r\nN:;;;;\r\nFN:Only Name\r\nTEL:+1 555 0199\r\nEND:VCARD\r\n"
	if cards[0].Path != "me@example.com (com.google)/raw-7.vcf" || string(cards[0].Data) != want {
		t.Fatalf("%s\n%q", cards[0].Path, cards[0].Data)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
