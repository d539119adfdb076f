package pim

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// hostileCase is an input built to be expensive or confusing.
type hostileCase struct {
	name  string
	build func() []byte
	kind  Kind
	count *Counts // expected counts, if known
}

func repeat(s string, n int) []byte { return bytes.Repeat([]byte(s), n) }

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

var hostileCases = []hostileCase{
	{name: "1e6 nested BEGIN:VCARD", kind: KindVCard, count: &Counts{Contacts: 1},
		build: func() []byte { return repeat("BEGIN:VCARD\r\n", 1e6) }},
	{name: "1e6 nested BEGIN:VCARD then ENDs and a card", kind: KindVCard, count: &Counts{Contacts: 2},
		build: func() []byte {
			return concat(repeat("BEGIN:VCARD\n", 1e6), repeat("END:VCARD\n", 1e6), []byte(card("z", "\n")))
		}},
	{name: "1e6 nested BEGIN:VCALENDAR", kind: KindICal, count: &Counts{},
		build: func() []byte { return repeat("BEGIN:VCALENDAR\n", 1e6) }},
	{name: "1e6 nested BEGIN:VEVENT", kind: KindICal, count: &Counts{Events: 1},
		build: func() []byte { return repeat("BEGIN:VEVENT\n", 1e6) }},
	{name: "1e6 END without BEGIN", kind: KindICal, count: &Counts{},
		build: func() []byte { return repeat("END:VCALENDAR\n", 1e6) }},
	{name: "1e5 mismatched ENDs under deep stack", kind: KindICal, count: &Counts{Events: 1},
		build: func() []byte {
			return concat([]byte("BEGIN:VEVENT\n"), repeat("BEGIN:X\n", 99), repeat("END:Y\n", 1e5))
		}},
	{name: "20 MB line", kind: KindVCard, count: &Counts{Contacts: 1},
		build: func() []byte {
			return concat([]byte("BEGIN:VCARD\r\nNOTE:"), repeat("x", 20<<20), []byte("\r\nEND:VCARD\r\n"))
		}},
	{name: "20 MB BEGIN name", kind: KindICal, count: &Counts{},
		build: func() []byte { return concat([]byte("BEGIN:"), repeat("V", 20<<20), []byte("\n")) }},
	{name: "20 MB QP parameters and soft breaks", kind: KindVCard, count: &Counts{Contacts: 1},
		build: func() []byte {
			return concat([]byte("BEGIN:VCARD\nN;"), repeat("QUOTED-PRINTABL", 1<<20),
				[]byte(";QUOTED-PRINTABLE:"), repeat("=41=\n", 4<<20), []byte("\nEND:VCARD\n"))
		}},
	{name: "1e6 folded continuation lines", kind: KindVCard, count: &Counts{Contacts: 1},
		build: func() []byte {
			return concat([]byte("BEGIN:VCARD\nPHOTO:"), repeat("\n AAAAAAAAAAAAAAAA", 1e6), []byte("\nEND:VCARD\n"))
		}},
	{name: "10 MB of lone CRs", kind: KindICal, count: &Counts{},
		build: func() []byte { return repeat("\r", 10<<20) }},
	{name: "10 MB of lone CR lines, no LF", kind: KindVCard, count: &Counts{Contacts: 100000},
		build: func() []byte { return repeat(card("a", "\r"), 100000) }},
	{name: "NUL bytes", kind: KindICal, count: &Counts{Events: 1},
		build: func() []byte {
			// END:\x00VEVENT closes nothing, so the second VEVENT is nested.
			return []byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\n\x00\x00\x00\nEND:\x00VEVENT\nBEGIN:VEVENT\x00\n\xff\xfe\n")
		}},
	{name: "1 MB of NULs", kind: KindVCard, count: &Counts{},
		build: func() []byte { return make([]byte, 1<<20) }},
	{name: "invalid UTF-8", kind: KindVCard, count: &Counts{Contacts: 1},
		build: func() []byte { return []byte("BEGIN:VCARD\nFN:\xc3\x28\xa0\xa1\xf0\x28\x8c\xbc\nEND:VCARD\n") }},
}

// TestHostile splits inputs built to be slow, deep or malformed: no panic,
// exact cover, and quick.
func TestHostile(t *testing.T) {
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.build()
			start := time.Now()
			pieces := Split(tc.kind, data)
			Classify("x", data)
			elapsed := time.Since(start)
			checkPieces(t, data, pieces)
			if tc.count != nil {
				if got := Count(pieces); got != *tc.count {
					t.Errorf("count = %+v, want %+v", got, *tc.count)
				}
			}
			// Linear time: even under -race this is far below the limit;
			// a quadratic walk would take minutes.
			if limit := 20 * time.Second; elapsed > limit {
				t.Errorf("took %v for %d bytes", elapsed, len(data))
			}
			t.Logf("%d bytes, %d pieces, %v", len(data), len(pieces), elapsed)
		})
	}
}

// TestHostileDeepCalendars checks nesting just under MaxDepth: a record in a
// chain of nested VCALENDARs is still counted, and the walk recovers.
func TestHostileDeepCalendars(t *testing.T) {
	var b strings.Builder
	for range MaxDepth - 1 {
		b.WriteString("BEGIN:VCALENDAR\n")
	}
	b.WriteString(event("deep", "\n"))
	for range MaxDepth - 1 {
		b.WriteString("END:VCALENDAR\n")
	}
	b.WriteString(event("top", "\n"))
	data := []byte(b.String())
	pieces := Split(KindICal, data)
	checkPieces(t, data, pieces)
	if got := Count(pieces); got != (Counts{Events: 2}) {
		t.Errorf("count = %+v, want 2 events", got)
	}
}
