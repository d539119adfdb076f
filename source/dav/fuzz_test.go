package dav

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
)

// FuzzParseSource: hostile source URLs give an error, never a panic, and
// an accepted one never carries a password.
func FuzzParseSource(f *testing.F) {
	for _, s := range []string{"carddav+https://me@host/dav/", "caldav+http://127.0.0.1:5232/", "carddav+https://me:pw@h/", "caldav+ftp://x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseSource(s)
		if err != nil {
			return
		}
		// The recorded name (shown in snapshots and logs) must carry no
		// password, whatever the input.
		_, rest, _ := strings.Cut(a.Name, "+")
		u, err := url.Parse(rest)
		if err != nil {
			t.Fatalf("accepted %q, recorded as %q, which does not parse: %v", s, a.Name, err)
		}
		if _, has := u.User.Password(); has {
			t.Fatalf("accepted %q with a password: recorded as %q", s, a.Name)
		}
	})
}

// FuzzSplit: any file splits without panic into records with valid,
// distinct-enough names, each a part (or, for cards, a prepared copy) of
// the input.
func FuzzSplit(f *testing.F) {
	f.Add("contacts.vcf", []byte("BEGIN:VCARD\r\nVERSION:2.1\r\nN;QUOTED-PRINTABLE:=41=\r\n=42\r\nEND:VCARD\r\n"))
	f.Add("work.ics", []byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\nBEGIN:VTODO\r\nUID:b\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"))
	// Found by the fuzzer: a lower-case letter in BEGIN.
	f.Add("0", []byte("BEGiN:VEVENT"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		for _, kind := range []string{CardDAV, CalDAV} {
			for _, r := range Split(kind, name, data) {
				if r.Name == "" || strings.ContainsAny(r.Name, "/\x00") && r.Name != name {
					t.Fatalf("bad resource name %q", r.Name)
				}
				if kind == CalDAV && !bytes.Contains(bytes.ToUpper(r.Data), []byte("BEGIN:")) {
					t.Fatalf("calendar resource without a component: %q", r.Data)
				}
			}
		}
		SameContent(data, data)
	})
}
