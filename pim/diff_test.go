package pim

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// vcard3 builds a vCard 3.0 from property lines.
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
