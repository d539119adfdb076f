package repo

import "testing"

func TestMatchSource(t *testing.T) {
	for _, tc := range []struct {
		recorded, given string
		want            bool
	}{
		{"/home/me/phone", "/home/me/phone", true},
		{"/home/me/phone", "/home/me/phone/", true},
		{"/home/me/phone", "phone", true},
		{"/home/me/phone", "/home/me", false},
		{"/home/me/phone", "ph", false},
		{"/home/me/phone", "", false},
		{"carddav+http://me@127.0.0.1:5232/", "carddav+http://me@127.0.0.1:5232", true},
		{"carddav+http://me@127.0.0.1:5232/", "carddav+http://me@127.0.0.1:5232/", true},
		{"carddav+http://me@127.0.0.1:5232/me/", "carddav+http://me@127.0.0.1:5232/me", true},
		{"carddav+http://me@127.0.0.1:5232/", "caldav+http://me@127.0.0.1:5232", false},
		{"carddav+http://me@127.0.0.1:5232/", "me@127.0.0.1:5232", true},
		{"/", "/", true},
		{"/", "//", true},
	} {
		if got := MatchSource(tc.recorded, tc.given); got != tc.want {
			t.Errorf("MatchSource(%q, %q) = %v, want %v", tc.recorded, tc.given, got, tc.want)
		}
	}
}
