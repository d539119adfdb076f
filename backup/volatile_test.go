package backup

import (
	"bytes"
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
)

func rebuild(t testing.TB, stable [][]byte, ins []format.Insert) []byte {
	var buf bytes.Buffer
	w := &format.PatchWriter{W: &buf, Ins: ins}
	for _, s := range stable {
		w.Write(s)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSplitVolatile(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		kind     pim.Kind
		inserts  int
	}{
		{"rev", "BEGIN:VCARD\r\nFN:A\r\nREV:1\r\nEND:VCARD\r\n", pim.KindVCard, 1},
		{"folded rev", "BEGIN:VCARD\r\nREV:2025\r\n 1101\r\nFN:A\r\nEND:VCARD\r\n", pim.KindVCard, 1},
		{"grouped", "BEGIN:VCARD\nitem1.REV:1\nFN:A\nEND:VCARD\n", pim.KindVCard, 1},
		{"version stays", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n", pim.KindVCard, 0},
		{"qp stays", "BEGIN:VCARD\r\nREV;ENCODING=QUOTED-PRINTABLE:1=\r\n2\r\nEND:VCARD\r\n", pim.KindVCard, 0},
		{"calendar", "BEGIN:VCALENDAR\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:2\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", pim.KindICal, 2},
		{"last line, no newline", "BEGIN:VCARD\nFN:A\nEND:VCARD\nREV:1", pim.KindVCard, 1},
		{"CR CR LF", "BEGIN:VCARD\r\r\nREV:1\r\r\nEND:VCARD\r\r\n", pim.KindVCard, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.in)
			stable, ins := splitVolatile(data, pim.Split(tc.kind, data))
			if len(ins) != tc.inserts {
				t.Errorf("%d inserts, want %d", len(ins), tc.inserts)
			}
			if got := rebuild(t, stable, ins); !bytes.Equal(got, data) {
				t.Errorf("rebuilt %q", got)
			}
			for _, s := range stable {
				if tc.inserts > 0 && bytes.Contains(s, []byte("REV:")) {
					t.Errorf("stable piece still holds REV: %q", s)
				}
			}
		})
	}
}

// FuzzSplitVolatile: whatever the input, the stable pieces and inserts give
// back the file byte for byte.
func FuzzSplitVolatile(f *testing.F) {
	f.Add([]byte("BEGIN:VCARD\r\nREV:1\r\n x\r\nFN:A\r\nEND:VCARD\r\n"), true)
	f.Add([]byte("BEGIN:VCALENDAR\nPRODID:p\nBEGIN:VEVENT\nDTSTAMP:1\nEND:VEVENT\nEND:VCALENDAR\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, vcard bool) {
		kind := pim.KindICal
		if vcard {
			kind = pim.KindVCard
		}
		stable, ins := splitVolatile(data, pim.Split(kind, data))
		if got := rebuild(t, stable, ins); !bytes.Equal(got, data) {
			t.Fatalf("rebuilt %q from %q", got, data)
		}
	})
}
