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
		{"Zo\xc3\xab", []string{"ISO-8859-1"}, "Zoë"},       // mislabelled UTF-8
		{"\x1b$B0BF#\x1b(B", []string{"ISO-2022-JP"}, "安藤"}, // 7-bit, valid UTF-8 bytes
		{"A\x00B\x00", []string{"UTF-16LE"}, "AB"},
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

func TestDecodingEdges(t *testing.T) {
	// bad: a substring of the error, "" for none. A value that is not
	// UTF-8 and has no CHARSET is still decoded by a guess, and named.
	tests := []struct{ in, field, want, bad string }{
		{"NOTE;ENCODING=QUOTED-PRINTABLE:x=3D=\r\ny", "NOTE", "x=y", ""},
		{"NOTE;ENCODING=QUOTED-PRINTABLE:x=3D=\r\n\r\ny", "NOTE", "x=y", ""},
		{"NOTE;ENCODING=QUOTED-PRINTABLE:100% =ZZ sure", "NOTE", "100% =ZZ sure", ""},
		{"NOTE;QUOTED-PRINTABLE:caf=c3=a9", "NOTE", "café", ""},
		{"FN:\x88\xc0\x93\xa1\x83\x8d\x83\x43\x83\x68", "FN", "安藤ロイド", "FN is not valid UTF-8"}, // raw Shift_JIS, no CHARSET anywhere
		{"FN:M\xfcller", "FN", "Müller", "line 3: FN is not valid UTF-8 and no CHARSET"},        // raw Latin-1
		{"FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller", "FN", "Müller", ""},
		{"FN;CHARSET=windows-1252:Ren\xe9e O\x92Hara", "FN", "Renée O’Hara", ""},
		{"NOTE:tab\there\\, comma\\; semi\\\\ back\\nline\\Nline", "NOTE", "tab\there, comma; semi\\ back\nline\nline", ""},
		{"NOTE:nul\x00and\x01ctl", "NOTE", "nulandctl", "line 3: a NUL byte"},
		{"N:Doe\\;Jr;John;;;", "N", "Doe\\;Jr;John", ""},
		{"ORG:;;", "ORG", "", ""},
		{"item7.TEL;type=HOME;TYPE=home,pref:1", "TEL", "TYPE=HOME,PREF:1", ""},
		{"PHOTO;VALUE=BINARY;ENCODING=BASE64:\r\n", "PHOTO", "VALUE=BINARY:[base64 0 bytes sha256:e3b0c44298fc1c14]", ""},
	}
	for _, tc := range tests {
		r, err := ParseRecord(RecContact, []byte("BEGIN:VCARD\r\nVERSION:2.1\r\n"+tc.in+"\r\nEND:VCARD\r\n"))
		switch {
		case tc.bad == "" && err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case tc.bad != "" && (err == nil || !strings.Contains(err.Error(), tc.bad)):
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.bad)
		}
		if got := r.Fields[tc.field]; len(got) != 1 || got[0] != tc.want {
			t.Errorf("%q: %s = %q, want %q", tc.in, tc.field, got, tc.want)
		}
	}
}
