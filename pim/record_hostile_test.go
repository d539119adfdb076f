package pim

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// hostileRecords are record pieces built to be expensive or confusing.
var hostileRecords = []struct {
	name string
	kind RecordKind
	// build returns the input; it is built before the clock starts.
	build func() []byte
	// maxAlloc bounds the bytes ParseRecord may allocate, 0 for no bound.
	maxAlloc uint64
}{
	{"100 MB base64 PHOTO line", RecContact, func() []byte {
		return concat([]byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nPHOTO;ENCODING=b;TYPE=JPEG:"),
			repeat("QUJD", 25<<20), []byte("\r\nEND:VCARD\r\n"))
	}, 8 << 20},
	{"100 MB 2.1 base64 PHOTO, unindented lines", RecContact, func() []byte {
		return concat([]byte("BEGIN:VCARD\r\nVERSION:2.1\r\nPHOTO;ENCODING=BASE64;JPEG:"),
			repeat("QUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJDQUJD\r\n", 1400000),
			[]byte("\r\nEND:VCARD\r\n"))
	}, 8 << 20},
	{"100 MB NOTE line", RecContact, func() []byte {
		return concat([]byte("BEGIN:VCARD\r\nNOTE:"), repeat("x", 100<<20), []byte("\r\nEND:VCARD\r\n"))
	}, 8 << 20},
	{"20 MB quoted-printable soft breaks", RecContact, func() []byte {
		return concat([]byte("BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:"), repeat("=41=\n", 4<<20), []byte("\nEND:VCARD\n"))
	}, 8 << 20},
	{"20 MB parameters", RecContact, func() []byte {
		return concat([]byte("BEGIN:VCARD\nN;"), repeat("QUOTED-PRINTABL", 1<<20),
			[]byte(";QUOTED-PRINTABLE:"), repeat("=41=\n", 1<<20), []byte("\nEND:VCARD\n"))
	}, 0},
	{"1 MB quoted parameter (go-ical is quadratic there)", RecEvent, func() []byte {
		return concat([]byte("BEGIN:VEVENT\nATTENDEE;CN=\""), repeat("a", 1<<20), []byte("\":mailto:x\nEND:VEVENT\n"))
	}, 0},
	{"4000-byte quoted parameters x 200", RecEvent, func() []byte {
		line := concat([]byte("ATTENDEE;CN=\""), repeat("a", 4000), []byte("\":mailto:x\n"))
		return concat([]byte("BEGIN:VEVENT\n"), bytes.Repeat(line, 200), []byte("END:VEVENT\n"))
	}, 0},
	{"1e6 nested BEGIN:VCARD", RecContact, func() []byte { return repeat("BEGIN:VCARD\r\n", 1e6) }, 0},
	{"1e6 nested BEGIN:VEVENT and ENDs", RecEvent, func() []byte {
		return concat(repeat("BEGIN:VEVENT\n", 1e6), repeat("END:VEVENT\n", 1e6))
	}, 0},
	{"1e6 nested BEGIN:VALARM in an event", RecEvent, func() []byte {
		return concat([]byte("BEGIN:VEVENT\nSUMMARY:x\n"), repeat("BEGIN:VALARM\n", 1e6))
	}, 0},
	{"1e5 sibling VALARMs", RecEvent, func() []byte {
		return concat([]byte("BEGIN:VEVENT\n"), repeat("BEGIN:VALARM\nTRIGGER:-PT1M\nEND:VALARM\n", 1e5), []byte("END:VEVENT\n"))
	}, 0},
	{"1e6 END without BEGIN", RecEvent, func() []byte {
		return concat([]byte("BEGIN:VEVENT\n"), repeat("END:VTODO\n", 1e6))
	}, 0},
	{"1e6 properties", RecContact, func() []byte {
		return concat([]byte("BEGIN:VCARD\n"), repeat("TEL;CELL:1\n", 1e6), []byte("END:VCARD\n"))
	}, 0},
	{"1e6 folded continuation lines", RecContact, func() []byte {
		return concat([]byte("BEGIN:VCARD\nFN:a"), repeat("\n b", 1e6), []byte("\nEND:VCARD\n"))
	}, 8 << 20},
	{"1e6 lines without colon", RecContact, func() []byte {
		return concat([]byte("BEGIN:VCARD\n"), repeat("garbage\n", 1e6), []byte("END:VCARD\n"))
	}, 0},
	{"missing END", RecEvent, func() []byte { return []byte("BEGIN:VEVENT\nSUMMARY:x\nDTSTART:20250101\n") }, 0},
	{"NUL bytes", RecContact, func() []byte {
		return []byte("BEGIN:VCARD\x00\nFN:A\x00B\nN\x00:x\n\x00\x00\x00\nEND:VCARD\n")
	}, 0},
	{"invalid UTF-8", RecContact, func() []byte {
		return []byte("BEGIN:VCARD\nFN:\xff\xfe\xc3\x28\xe2\x82\nNOTE;CHARSET=UTF-8:\xc0\xaf\nEND:VCARD\n")
	}, 0},
	{"only CRs", RecEvent, func() []byte { return repeat("BEGIN:VEVENT\rSUMMARY:x\r", 1e5) }, 0},
	{"20 MB component name", RecEvent, func() []byte { return concat([]byte("BEGIN:"), repeat("V", 20<<20), []byte("\n")) }, 0},
	{"go-ical panic line (ORGANIZER;CN=x, no value)", RecFreeBusy, func() []byte {
		return []byte("BEGIN:VFREEBUSY\r\nORGANIZER;CN=Sixt SE\r\nUID:1\r\nEND:VFREEBUSY\r\n")
	}, 0},
	{"quote after quoted parameter (go-ical panics)", RecEvent, func() []byte {
		return []byte("BEGIN:VEVENT\r\nATTENDEE;CN=\"a\"b:mailto:x\r\nEND:VEVENT\r\n")
	}, 0},
	{"empty", RecContact, func() []byte { return nil }, 0},
	{"RecNone", RecNone, func() []byte { return []byte("BEGIN:VCALENDAR\n") }, 0},
	{"invalid kind", RecordKind(200), func() []byte { return []byte("BEGIN:X\nA:b\nEND:X\n") }, 0},
}

func TestParseRecordHostile(t *testing.T) {
	for _, tc := range hostileRecords {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.build()
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			r, err := ParseRecord(tc.kind, data)
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			// Linear inputs take well under a second here; 10 s leaves
			// room for a loaded CI machine and -race, while a quadratic
			// walk of these inputs would take minutes.
			if elapsed > 10*time.Second {
				t.Errorf("took %v", elapsed)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; tc.maxAlloc > 0 && alloc > tc.maxAlloc {
				t.Errorf("allocated %d MB", alloc>>20)
			}
			checkRecord(t, r, err)
			if err != nil && len(err.Error()) > 2000 {
				t.Errorf("error is %d bytes long", len(err.Error()))
			}
			t.Logf("%v, %d fields, err %.120v", elapsed, len(r.Fields), err)
		})
	}
}

// checkRecord checks what every parse must give: no internal error, clean
// UTF-8, a key, and no difference with itself.
func checkRecord(t testing.TB, r Record, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), "internal error") {
		t.Fatalf("ParseRecord panicked: %v", err)
	}
	if r.Key == "" || r.Fields == nil {
		t.Fatalf("Key %q, Fields %v", r.Key, r.Fields)
	}
	if !utf8.ValidString(r.Name) || utf8.RuneCountInString(r.Name) > maxNameRunes || strings.ContainsAny(r.Name, "\x00\r\n") {
		t.Fatalf("Name %q", r.Name)
	}
	for k, vs := range r.Fields {
		for _, v := range vs {
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				t.Fatalf("field %q = %q is not UTF-8", k, v)
			}
		}
	}
	for _, s := range []string{r.UID, r.Key, r.Start, r.Due, r.Status, r.RecurrenceID} {
		if !utf8.ValidString(s) {
			t.Fatalf("%q is not UTF-8", s)
		}
	}
	if d := Diff(r, r); len(d) != 0 {
		t.Fatalf("Diff(r, r) = %v", d)
	}
}

// TestLibrariesContained shows that the raw lines NOTES.md warns about do
// make go-ical panic, and that libDecode turns the panic into an error.
func TestLibrariesContained(t *testing.T) {
	for _, raw := range []string{
		"BEGIN:VCALENDAR\r\nBEGIN:VFREEBUSY\r\nORGANIZER;CN=Sixt SE\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n",
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nATTENDEE;CN=\"a\"b:mailto:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
	} {
		_, err := libDecode(RecEvent, []byte(raw))
		if err == nil || !strings.Contains(err.Error(), "go-ical panicked") {
			t.Errorf("%q: %v", raw, err)
		}
	}
}

func FuzzParseRecord(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(uint8(RecContact), []byte(s))
		f.Add(uint8(RecEvent), []byte(s))
	}
	for _, s := range []string{
		"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=88=C0=\r\n=93=A1\r\nTEL;CELL:1\r\nEND:VCARD\r\n",
		"BEGIN:VCARD\nPHOTO;ENCODING=BASE64;JPEG:AAAA\nAAAA\n\nFN:a\\\nb\nEND:VCARD\n",
		"BEGIN:VEVENT\nUID:1\nRECURRENCE-ID;TZID=X:20250101T000000\nSUMMARY:a\\,b\nBEGIN:VALARM\nTRIGGER:-PT1M\nEND:VALARM\nEND:VEVENT\n",
		"BEGIN:VTODO\nSUMMARY\n\n :x\nDUE:2025\nSTATUS:needs-action\nEND:VTODO\n",
		"BEGIN:VFREEBUSY\r\nORGANIZER;CN=Sixt SE\r\nEND:VFREEBUSY\r\n",
		"BEGIN:VEVENT\nATTENDEE;CN=\"a\"b:x\nX;\"=:\nEND:VEVENT\n",
	} {
		for k := RecNone; k <= RecOther; k++ {
			f.Add(uint8(k), []byte(s))
		}
	}
	addPieceSeeds(f)
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		k := RecordKind(kind % uint8(RecOther+2))
		r, err := ParseRecord(k, data)
		checkRecord(t, r, err)
		if r.Kind != k {
			t.Fatalf("Kind %v, want %v", r.Kind, k)
		}
		r2, _ := ParseRecord(k, data)
		if r2.Key != r.Key || r2.Name != r.Name || len(Diff(r, r2)) != 0 {
			t.Fatalf("not deterministic")
		}
		r.Matches(string(data[:min(len(data), 8)]))
	})
}

// addPieceSeeds adds the record pieces of the corpus's small files, when
// the corpus is present.
func addPieceSeeds(f *testing.F) {
	dir := os.Getenv("LIFEBOAT_CORPUS")
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			return
		}
		dir = filepath.Join(root, "..", "shared", "testdata", "corpus")
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*", "*", "*"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil || len(data) > 8192 || strings.Contains(p, "licenses") {
			continue
		}
		for _, pc := range Split(Classify(p, data), data) {
			if pc.Kind != RecNone {
				f.Add(uint8(pc.Kind), data[pc.Off:pc.Off+pc.Len])
			}
		}
	}
}
