package dav

import (
	"bytes"
	"testing"
)

func TestNormalise(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"CRLF stays", "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n", "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n"},
		{"LF stays", "BEGIN:VCARD\nFN:A\nEND:VCARD\n", "BEGIN:VCARD\nFN:A\nEND:VCARD\n"},
		{"CR CR LF", "BEGIN:VCARD\r\r\nFN:A\r\r\nEND:VCARD\r\r\n", "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n"},
		{"bare CR", "BEGIN:VCARD\rFN:A\rEND:VCARD\r", "BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n"},
		{"Android photo",
			"BEGIN:VCARD\r\nVERSION:2.1\r\nPHOTO;ENCODING=BASE64;JPEG:/9j/4AAQ\r\n SkZJRg\r\n ABAQ==\r\n\r\nTEL;CELL:1\r\nEND:VCARD\r\n",
			"BEGIN:VCARD\r\nVERSION:2.1\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ==\r\nTEL;TYPE=CELL:1\r\nEND:VCARD\r\n"},
		{"2.1 bare parameters",
			"BEGIN:VCARD\r\nVERSION:2.1\r\nTEL;HOME;VOICE:1\r\nitem1.ADR;WORK;CHARSET=UTF-8;QUOTED-PRINTABLE:;;=C3=BC\r\nNOTE:a;b:c\r\nEND:VCARD\r\n",
			"BEGIN:VCARD\r\nVERSION:2.1\r\nTEL;TYPE=HOME;TYPE=VOICE:1\r\nitem1.ADR;TYPE=WORK;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;=C3=BC\r\nNOTE:a;b:c\r\nEND:VCARD\r\n"},
		{"3.0 parameters stay", "BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;CELL:1\r\nEND:VCARD\r\n", "BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;CELL:1\r\nEND:VCARD\r\n"},
		{"bare BASE64, grouped, CR CR LF",
			"BEGIN:VCARD\r\r\nitem1.LOGO;GIF;BASE64:R0lG\r\r\n ODlh\r\r\n\r\r\nEND:VCARD\r\r\n",
			"BEGIN:VCARD\r\nitem1.LOGO;TYPE=GIF;ENCODING=b:R0lGODlh\r\nEND:VCARD\r\n"},
		{"a 3.0 photo stays", "BEGIN:VCARD\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/\r\n 4AAQ\r\nEND:VCARD\r\n", "BEGIN:VCARD\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/\r\n 4AAQ\r\nEND:VCARD\r\n"},
		{"BASE64 in a value stays", "BEGIN:VCARD\r\nNOTE:x;BASE64:y\r\nEND:VCARD\r\n", "BEGIN:VCARD\r\nNOTE:x;BASE64:y\r\nEND:VCARD\r\n"},
	} {
		if got := inlineBinary(typeParams(crlf([]byte(tc.in)))); string(got) != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// FuzzNormalise: the line ends come out CRLF or LF, and normalising
// twice changes nothing more.
func FuzzNormalise(f *testing.F) {
	f.Add([]byte("BEGIN:VCARD\r\r\nPHOTO;ENCODING=BASE64;JPEG:/9j/\r\n 4AAQ\r\n\r\nEND:VCARD\r"))
	f.Fuzz(func(t *testing.T, b []byte) {
		once := inlineBinary(typeParams(crlf(b)))
		if i := bytes.IndexByte(once, '\r'); i >= 0 && (i+1 >= len(once) || once[i+1] != '\n') {
			t.Fatalf("a bare CR is left in %q", once)
		}
		if twice := inlineBinary(typeParams(crlf(once))); !bytes.Equal(once, twice) {
			t.Fatalf("not idempotent: %q then %q", once, twice)
		}
	})
}
