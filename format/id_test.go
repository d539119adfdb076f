package format

import (
	"errors"
	"strings"
	"testing"
)

func TestParseID(t *testing.T) {
	id := tid(0xa0)
	s := id.String()
	if len(s) != 2*IDSize || strings.ToLower(s) != s {
		t.Fatalf("String() = %q", s)
	}
	got, err := ParseID(s)
	if err != nil || got != id {
		t.Fatalf("ParseID(String()) = %v, %v", got, err)
	}
	if id.Short() != s[:8] {
		t.Errorf("Short() = %q, want %q", id.Short(), s[:8])
	}
	if id.IsZero() || !(ID{}).IsZero() {
		t.Error("IsZero is wrong")
	}
	for _, tc := range []struct {
		name string
		s    string
	}{
		{"empty", ""},
		{"short", s[:63]},
		{"long", s + "0"},
		{"uppercase", strings.ToUpper(s)},
		{"one uppercase digit", "A" + s[1:]},
		{"not hex", "g" + s[1:]},
		{"0x prefix", "0x" + s[2:]},
		{"space", " " + s[1:]},
		{"short prefix", s[:8]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseID(tc.s); !errors.Is(err, ErrBadID) {
				t.Errorf("ParseID(%q): %v, want ErrBadID", tc.s, err)
			}
		})
	}
}

func TestIDText(t *testing.T) {
	id := tid(3)
	b, err := id.MarshalText()
	if err != nil || string(b) != id.String() {
		t.Fatalf("MarshalText = %q, %v", b, err)
	}
	var got ID
	if err := got.UnmarshalText(b); err != nil || got != id {
		t.Errorf("UnmarshalText = %v, %v", got, err)
	}
	got = id
	if err := got.UnmarshalText([]byte("xyz")); !errors.Is(err, ErrBadID) || got != id {
		t.Errorf("UnmarshalText(bad) = %v and changed the id: %v", err, got != id)
	}
}
