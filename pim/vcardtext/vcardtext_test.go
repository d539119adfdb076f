package vcardtext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	line := "NOTE:" + strings.Repeat("Ünïcode 家族 ", 20)
	var b strings.Builder
	Fold(&b, line)
	out := b.String()
	if !strings.HasSuffix(out, "\r\n") {
		t.Fatalf("no CRLF at the end: %q", out)
	}
	var joined strings.Builder
	for i, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("line %d: %d octets, valid UTF-8 %v", i, len(l), utf8.ValidString(l))
		}
		if i > 0 {
			if !strings.HasPrefix(l, " ") {
				t.Errorf("continuation line %d does not start with a space", i)
			}
			l = l[1:]
		}
		joined.WriteString(l)
	}
	if joined.String() != line {
		t.Errorf("unfolded %q, want %q", joined.String(), line)
	}
}

func TestValues(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Escape("a,b;c\\d\r\ne\rf\ng"), `a\,b\;c\\d\ne\nf\ng`},
		{Compound("Doe;Jr", "Ann", ""), `Doe\;Jr;Ann;`},
		{URI("https://x/a\r\nb"), "https://x/a b"},
		{URIValue(`https://x/a\b`), `https://x/a\\b`},
		{Param("Home, work"), `"Home, work"`},
		{Param(`say "hi"`), "say 'hi'"},
		{Param("plain"), "plain"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestCardLabelled: a label is a group of its own, numbered on, with its
// X-ABLabel escaped; no label is a plain line.
func TestCardLabelled(t *testing.T) {
	var c Card
	c.Labelled("TEL", "+1 555", "")
	for i := 0; i < 10; i++ {
		c.Labelled("EMAIL", "a@example.com", "Work, old")
	}
	s := c.String()
	if !strings.HasPrefix(s, "TEL:+1 555\r\nitem1.EMAIL:a@example.com\r\nitem1.X-ABLabel:Work\\, old\r\n") || !strings.Contains(s, "\r\nitem10.X-ABLabel:Work\\, old\r\n") {
		t.Errorf("card lines:\n%s", s)
	}
}
