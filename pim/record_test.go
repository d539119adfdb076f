package pim

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// parseFile splits a file and parses its record pieces (RecNone skipped).
func parseFile(t testing.TB, name string, data []byte) ([]Record, []error) {
	t.Helper()
	var recs []Record
	var errs []error
	for _, p := range Split(Classify(name, data), data) {
		if p.Kind == RecNone {
			continue
		}
		r, err := ParseRecord(p.Kind, data[p.Off:p.Off+p.Len])
		recs = append(recs, r)
		errs = append(errs, err)
	}
	return recs, errs
}

// phoneFile reads a file of testdata/phone, skipping the test if absent.
func phoneFile(t *testing.T, rel string) []byte {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "testdata", "phone", filepath.FromSlash(rel)))
	if err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return data
}

func mustParse(t *testing.T, kind RecordKind, s string) Record {
	t.Helper()
	r, err := ParseRecord(kind, []byte(s))
	if err != nil {
		t.Fatalf("ParseRecord: %v", err)
	}
	return r
}

func TestPhoneContacts(t *testing.T) {
	data := phoneFile(t, "Contacts/contacts.vcf")
	recs, errs := parseFile(t, "contacts.vcf", data)
	for i, err := range errs {
		if err != nil {
			t.Errorf("record %d: %v", i, err)
		}
	}
	var names []string
	for _, r := range recs {
		names = append(names, r.Name)
	}
	want := []string{"Zebedee Quokkaworth", "Zoë Hartley-Brennan", "Jürgen Müller-Lüdenscheidt",
		"李雷", "Amara Okonkwo", "Priya Raghunathan", "Tomasz Wiśniewski", "Margaret O'Sullivan",
		"Dr. Samuel Achterberg", "Hélène Dubois-Marchetti", "Carlos Mendoza", "Pizzeria Napoli"}
	if !slices.Equal(names, want) {
		t.Fatalf("names:\n got %q\nwant %q", names, want)
	}
	checks := []struct {
		i           int
		key, field  string
		fieldValues []string
	}{
		{0, "contact:fn:zebedee quokkaworth|quokkaworth;zebedee", "TEL",
			[]string{"TYPE=CELL:+44 7700 900461", "TYPE=HOME,VOICE:+44 117 496 0731"}},
		{1, "contact:fn:zoë hartley-brennan|hartley-brennan;zoë", "N", []string{"Hartley-Brennan;Zoë"}},
		{2, "contact:fn:jürgen müller-lüdenscheidt|müller-lüdenscheidt;jürgen", "ADR",
			[]string{"TYPE=HOME:;;Schönhauser Allee 112;Berlin;;10439;Deutschland"}},
		{3, "contact:fn:李雷|李;雷", "EMAIL", []string{"TYPE=WORK:li.lei@example.net"}},
		{8, "contact:fn:dr. samuel achterberg|achterberg;samuel;;dr.", "TEL",
			[]string{"TYPE=WORK:+49 30 23125 600", "TYPE=FAX,WORK:+49 30 23125 601"}},
		{10, "contact:fn:carlos mendoza|mendoza;carlos", "NOTE", []string{"Gate code 4417#\nAsk for the blue van."}},
	}
	for _, c := range checks {
		r := recs[c.i]
		if r.Key != c.key || r.UID != "" || r.Kind != RecContact {
			t.Errorf("%d: kind %v key %q uid %q, want key %q", c.i, r.Kind, r.Key, r.UID, c.key)
		}
		if got := r.Fields[c.field]; !slices.Equal(got, c.fieldValues) {
			t.Errorf("%d: %s = %q, want %q", c.i, c.field, got, c.fieldValues)
		}
	}
	if p := recs[0].Fields["PHOTO"]; len(p) != 1 || !strings.HasPrefix(p[0], "TYPE=JPEG:[base64 ") {
		t.Errorf("PHOTO = %q", p)
	}
	if _, ok := recs[0].Fields["VERSION"]; ok {
		t.Error("VERSION (volatile) in Fields")
	}
}

func TestPhoneFamily(t *testing.T) {
	data := phoneFile(t, "Contacts/family.vcf")
	recs, errs := parseFile(t, "family.vcf", data)
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("record %d: %v", i, err)
		}
	}
	r := recs[0]
	if r.Name != "Wilhelmina Thistlewaite" || r.UID != "5B1F0C2E-8D47-4C6A-9E3B-2A7F61D0C9E4" ||
		r.Key != "contact:5B1F0C2E-8D47-4C6A-9E3B-2A7F61D0C9E4" {
		t.Errorf("record 0: %q %q %q", r.Name, r.UID, r.Key)
	}
	if got := r.Fields["TEL"]; !slices.Equal(got, []string{"TYPE=CELL,PREF,VOICE:+44 7700 900123", "TYPE=HOME,VOICE:+44 1632 960512"}) {
		t.Errorf("TEL = %q", got)
	}
	if _, ok := r.Fields["PRODID"]; ok {
		t.Error("PRODID in Fields")
	}
	if got := recs[1].Fields["X-ABLABEL"]; !slices.Contains(got, "Grandpa’s allotment shed") {
		t.Errorf("X-ABLABEL = %q", got)
	}
}

func TestPhoneCalendar(t *testing.T) {
	data := phoneFile(t, "Calendar/personal.ics")
	recs, errs := parseFile(t, "personal.ics", data)
	for i, err := range errs {
		if err != nil {
			t.Errorf("record %d: %v", i, err)
		}
	}
	type want struct {
		kind                    RecordKind
		name, uid, rid          string
		start, due, status, key string
	}
	const climb = "d41e6a2c-93b7-4f05-8e1d-5a7c2b9f0e63"
	wants := []want{
		{kind: RecTimezone, name: "Europe/Berlin"},
		{RecEvent, "Dentist – Dr. Ottoline Fennimore-Spratt (2025-06-17 09:30)", "8c1a3f52-6f0e-4d59-9b6e-3c0a9d2e7b41", "", "20250617T093000", "", "CONFIRMED", ""},
		{RecEvent, "Garden party at Oma Mina's (Harrogate) (2025-07-05)", "2f9b7d04-1e3a-4c88-a5d2-6b0e8f1c3a97", "", "20250705", "", "", ""},
		{RecEvent, "Climbing with Amara (2025-06-04 18:30)", climb, "", "20250604T183000", "", "", ""},
		{RecEvent, "Climbing with Amara (moved to Thursday) (2025-06-19 19:00)", climb, "20250618T183000", "20250619T190000", "", "", ""},
		{RecEvent, "Flight LH 2034 BER → MUC (2025-06-26 07:15)", "71c0b5e8-2d4f-4a19-b6e3-0f8d9a2c5e14", "", "20250626T071500", "", "", ""},
		{RecEvent, "Call with Li Lei re: Shanghai trip (2025-06-23 15:00 UTC)", "a9e3f7c1-5b20-4d86-9c4a-e2f1b8d0736c", "", "20250623T150000Z", "", "", ""},
		{RecEvent, "Fête de la Musique with Hélène & Zoë (2025-06-21 20:00)", "3b8d2e6f-0a71-4c5e-9d13-8f4b7a6c2e90", "", "20250621T200000", "", "", ""},
		{RecTodo, "Renew passport, completed", "f05c9e2a-7d3b-4e18-a6f4-1c8e0b5d9a27", "", "", "", "COMPLETED", ""},
		{RecTodo, "File tax return (Steuererklärung 2024), due 2025-07-31 23:59, in process", "6e2a4c8f-1b9d-4f70-8a35-d7c0e9b1f462", "", "", "20250731T235900", "IN-PROCESS", ""},
		{RecTodo, "Back up the phone before the trip, needs action", "c7d1b3e9-4a6f-4082-b5e7-3f9a0c2d8e15", "", "", "", "NEEDS-ACTION", ""},
	}
	if len(recs) != len(wants) {
		t.Fatalf("%d records, want %d", len(recs), len(wants))
	}
	for i, w := range wants {
		r := recs[i]
		if w.key == "" && w.uid != "" {
			w.key = w.kind.String() + ":" + w.uid
		}
		got := want{r.Kind, r.Name, r.UID, r.RecurrenceID, r.Start, r.Due, r.Status, r.Key}
		if w.kind == RecTimezone {
			got.key, got.start = "", ""
		}
		if got != w {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
	if recs[3].Key != recs[4].Key {
		t.Error("a recurring series and its exception have different keys")
	}
	ev := recs[1]
	if got := ev.Fields["DTSTART"]; !slices.Equal(got, []string{"TZID=Europe/Berlin:20250617T093000"}) {
		t.Errorf("DTSTART = %q", got)
	}
	if got := ev.Fields["LOCATION"]; !slices.Equal(got, []string{"Zahnarztpraxis am Weinbergspark, Veteranenstraße 21, 10119 Berlin"}) {
		t.Errorf("LOCATION = %q", got)
	}
	if got := ev.Fields["VALARM.TRIGGER"]; !slices.Equal(got, []string{"VALUE=DURATION:-PT1H"}) {
		t.Errorf("VALARM.TRIGGER = %q", got)
	}
	for _, v := range []string{"DTSTAMP", "LAST-MODIFIED", "SEQUENCE"} {
		if _, ok := recs[3].Fields[v]; ok {
			t.Errorf("volatile %s in Fields", v)
		}
	}
}

// card builds a vCard 3.0 from property lines.
func vcard3(lines ...string) string {
	return "BEGIN:VCARD\r\nVERSION:3.0\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VCARD\r\n"
}

func vevent(lines ...string) string {
	return "BEGIN:VEVENT\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VEVENT\r\n"
}

func TestDiff(t *testing.T) {
	base := []string{"UID:1", "FN:Ann Lee", "N:Lee;Ann;;;", "TEL;TYPE=CELL:+1 555 0100", "REV:2024-01-01T00:00:00Z",
		"PHOTO;ENCODING=b;TYPE=JPEG:AAAA"}
	with := func(edit func([]string) []string) string { return vcard3(edit(slices.Clone(base))...) }
	ev := []string{"UID:e1", "DTSTAMP:20250101T000000Z", "SUMMARY:Lunch", "DTSTART:20250102T120000Z"}
	tests := []struct {
		name string
		kind RecordKind
		a, b string
		want []FieldChange
	}{
		{"same", RecContact, vcard3(base...), vcard3(base...), nil},
		{"TEL changed", RecContact, vcard3(base...), with(func(l []string) []string {
			l[3] = "TEL;TYPE=CELL:+1 555 0199"
			return l
		}), []FieldChange{{"TEL", "changed"}}},
		{"EMAIL added", RecContact, vcard3(base...), with(func(l []string) []string {
			return append(l, "EMAIL:ann@example.com")
		}), []FieldChange{{"EMAIL", "added"}}},
		{"EMAIL removed, TEL type changed", RecContact, with(func(l []string) []string {
			return append(l, "EMAIL:ann@example.com")
		}), with(func(l []string) []string {
			l[3] = "TEL;TYPE=HOME:+1 555 0100"
			return l
		}), []FieldChange{{"EMAIL", "removed"}, {"TEL", "changed"}}},
		{"REV only", RecContact, vcard3(base...), with(func(l []string) []string {
			l[4] = "REV:2025-06-01T10:00:00Z"
			return l
		}), nil},
		{"PRODID added, VERSION changed", RecContact, vcard3(base...),
			strings.Replace(with(func(l []string) []string { return append(l, "PRODID:-//x//y") }), "VERSION:3.0", "VERSION:4.0", 1), nil},
		{"PHOTO changed", RecContact, vcard3(base...), with(func(l []string) []string {
			l[5] = "PHOTO;ENCODING=b;TYPE=JPEG:AAAB"
			return l
		}), []FieldChange{{"PHOTO", "changed"}}},
		{"PHOTO refolded", RecContact, vcard3(base...), with(func(l []string) []string {
			l[5] = "PHOTO;ENCODING=b;TYPE=JPEG:AA\r\n AA"
			return l
		}), nil},
		{"2.1 QP vs 3.0 same name", RecContact,
			"BEGIN:VCARD\r\nVERSION:2.1\r\nUID:1\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Zo=C3=AB\r\nTEL;CELL:1\r\nEND:VCARD\r\n",
			vcard3("UID:1", "FN:Zoë", "TEL;TYPE=cell:1"), nil},
		{"TEL reordered", RecContact, vcard3("UID:1", "TEL:1", "TEL:2"), vcard3("UID:1", "TEL:2", "TEL:1"), nil},
		{"DTSTAMP only", RecEvent, vevent(ev...), vevent(append(slices.Clone(ev[:1]), "DTSTAMP:20250607T080000Z", ev[2], ev[3])...), nil},
		{"SEQUENCE and LAST-MODIFIED", RecEvent, vevent(ev...), vevent(append(slices.Clone(ev), "SEQUENCE:3", "LAST-MODIFIED:20250607T080000Z")...), nil},
		{"SUMMARY and alarm", RecEvent, vevent(ev...), vevent("UID:e1", "SUMMARY:Lunch with Bo", "DTSTART:20250102T120000Z",
			"BEGIN:VALARM", "TRIGGER:-PT15M", "END:VALARM"), []FieldChange{{"SUMMARY", "changed"}, {"VALARM.TRIGGER", "added"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := mustParse(t, tc.kind, tc.a), mustParse(t, tc.kind, tc.b)
			if got := Diff(a, b); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Diff = %v, want %v", got, tc.want)
			}
			if got := Diff(a, a); got != nil {
				t.Errorf("Diff(a, a) = %v", got)
			}
			if a.Key != b.Key {
				t.Errorf("keys differ: %q %q", a.Key, b.Key)
			}
		})
	}
}

func TestDiffIgnoresVolatileInHandMadeRecords(t *testing.T) {
	a := Record{Fields: map[string][]string{"REV": {"1"}, "FN": {"A"}}}
	b := Record{Fields: map[string][]string{"REV": {"2"}, "FN": {"A"}, "X-FOO-LAST-SYNC": {"x"}}}
	if got := Diff(a, b); got != nil {
		t.Errorf("Diff = %v", got)
	}
}

func TestFieldValue(t *testing.T) {
	for _, tc := range []struct{ line, field, params, value string }{
		{"TEL;TYPE=cell;TYPE=voice:+1 555", "TYPE=CELL,VOICE:+1 555", "TYPE=CELL,VOICE", "+1 555"},
		{"NOTE:E=mc2: famous", ":E=mc2: famous", "", "E=mc2: famous"},
		{"NOTE::)", "::)", "", ":)"},
		{"NOTE:plain: text", "plain: text", "", "plain: text"},
		{"ATTENDEE;CN=\"Lee, Ann\";ROLE=CHAIR:mailto:a@b", `CN="Lee, Ann";ROLE=CHAIR:mailto:a@b`, `CN="Lee, Ann";ROLE=CHAIR`, "mailto:a@b"},
	} {
		r := mustParse(t, RecEvent, vevent(tc.line))
		var got string
		for _, vs := range r.Fields {
			got = vs[0]
		}
		if got != tc.field {
			t.Errorf("%q: field %q, want %q", tc.line, got, tc.field)
		}
		if p, v := FieldValue(got); p != tc.params || v != tc.value {
			t.Errorf("FieldValue(%q) = %q, %q", got, p, v)
		}
	}
}

func TestVolatile(t *testing.T) {
	for _, n := range []string{"REV", "rev", "PRODID", "DTSTAMP", "LAST-MODIFIED", "SEQUENCE", "VERSION",
		"X-ABUID", "item1.X-ABUID", "VALARM.X-MOZ-LASTACK", "X-MOZ-GENERATION", "X-FOO-LAST-SYNC",
		"X-SYNCML-ID", "X-EXAMPLE-ETAG", "X-MICROSOFT-CDO-APPT-SEQUENCE", "X-IRMC-LUID"} {
		if !Volatile(n) {
			t.Errorf("Volatile(%q) = false", n)
		}
	}
	for _, n := range []string{"FN", "N", "TEL", "UID", "CREATED", "SUMMARY", "DTSTART", "X-ABLABEL",
		"X-ANDROID-CUSTOM", "NOTE", "PHOTO", "RRULE", "X-SEQUENCER", "STATUS"} {
		if Volatile(n) {
			t.Errorf("Volatile(%q) = true", n)
		}
	}
}

func TestMatches(t *testing.T) {
	data := phoneFile(t, "Contacts/contacts.vcf")
	recs, _ := parseFile(t, "contacts.vcf", data)
	find := func(q string) []string {
		var names []string
		for _, r := range recs {
			if r.Matches(q) {
				names = append(names, r.Name)
			}
		}
		return names
	}
	tests := []struct {
		q    string
		want []string
	}{
		{"zoë", []string{"Zoë Hartley-Brennan"}},
		{"ZOE", []string{"Zoë Hartley-Brennan"}},
		{"muller", []string{"Jürgen Müller-Lüdenscheidt"}},
		{"李", []string{"李雷"}},
		{"+44 7700 900461", []string{"Zebedee Quokkaworth"}},
		{"07700 900461", []string{"Zebedee Quokkaworth"}},
		{"0044 7700 900461", []string{"Zebedee Quokkaworth"}},
		{"900461", []string{"Zebedee Quokkaworth"}},
		{"(415) 555-0199", []string{"Priya Raghunathan"}},
		{"priya@northwind", []string{"Priya Raghunathan"}},
		{"Northwind", []string{"Priya Raghunathan"}},
		{"example.de", []string{"Jürgen Müller-Lüdenscheidt"}},
		{"cell", nil}, // parameters are not searched
		{"4417", nil}, // NOTE is not searched, and "4417" is no phone number
		{"9876", nil},
		{"", nil},
	}
	for _, tc := range tests {
		if got := find(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("Matches(%q): %q, want %q", tc.q, got, tc.want)
		}
	}
	ev := mustParse(t, RecEvent, vevent("UID:1", "SUMMARY:Flight LH 2034", "LOCATION:BER", "DTSTART:20250101"))
	for q, want := range map[string]bool{"lh 2034": true, "flight": true, "ber": true, "2034": true, "MUC": false} {
		if got := ev.Matches(q); got != want {
			t.Errorf("event Matches(%q) = %v", q, got)
		}
	}
}

func TestCharsetDetection(t *testing.T) {
	tests := []struct {
		in   string
		cs   []string
		want string
	}{
		{"M\xfcller", nil, "Müller"},
		{"H\xe9l\xe8ne", nil, "Hélène"},
		{"Fran\xe7ois", nil, "François"},
		{"\xc5sa \xd6berg", nil, "Åsa Öberg"},
		{"O\x92Brien", nil, "O’Brien"},
		{"\x88\xc0\x93\xa1\x83\x8d\x83\x43\x83\x68", nil, "安藤ロイド"}, // raw Shift_JIS
		{"\xb1\xdd\xc4\xde\xb3", []string{"SHIFT_JIS"}, "ｱﾝﾄﾞｳ"},   // declared
		{"2005\xe5\xb9\xb4\xe6\x97\xa5\xe6\x9c\xac\xe5\x9b\xbd\xe9\x9a\x9b\xe5?\xe8\xa6\xa7", nil, "2005年日本国際?覧"}, // damaged UTF-8
		{"Zo\xc3\xab", []string{"UTF-8"}, "Zoë"},
		{"Zo\xeb", []string{"UTF-8"}, "Zoë"},      // wrong declaration
		{"Zo\xeb", []string{"ISO-8859-1"}, "Zoë"}, // declared Latin-1
		{"Zo\xeb", []string{"x-unknown"}, "Zoë"},  // unknown charset
		{"plain", []string{"US-ASCII", "UTF-8"}, "plain"},
	}
	for _, tc := range tests {
		if got := toUTF8([]byte(tc.in), tc.cs); got != tc.want {
			t.Errorf("toUTF8(%q, %q) = %q, want %q", tc.in, tc.cs, got, tc.want)
		}
	}
}

func TestVCard21Normalisation(t *testing.T) {
	card := "\xEF\xBB\xBFBEGIN:VCARD\r\r\nVERSION:2.1\r\r\n" +
		"N;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=88=C0=93=A1;=83=8D=83=43=\r\n=83=68\r\r\n" +
		"TEL;CELL;VOICE:+81 90 0000 0000\r\n" +
		"NOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0Aline =\r\n two\n" +
		"EMAIL;INTERNET;PREF:a@example.jp\r" +
		"ADR;HOME:;;street\\\r\nmore;city\r\n" +
		"PHOTO;ENCODING=BASE64;TYPE=GIF:R0lG\r\nODlh\r\n\r\n" +
		"X-RAW:\x88\xc0\x93\xa1\r\n" +
		"END:VCARD"
	r, err := ParseRecord(RecContact, []byte(card))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"N":     {"安藤;ロイド"},
		"TEL":   {"TYPE=CELL,VOICE:+81 90 0000 0000"},
		"NOTE":  {"line one\nline  two"},
		"EMAIL": {"TYPE=INTERNET,PREF:a@example.jp"},
		"ADR":   {"TYPE=HOME:;;street\nmore;city"},
		"PHOTO": {"TYPE=GIF:[base64 6 bytes sha256:ccfa61924f833c2f]"},
		"X-RAW": {"安藤"},
	}
	if !reflect.DeepEqual(r.Fields, want) {
		t.Errorf("Fields:\n got %q\nwant %q", r.Fields, want)
	}
	if r.Name != "ロイド 安藤" || r.Key != "contact:fn:|安藤;ロイド" {
		t.Errorf("Name %q Key %q", r.Name, r.Key)
	}
}

func TestNameFallbacks(t *testing.T) {
	tests := []struct {
		kind RecordKind
		in   string
		name string
	}{
		{RecContact, vcard3("N:Lee;Ann;;;"), "Ann Lee"},
		{RecContact, vcard3("ORG:Acme;Sales"), "Acme, Sales"},
		{RecContact, vcard3("TEL:+1 555 0100", "EMAIL:a@b.c"), "+1 555 0100"},
		{RecContact, vcard3("EMAIL:a@b.c"), "a@b.c"},
		{RecContact, vcard3("X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Nick;1;;"), "Nick"},
		{RecContact, vcard3("PHOTO;ENCODING=b:AAAA"), "(no name)"},
		{RecContact, vcard3("FN:  Two\\nLines  "), "Two Lines"},
		{RecEvent, vevent("DESCRIPTION:\\nFirst line\\nsecond", "DTSTART;VALUE=DATE:20250101"), "First line (2025-01-01)"},
		{RecEvent, vevent("UID:x"), "(no title)"},
		{RecEvent, vevent("SUMMARY:" + strings.Repeat("ab", 300)), strings.Repeat("ab", 100)[:199] + "…"},
		{RecTodo, vevent("SUMMARY:Pay", "DUE;VALUE=DATE:20250301")[len("BEGIN:VEVENT\r\n"):], "Pay, due 2025-03-01"},
		{RecJournal, "BEGIN:VJOURNAL\r\nSUMMARY:Notes\r\nDTSTART:20250101T101530\r\nEND:VJOURNAL\r\n", "Notes (2025-01-01 10:15:30)"},
	}
	for _, tc := range tests {
		in := tc.in
		if tc.kind == RecTodo {
			in = "BEGIN:VTODO\r\n" + strings.TrimSuffix(in, "END:VEVENT\r\n") + "END:VTODO\r\n"
		}
		r, _ := ParseRecord(tc.kind, []byte(in))
		if r.Name != tc.name {
			t.Errorf("%q: Name %q, want %q", tc.in, r.Name, tc.name)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		kind RecordKind
		in   string
		want string // substring of the error, "" for none
	}{
		{RecContact, vcard3("FN:A"), ""},
		{RecContact, "BEGIN:VCARD\r\nFN:A\r\n", "missing END:VCARD"},
		{RecContact, "FN:A\r\n", "no BEGIN line"},
		{RecContact, "BEGIN:VCARD\r\nFN:A\r\nsecret garbage\r\nEND:VCARD\r\n", "line 3: no colon"},
		{RecEvent, vcard3("FN:A"), "BEGIN:VCARD where VEVENT was expected"},
		{RecEvent, "BEGIN:VEVENT\r\nBEGIN:VALARM\r\nEND:VEVENT\r\n", "closes unterminated BEGIN:VALARM"},
		{RecEvent, "BEGIN:VEVENT\r\nEND:VTODO\r\nEND:VEVENT\r\n", "END:VTODO without BEGIN"},
		{RecEvent, "BEGIN:VEVENT\r\nORGANIZER;CN=Sixt SE\r\nEND:VEVENT\r\n", "no colon"},
		{RecEvent, "BEGIN:VEVENT\r\nATTENDEE;CN=a\"b:mailto:x\r\nEND:VEVENT\r\n", ""},
		{RecEvent, "BEGIN:VEVENT\r\nX-Y;=1:v\r\nEND:VEVENT\r\n", ""},
		{RecNone, "x", "no BEGIN"},
	}
	for _, tc := range tests {
		_, err := ParseRecord(tc.kind, []byte(tc.in))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("error echoes content: %v", err)
		}
	}
}
