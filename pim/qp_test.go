package pim

import "testing"

func TestJoinSoftBreaks(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"no qp", "BEGIN:VCARD\r\nFN:A=\r\nEND:VCARD\r\n", "BEGIN:VCARD\r\nFN:A=\r\nEND:VCARD\r\n"},
		{"soft break", "BEGIN:VCARD\r\nFN;ENCODING=QUOTED-PRINTABLE:=4A=C3=\r\n=BC\r\nTEL:1\r\nEND:VCARD\r\n",
			"BEGIN:VCARD\r\nFN;ENCODING=QUOTED-PRINTABLE:=4A=C3=BC\r\nTEL:1\r\nEND:VCARD\r\n"},
		{"two breaks, LF", "FN;QUOTED-PRINTABLE:a=\nb=\nc\nN:x=\n", "FN;QUOTED-PRINTABLE:abc\nN:x=\n"},
		{"base64 padding is not a break", "PHOTO;ENCODING=BASE64:QUJD=\r\nNOTE;QUOTED-PRINTABLE:x\r\n",
			"PHOTO;ENCODING=BASE64:QUJD=\r\nNOTE;QUOTED-PRINTABLE:x\r\n"},
		{"CR CR LF", "FN;QUOTED-PRINTABLE:a=\r\r\nb\r\r\n", "FN;QUOTED-PRINTABLE:ab\r\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(JoinSoftBreaks([]byte(tc.in))); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
