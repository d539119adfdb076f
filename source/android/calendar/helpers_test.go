package calendar

import (
	"strings"
	"testing"
)

func TestDuration(t *testing.T) {
	cases := []struct {
		in   string
		secs int64
		ok   bool
		out  string
	}{
		{"P3600S", 3600, true, "PT1H"}, // Android's own form
		{"PT1H30M", 5400, true, "PT1H30M"},
		{"P1D", 86400, true, "P1D"},
		{"P1W", 604800, true, "P7D"},
		{"P1DT2H3M4S", 93784, true, "P1DT2H3M4S"},
		{"-PT15M", -900, true, "-PT15M"},
		{"PT0S", 0, true, "PT0S"},
		{"", 0, false, ""},
		{"P", 0, false, ""},
		{"P1M", 0, false, ""}, // months are not durations
		{"PT1", 0, false, ""},
		{"1H", 0, false, ""},
		{"P99999999999999999999D", 0, false, ""},
	}
	for _, c := range cases {
		secs, ok := parseDuration(c.in)
		if ok != c.ok || secs != c.secs {
			t.Errorf("parseDuration(%q) = %d, %v; want %d, %v", c.in, secs, ok, c.secs, c.ok)
		}
		if ok && formatDuration(secs) != c.out {
			t.Errorf("formatDuration(%d) = %q, want %q", secs, formatDuration(secs), c.out)
		}
	}
}

func TestEscapeText(t *testing.T) {
	cases := map[string]string{
		"a,b;c\\d":       `a\,b\;c\\d`,
		"l1\r\nl2\rl3\n": `l1\nl2\nl3\n`,
		"日本語, テキスト":      `日本語\, テキスト`,
		"plain":          "plain",
		"tab\tbell\x07":  "tab\tbell",
		"bad\xffutf8":    "bad\uFFFDutf8",
	}
	for in, want := range cases {
		if got := escapeText(in); got != want {
			t.Errorf("escapeText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := paramValue("a\"b\nc"); got != `"a'b c"` {
		t.Errorf("paramValue = %q", got)
	}
}

func TestFold(t *testing.T) {
	for _, s := range []string{strings.Repeat("a", 75), strings.Repeat("a", 76), strings.Repeat("ж", 100), strings.Repeat("🎂", 40)} {
		var l lines
		l.fold(s)
		out := l.b.String()
		for i, ln := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
			if len(ln) > 75 || (i > 0 && ln[0] != ' ') {
				t.Errorf("line %d of %q: %q", i, s[:8], ln)
			}
		}
		if strings.ReplaceAll(out, "\r\n ", "") != s+"\r\n" {
			t.Errorf("%q does not unfold to itself", s[:8])
		}
	}
	var l lines
	l.fold(strings.Repeat("a", 75))
	if strings.Contains(l.b.String(), "\r\n ") {
		t.Error("a line of exactly 75 octets was folded")
	}
}

func TestRecurSets(t *testing.T) {
	cases := []struct {
		in     string
		allDay bool
		want   string
	}{
		{"20250113T090000Z", false, ":20250113T090000Z"},
		{"20250113T090000Z,20250120T090000Z", false, ":20250113T090000Z,20250120T090000Z"},
		{"Europe/Berlin;20250113T100000,20250120T100000", false, ";TZID=Europe/Berlin:20250113T100000,20250120T100000"},
		{"20250113T000000Z", true, ";VALUE=DATE:20250113"},
		{"20250113", false, ";VALUE=DATE:20250113"},
		{"Mars/Olympus;20250113T100000", false, ":20250113T100000"}, // unknown zone: floating
		{"20250113T090000Z\nEurope/Berlin;20250120T100000", false, ":20250113T090000Z ;TZID=Europe/Berlin:20250120T100000"},
		{"garbage,2025-01-13,20250113T090000Z", false, ":20250113T090000Z"},
		{"", false, ""},
	}
	for _, c := range cases {
		zs := zones{}
		var got []string
		for _, p := range recurSets(c.in, c.allDay, zs) {
			got = append(got, p.params+":"+p.value)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("recurSets(%q, %v) = %q, want %q", c.in, c.allDay, strings.Join(got, " "), c.want)
		}
		if strings.Contains(c.want, "TZID=Europe/Berlin") != (zs["Europe/Berlin"] != nil) {
			t.Errorf("recurSets(%q): zone use not recorded", c.in)
		}
	}
}

func TestUTCOffset(t *testing.T) {
	for secs, want := range map[int]string{0: "+0000", 3600: "+0100", -18000: "-0500", 19800: "+0530", -2670: "-004430"} {
		if got := utcOffset(secs); got != want {
			t.Errorf("utcOffset(%d) = %q, want %q", secs, got, want)
		}
	}
}

// TestZoneExtremes: instants at the ends of what the provider can hold
// give a bounded VTIMEZONE, quickly.
func TestZoneExtremes(t *testing.T) {
	for _, d := range []string{"9223372036854775807", "-9223372036854775808", "253402300799000", "-62135596800000", "4102444800000"} {
		files, err := Render(Tables{Calendars: []map[string]string{{"_id": "1"}},
			Events: []map[string]string{{"_id": "1", "calendar_id": "1", "dtstart": d, "eventTimezone": "Europe/Berlin"}}})
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(files[0].Data), "BEGIN:DAYLIGHT"); n > maxZoneYears+2 {
			t.Errorf("dtstart %s: %d DAYLIGHT observances", d, n)
		}
	}
}
