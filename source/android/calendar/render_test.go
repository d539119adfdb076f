package calendar

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

// render renders tables and returns the files by calendar _id.
func render(t *testing.T, tb Tables) map[string]File {
	t.Helper()
	files, err := Render(tb)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]File{}
	for _, f := range files {
		m[f.CalendarID] = f
	}
	return m
}

// unfold undoes line folding and splits into lines.
func unfold(data []byte) []string {
	s := strings.ReplaceAll(string(data), "\r\n ", "")
	return strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
}

// vevent returns the unfolded lines of the VEVENT holding line want.
func vevent(t *testing.T, data []byte, want string) []string {
	t.Helper()
	var cur []string
	in := false
	for _, ln := range unfold(data) {
		switch {
		case ln == "BEGIN:VEVENT":
			in, cur = true, nil
		case ln == "END:VEVENT":
			in = false
			for _, c := range cur {
				if c == want {
					return cur
				}
			}
		case in:
			cur = append(cur, ln)
		}
	}
	t.Fatalf("no VEVENT with %q in\n%s", want, data)
	return nil
}

func has(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func TestEventLines(t *testing.T) {
	files := render(t, fixture())
	cal1, cal2 := files["1"].Data, files["2"].Data
	cases := []struct {
		name       string
		data       []byte
		key        string   // a line that picks the VEVENT
		want, none []string // lines it has, and lines it must not have
	}{
		{"timed with TZID", cal1, "UID:abc-123@google.com",
			[]string{"DTSTART;TZID=Europe/Berlin:20250617T093000", "DTEND;TZID=Europe/Berlin:20250617T103000",
				"DTSTAMP:20250617T073000Z", "STATUS:CONFIRMED", "TRANSP:OPAQUE"}, []string{"DURATION:PT1H"}},
		{"escaped text", cal1, "UID:abc-123@google.com",
			[]string{`SUMMARY:Standup\, daily\; team`, `DESCRIPTION:Line 1\nLine 2\, with comma\; semi \\ back`,
				`LOCATION:Room 3\; Floor 2\, Berlin`}, nil},
		{"organizer and attendees", cal1, "UID:abc-123@google.com",
			[]string{`ORGANIZER;CN="Ana Müller":mailto:ana@example.com`,
				`ATTENDEE;CN="Ana Müller";ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:ana@example.com`,
				`ATTENDEE;CN="Bob 'The' Builder, Jr.";ROLE=OPT-PARTICIPANT;PARTSTAT=TENTATIVE:mailto:bob@example.com`,
				`ATTENDEE;ROLE=NON-PARTICIPANT;CUTYPE=RESOURCE:mailto:room3@resource.example.com`,
				`ATTENDEE;CN="Nobody's email";PARTSTAT=NEEDS-ACTION:invalid:nomail`}, nil},
		{"reminders", cal1, "UID:abc-123@google.com",
			[]string{"TRIGGER:-PT10M", "ACTION:DISPLAY", "TRIGGER:-PT30M", "ACTION:EMAIL", "ATTENDEE:mailto:ana@example.com"}, nil},
		{"recurring master", cal1, "SUMMARY:Weekly 1:1 — 週報",
			[]string{"DTSTART;TZID=Europe/Berlin:20250106T100000", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10",
				"EXDATE:20250113T090000Z", "EXDATE;TZID=Europe/Berlin:20250127T100000,20250210T100000"},
			[]string{"TRIGGER:-PT-1M", "BEGIN:VALARM"}},
		{"exception", cal1, "SUMMARY:Weekly 1:1 (moved)",
			[]string{"RECURRENCE-ID;TZID=Europe/Berlin:20250120T100000", "DTSTART;TZID=Europe/Berlin:20250120T110000"},
			[]string{"STATUS:CANCELLED"}},
		{"second exception", cal1, "SUMMARY:Weekly 1:1 (long)",
			[]string{"RECURRENCE-ID;TZID=Europe/Berlin:20250203T100000", "DTEND;TZID=Europe/Berlin:20250203T120000"}, nil},
		{"all-day", cal1, "SUMMARY:Birthday 🎂",
			[]string{"DTSTART;VALUE=DATE:20250301", "DTEND;VALUE=DATE:20250302", "TRANSP:TRANSPARENT"}, nil},
		{"all-day recurring", cal2, "SUMMARY:Рождество",
			[]string{"DTSTART;VALUE=DATE:20251224", "DURATION:P1D", "RRULE:FREQ=YEARLY", "EXDATE;VALUE=DATE:20261224", "EXDATE;VALUE=DATE:20281224",
				"TRIGGER:-PT1440M", "ACTION:AUDIO"}, nil},
		{"all-day exception", cal2, "SUMMARY:Рождество (перенесено)",
			[]string{"RECURRENCE-ID;VALUE=DATE:20271224", "DTSTART;VALUE=DATE:20271225"}, nil},
		{"nulls", cal2, "DTSTART:20250505T120000Z",
			nil, []string{"SUMMARY:", "DTEND:20250505T120000Z", "STATUS:TENTATIVE"}},
		{"rdate in a zone", cal2, "SUMMARY:Class",
			[]string{"DTSTART;TZID=America/New_York:20250222T090000", "DURATION:PT30M",
				"RDATE;TZID=America/New_York:20250301T090000,20250315T090000"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ev := vevent(t, c.data, c.key)
			for _, w := range c.want {
				if !has(ev, w) {
					t.Errorf("missing %q in\n%s", w, strings.Join(ev, "\n"))
				}
			}
			for _, n := range c.none {
				if has(ev, n) {
					t.Errorf("unexpected %q", n)
				}
			}
		})
	}
}

func TestUIDs(t *testing.T) {
	files := render(t, fixture())
	cal1 := files["1"].Data
	master := vevent(t, cal1, "SUMMARY:Weekly 1:1 — 週報")
	exc := vevent(t, cal1, "SUMMARY:Weekly 1:1 (moved)")
	if master[0] != exc[0] || !strings.HasPrefix(master[0], "UID:") || !strings.HasSuffix(master[0], "@android.lifeboat") {
		t.Fatalf("master %q and exception %q should share a derived UID", master[0], exc[0])
	}
	// The derived UID depends on the account: another account, another UID.
	tb := fixture()
	tb.Calendars[1]["account_name"] = "someone@else.example"
	if other := vevent(t, render(t, tb)["1"].Data, "SUMMARY:Weekly 1:1 — 週報"); other[0] == master[0] {
		t.Fatalf("UID %s does not depend on the account", other[0])
	}
	if bytes.Contains(cal1, []byte("Orphan")) || bytes.Contains(files["2"].Data, []byte("Orphan")) {
		t.Fatal("event of a missing calendar was rendered")
	}
	if n := bytes.Count(cal1, []byte("BEGIN:VEVENT")); n != 5 {
		t.Fatalf("calendar 1 has %d VEVENTs, want 5 (cancelled exception as EXDATE)", n)
	}
}

func TestCalendarHeader(t *testing.T) {
	files := render(t, fixture())
	lines := unfold(files["1"].Data)
	for _, w := range []string{"BEGIN:VCALENDAR", "VERSION:2.0", `X-WR-CALNAME:Work\, Home\; Ünïcode`,
		"X-APPLE-CALENDAR-COLOR:#0000FF", "X-WR-TIMEZONE:Europe/Berlin", "BEGIN:VTIMEZONE", "TZID:Europe/Berlin",
		"TZOFFSETTO:+0200", "TZOFFSETFROM:+0100", "END:VCALENDAR"} {
		if !has(lines, w) {
			t.Errorf("calendar 1: missing %q", w)
		}
	}
	l2 := unfold(files["2"].Data)
	if !has(l2, "TZID:America/New_York") || has(l2, "TZID:Europe/Berlin") || !has(l2, "TZOFFSETTO:-0500") {
		t.Errorf("calendar 2 should define America/New_York only:\n%s", files["2"].Data)
	}
	if bytes.Contains(files["3"].Data, []byte("BEGIN:VTIMEZONE")) || bytes.Contains(files["3"].Data, []byte("BEGIN:VEVENT")) {
		t.Errorf("empty calendar 3 has content:\n%s", files["3"].Data)
	}
}

func TestFileNames(t *testing.T) {
	files, err := Render(fixture())
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, f := range files {
		got = append(got, f.CalendarID+"="+f.Name)
	}
	want := "1=Work_ Home_ Ünïcode.ics 2=Семья 家族.ics 3=WORK_ HOME_ ÜNÏCODE-3.ics"
	if strings.Join(got, " ") != want {
		t.Fatalf("files %q, want %q", strings.Join(got, " "), want)
	}
	cases := map[string]string{"": "", "../../etc/passwd": "_.._etc_passwd", "a/b\\c:d*e": "a_b_c_d_e", "CON": "_CON",
		"...hidden": "hidden", strings.Repeat("é", 80): strings.Repeat("é", 50)}
	for in, w := range cases {
		if g := safeName(in); g != w {
			t.Errorf("safeName(%q) = %q, want %q", in, g, w)
		}
	}
	taken := newNames()
	for i, w := range []string{"calendar.ics", "Phone.ics", "calendar-0.ics"} {
		cal := []map[string]string{{}, {"account_name": "Phone"}, {}}[i]
		if g := fileName(cal, taken); g != w {
			t.Errorf("fileName #%d = %q, want %q", i, g, w)
		}
	}
}

// TestFileNamesRepeatedID: calendars of one name and one _id (a provider
// that repeats its ids) get distinct names that stay short: each
// repetition added "-<_id>" again, so names grew without bound (a file
// system refuses names over 255 bytes; many such calendars took
// quadratic memory).
func TestFileNamesRepeatedID(t *testing.T) {
	taken := newNames()
	seen := map[string]bool{}
	for i := range 300 {
		g := fileName(map[string]string{"calendar_displayName": "Work", "_id": "7"}, taken)
		if seen[g] || len(g) > 20 {
			t.Fatalf("calendar #%d named %q (%d bytes), a name given before or too long", i, g, len(g))
		}
		seen[g] = true
	}
	if g := fileName(map[string]string{"calendar_displayName": "Work-7-2"}, taken); seen[g] {
		t.Errorf("a calendar named as a numbered one got its name %q", g)
	}
}

func TestDeterministic(t *testing.T) {
	first, err := Render(fixture())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		tb := fixture()
		for _, rows := range [][]map[string]string{tb.Calendars, tb.Events, tb.Reminders, tb.Attendees} {
			rng.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
		}
		again, err := Render(tb)
		if err != nil {
			t.Fatal(err)
		}
		for j := range first {
			if first[j].Name != again[j].Name || !bytes.Equal(first[j].Data, again[j].Data) {
				t.Fatalf("shuffle %d: %s differs", i, first[j].Name)
			}
		}
	}
}

func TestLineFormat(t *testing.T) {
	tb := fixture()
	tb.Events[0]["description"] = strings.Repeat("Длинный текст, ", 20) + strings.Repeat("x", 200)
	for _, f := range render(t, tb) {
		s := string(f.Data)
		if !strings.HasSuffix(s, "\r\n") || strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\n") ||
			strings.Contains(strings.ReplaceAll(s, "\r\n", ""), "\r") {
			t.Fatalf("%s: lines not CRLF", f.Name)
		}
		for _, ln := range strings.Split(s, "\r\n") {
			if len(ln) > 75 {
				t.Fatalf("%s: line of %d octets: %q", f.Name, len(ln), ln)
			}
			if !utf8.ValidString(ln) {
				t.Fatalf("%s: fold split a UTF-8 sequence: %q", f.Name, ln)
			}
		}
	}
	ev := vevent(t, render(t, tb)["1"].Data, "UID:abc-123@google.com")
	if !has(ev, "DESCRIPTION:"+escapeText(tb.Events[0]["description"])) {
		t.Fatal("long description does not unfold to itself")
	}
}

func TestNoDtstart(t *testing.T) {
	tb := fixture()
	delete(tb.Events[1], "dtstart")
	if _, err := Render(tb); err == nil || !strings.Contains(err.Error(), "event 11") {
		t.Fatalf("err = %v, want one naming event 11", err)
	}
}

// TestExceptionLoops: exceptions that name themselves or each other as
// their master are still written, each once.
func TestExceptionLoops(t *testing.T) {
	tb := Tables{Calendars: []map[string]string{{"_id": "1"}}, Events: []map[string]string{
		{"_id": "1", "calendar_id": "1", "title": "self", "dtstart": "0", "original_id": "1", "originalInstanceTime": "0"},
		{"_id": "2", "calendar_id": "1", "title": "a", "dtstart": "0", "original_id": "3", "originalInstanceTime": "0"},
		{"_id": "3", "calendar_id": "1", "title": "b", "dtstart": "0", "original_id": "2", "originalInstanceTime": "0"},
	}}
	data := render(t, tb)["1"].Data
	for _, s := range []string{"SUMMARY:self", "SUMMARY:a", "SUMMARY:b"} {
		if n := bytes.Count(data, []byte(s+"\r\n")); n != 1 {
			t.Errorf("%s written %d times", s, n)
		}
	}
}
