package android

import (
	"slices"
	"testing"
)

// TestCleanMediaPrefixes: the ways a user writes a folder of the phone's
// shared storage all name it under /sdcard, and a name that only starts
// like one is left whole.
func TestCleanMediaPrefixes(t *testing.T) {
	in := []string{"/sdcard/DCIM/", "sdcard/Pictures", "/storage/emulated/0/Movies", "/storage/self/primary/Music//", "/sdcardDownload"}
	want := []string{"DCIM", "Pictures", "Movies", "Music", "sdcardDownload"}
	got, err := cleanMedia(in)
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("cleanMedia(%q) = %q, %v; want %q", in, got, err, want)
	}
	for _, bad := range []string{"/sdcard", "/sdcard/", "/storage/emulated/0"} {
		if got, err := cleanMedia([]string{bad}); err == nil {
			t.Errorf("cleanMedia(%q) = %q, want an error (the whole storage is not a media folder)", bad, got)
		}
	}
}
