package pim

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// card returns a minimal vCard 3.0 with the given name and line ending.
func card(name, eol string) string {
	return "BEGIN:VCARD" + eol + "VERSION:3.0" + eol + "FN:" + name + eol + "END:VCARD" + eol
}

// event returns a minimal VEVENT with the given UID and line ending.
func event(uid, eol string) string {
	return "BEGIN:VEVENT" + eol + "UID:" + uid + eol + "END:VEVENT" + eol
}

const calHead = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"

type splitCase struct {
	name  string
	kind  Kind
	in    string
	want  []string     // piece texts; nil means "don't check"
	kinds []RecordKind // piece kinds; nil means "don't check"
	count Counts
}

var splitCases = []splitCase{
	{name: "empty vcard", kind: KindVCard, in: ""},
	{name: "empty ical", kind: KindICal, in: ""},
	{
		name: "CRLF", kind: KindVCard, in: card("a", "\r\n") + card("b", "\r\n"),
		want:  []string{card("a", "\r\n"), card("b", "\r\n")},
		count: Counts{Contacts: 2},
	},
	{
		name: "LF", kind: KindVCard, in: card("a", "\n") + card("b", "\n"),
		want:  []string{card("a", "\n"), card("b", "\n")},
		count: Counts{Contacts: 2},
	},
	{
		name: "lone CR", kind: KindVCard, in: card("a", "\r") + card("b", "\r"),
		want:  []string{card("a", "\r"), card("b", "\r")},
		count: Counts{Contacts: 2},
	},
	{
		name: "CR CR LF", kind: KindVCard, in: card("a", "\r\r\n") + card("b", "\r\r\n"),
		want:  []string{card("a", "\r\r\n"), card("b", "\r\r\n")},
		count: Counts{Contacts: 2},
	},
	{
		name: "mixed line ends, no final newline", kind: KindVCard,
		in:    "BEGIN:VCARD\rFN:a\nEND:VCARD\r\nBEGIN:VCARD\r\r\nFN:b\r\nEND:VCARD",
		want:  []string{"BEGIN:VCARD\rFN:a\nEND:VCARD\r\n", "BEGIN:VCARD\r\r\nFN:b\r\nEND:VCARD"},
		count: Counts{Contacts: 2},
	},
	{
		name: "BOM", kind: KindVCard, in: "\xEF\xBB\xBF" + card("a", "\r\n") + card("b", "\r\n"),
		want:  []string{"\xEF\xBB\xBF", card("a", "\r\n"), card("b", "\r\n")},
		kinds: []RecordKind{RecNone, RecContact, RecContact},
		count: Counts{Contacts: 2},
	},
	{
		name: "folded BEGIN and END lines", kind: KindVCard,
		in:    "BEG\r\n IN:VC\r\n\tARD\r\nFN:a\r\nEND:\r\n VCARD\r\n" + card("b", "\r\n"),
		want:  []string{"BEG\r\n IN:VC\r\n\tARD\r\nFN:a\r\nEND:\r\n VCARD\r\n", card("b", "\r\n")},
		count: Counts{Contacts: 2},
	},
	{
		name: "QP soft break hides BEGIN", kind: KindVCard,
		in: "BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE:line one=\r\n" +
			"BEGIN:VCARD=0D=0A=\r\nmore\r\nEND:VCARD\r\n" + card("b", "\r\n"),
		kinds: []RecordKind{RecContact, RecContact},
		count: Counts{Contacts: 2},
	},
	{
		name: "QP soft break, folded parameters", kind: KindVCard,
		in: "BEGIN:VCARD\r\nNOTE;CHARSET=UTF-8;QUOTED-\r\n PRINTABLE:x=\r\n" +
			"BEGIN:VCARD\r\nEND:VCARD\r\n",
		kinds: []RecordKind{RecContact},
		count: Counts{Contacts: 1},
	},
	{
		name: "base64 '=' at line end is not a soft break", kind: KindVCard,
		in:    "BEGIN:VCARD\r\nPHOTO;ENCODING=BASE64:AAA=\r\nEND:VCARD\r\n" + card("b", "\r\n"),
		kinds: []RecordKind{RecContact, RecContact},
		count: Counts{Contacts: 2},
	},
	{
		name: "nested AGENT card", kind: KindVCard,
		in: "BEGIN:VCARD\nFN:boss\nAGENT:\nBEGIN:VCARD\nFN:agent\nEND:VCARD\nEND:VCARD\n" +
			card("b", "\n"),
		want: []string{"BEGIN:VCARD\nFN:boss\nAGENT:\nBEGIN:VCARD\nFN:agent\nEND:VCARD\nEND:VCARD\n",
			card("b", "\n")},
		count: Counts{Contacts: 2},
	},
	{
		name: "lower-case begin/end, trailing blanks", kind: KindVCard,
		in:    "begin:vCard \r\nfn:a\r\nEnd:VCARD\t\r\n" + card("b", "\r\n"),
		want:  []string{"begin:vCard \r\nfn:a\r\nEnd:VCARD\t\r\n", card("b", "\r\n")},
		count: Counts{Contacts: 2},
	},
	{
		name: "bytes around cards", kind: KindVCard,
		in:    "junk\r\n\r\n" + card("a", "\r\n") + "\r\n" + card("b", "\r\n") + "trailer",
		kinds: []RecordKind{RecNone, RecContact, RecNone, RecContact, RecNone},
		count: Counts{Contacts: 2},
	},
	{
		name: "vcard missing END", kind: KindVCard,
		in:    card("a", "\n") + "BEGIN:VCARD\nFN:b\n",
		want:  []string{card("a", "\n"), "BEGIN:VCARD\nFN:b\n"},
		count: Counts{Contacts: 2},
	},
	{
		name: "vcard END without BEGIN", kind: KindVCard,
		in:    "END:VCARD\n" + card("a", "\n"),
		want:  []string{"END:VCARD\n", card("a", "\n")},
		kinds: []RecordKind{RecNone, RecContact},
		count: Counts{Contacts: 1},
	},
	{
		name: "calendar", kind: KindICal,
		in: calHead + "BEGIN:VTIMEZONE\r\nTZID:x\r\nBEGIN:STANDARD\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n" +
			event("1", "\r\n") + "BEGIN:VTODO\r\nEND:VTODO\r\nBEGIN:VJOURNAL\r\nEND:VJOURNAL\r\n" +
			"BEGIN:VFREEBUSY\r\nEND:VFREEBUSY\r\nBEGIN:X-FOO\r\nEND:X-FOO\r\nEND:VCALENDAR\r\n",
		kinds: []RecordKind{RecNone, RecTimezone, RecEvent, RecTodo, RecJournal, RecFreeBusy, RecOther, RecNone},
		count: Counts{Events: 1, Todos: 1, Journals: 1, FreeBusy: 1},
	},
	{
		name: "event with alarm", kind: KindICal,
		in:    calHead + "BEGIN:VEVENT\r\nBEGIN:VALARM\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		want:  []string{calHead, "BEGIN:VEVENT\r\nBEGIN:VALARM\r\nEND:VALARM\r\nEND:VEVENT\r\n", "END:VCALENDAR\r\n"},
		count: Counts{Events: 1},
	},
	{
		name: "two calendars", kind: KindICal,
		in:    calHead + event("1", "\r\n") + "END:VCALENDAR\r\n" + calHead + event("2", "\r\n") + "END:VCALENDAR\r\n",
		want:  []string{calHead, event("1", "\r\n"), "END:VCALENDAR\r\n", calHead, event("2", "\r\n"), "END:VCALENDAR\r\n"},
		count: Counts{Events: 2},
	},
	{
		name: "nested VCALENDAR", kind: KindICal,
		in:    "BEGIN:VCALENDAR\nBEGIN:VCALENDAR\nVERSION:2.0\n" + event("1", "\n") + "END:VCALENDAR\nEND:VCALENDAR\n",
		want:  []string{"BEGIN:VCALENDAR\n", "BEGIN:VCALENDAR\nVERSION:2.0\n", event("1", "\n"), "END:VCALENDAR\nEND:VCALENDAR\n"},
		count: Counts{Events: 1},
	},
	{
		name: "VCALENDAR nested inside an event", kind: KindICal,
		in: calHead + "BEGIN:VEVENT\nUID:outer\nBEGIN:VCALENDAR\n" + event("inner", "\n") +
			"END:VCALENDAR\nEND:VEVENT\n" + event("2", "\n") + "END:VCALENDAR\n",
		kinds: []RecordKind{RecNone, RecEvent, RecNone, RecEvent, RecNone, RecEvent, RecNone},
		count: Counts{Events: 3},
	},
	{
		name: "event nested in event is not counted", kind: KindICal,
		in:    calHead + "BEGIN:VEVENT\nBEGIN:VEVENT\nEND:VEVENT\nEND:VEVENT\nEND:VCALENDAR\n",
		kinds: []RecordKind{RecNone, RecEvent, RecNone},
		count: Counts{Events: 1},
	},
	{
		name: "bare components", kind: KindICal,
		in:    event("1", "\n") + "BEGIN:VTODO\nEND:VTODO\n" + "BEGIN:VALARM\nEND:VALARM\n",
		want:  []string{event("1", "\n"), "BEGIN:VTODO\nEND:VTODO\n", "BEGIN:VALARM\nEND:VALARM\n"},
		kinds: []RecordKind{RecEvent, RecTodo, RecOther},
		count: Counts{Events: 1, Todos: 1},
	},
	{
		name: "ical missing END", kind: KindICal,
		in:    calHead + event("1", "\n") + "BEGIN:VEVENT\nUID:2\n",
		want:  []string{calHead, event("1", "\n"), "BEGIN:VEVENT\nUID:2\n"},
		count: Counts{Events: 2},
	},
	{
		name: "END closes the nearest open component of its name", kind: KindICal,
		in:    calHead + "BEGIN:VEVENT\nBEGIN:VALARM\nEND:VCALENDAR\n" + event("2", "\n"),
		want:  []string{calHead, "BEGIN:VEVENT\nBEGIN:VALARM\nEND:VCALENDAR\n", event("2", "\n")},
		count: Counts{Events: 2},
	},
	{
		name: "mismatched END is ignored", kind: KindICal,
		in:    calHead + "BEGIN:VEVENT\nEND:VTODO\nEND:VEVENT\nEND:VCALENDAR\n",
		want:  []string{calHead, "BEGIN:VEVENT\nEND:VTODO\nEND:VEVENT\n", "END:VCALENDAR\n"},
		count: Counts{Events: 1},
	},
	{
		name: "lower-case ical", kind: KindICal,
		in:    "begin:vcalendar\nbegin:vevent\nend:vevent\nEnd:VCalendar\n",
		kinds: []RecordKind{RecNone, RecEvent, RecNone},
		count: Counts{Events: 1},
	},
	{
		name: "vcard content split as ical counts no events", kind: KindICal,
		in:    card("a", "\n"),
		kinds: []RecordKind{RecOther},
	},
	{
		name: "other kind is one piece", kind: KindOther, in: card("a", "\n"),
		kinds: []RecordKind{RecNone},
	},
	{
		name: "media is one piece", kind: KindMedia, in: "\xFF\xD8\xFF\xE0",
		kinds: []RecordKind{RecNone},
	},
}

func TestSplit(t *testing.T) {
	for _, tc := range splitCases {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.in)
			pieces := Split(tc.kind, data)
			checkPieces(t, data, pieces)
			if got := texts(data, pieces); tc.want != nil && !slices.Equal(got, tc.want) {
				t.Errorf("pieces:\n got %q\nwant %q", got, tc.want)
			}
			if got := kinds(pieces); tc.kinds != nil && !slices.Equal(got, tc.kinds) {
				t.Errorf("kinds: got %v, want %v", got, tc.kinds)
			}
			if got := Count(pieces); got != tc.count {
				t.Errorf("count: got %+v, want %+v", got, tc.count)
			}
		})
	}
}

func TestCounts(t *testing.T) {
	c := Counts{Contacts: 1, Events: 2}
	c.Add(Counts{Events: 1, Todos: 3, Journals: 4, FreeBusy: 5})
	want := Counts{Contacts: 1, Events: 3, Todos: 3, Journals: 4, FreeBusy: 5}
	if c != want || c.Records() != 16 {
		t.Errorf("got %+v (%d records), want %+v (16)", c, c.Records(), want)
	}
	pieces := []Piece{{Kind: RecNone}, {Kind: RecTimezone}, {Kind: RecOther}, {Kind: RecContact}}
	if got := Count(pieces); got != (Counts{Contacts: 1}) {
		t.Errorf("Count = %+v, want 1 contact only", got)
	}
}

// TestEditLocality edits one card of a 5,000-card file and checks that
// exactly one piece changes.
func TestEditLocality(t *testing.T) {
	const n = 5000
	var a, b strings.Builder
	for i := range n {
		c := card(fmt.Sprint("Person ", i), "\r\n")
		a.WriteString(c)
		if i == 2345 {
			c = strings.Replace(c, "FN:Person", "FN:Edited Person", 1)
		}
		b.WriteString(c)
	}
	da, db := []byte(a.String()), []byte(b.String())
	pa, pb := Split(KindVCard, da), Split(KindVCard, db)
	checkPieces(t, da, pa)
	checkPieces(t, db, pb)
	if len(pa) != n || len(pb) != n {
		t.Fatalf("got %d and %d pieces, want %d", len(pa), len(pb), n)
	}
	ta, tb := texts(da, pa), texts(db, pb)
	var diff []int
	for i := range ta {
		if ta[i] != tb[i] {
			diff = append(diff, i)
		}
	}
	if !slices.Equal(diff, []int{2345}) {
		t.Errorf("changed pieces %v, want [2345]", diff)
	}
}
