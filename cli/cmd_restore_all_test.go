package cli

import (
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// TestSourceDirNames: each source gets one harmless, distinct folder name,
// whatever its recorded source says (a snapshot names its own source).
func TestSourceDirNames(t *testing.T) {
	snap := func(host, src string) repo.SnapshotInfo {
		return repo.SnapshotInfo{Snapshot: &format.Snapshot{Host: host, Source: src}}
	}
	got := sourceDirNames([]repo.SnapshotInfo{
		snap("laptop", "/home/me/phone"),
		snap("tablet", "/media/phone"),
		snap("tablet", "/other/phone"),
		snap("laptop", "carddav+https://me@dav.example.com:8443/dav/"),
		snap("laptop", "caldav+https://me@dav.example.com:8443/dav/"),
		snap("laptop", "/"),
		snap("laptop", ".."),
		snap("laptop", "/x/evil\nname"),
		snap("evil/host", "/y/phone"),
	})
	want := []string{
		"phone", "phone-tablet", "phone-tablet-2",
		"carddav-me@dav.example.com_8443", "caldav-me@dav.example.com_8443",
		"_", "source", "evil_name", "phone-evil_host",
	}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: got %q, want %q", i, got[i], want[i])
		}
	}
}
