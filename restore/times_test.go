package restore

import (
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
)

// TestCoarserTime: a time rounded down to a filesystem's tick (whole
// seconds, FAT's 2 seconds) is kept; one moved later, or further, is not.
func TestCoarserTime(t *testing.T) {
	want := format.Time{Sec: 101, Nsec: 500}
	for _, tc := range []struct {
		got  format.Time
		kept bool
	}{
		{format.Time{Sec: 101, Nsec: 0}, true},
		{format.Time{Sec: 100, Nsec: 0}, true},
		{format.Time{Sec: 99, Nsec: 600}, true},
		{format.Time{Sec: 99, Nsec: 500}, false},
		{format.Time{Sec: 101, Nsec: 501}, false},
		{format.Time{Sec: 102}, false},
		{format.Time{Sec: 2147483647}, false},
	} {
		if got := coarser(tc.got, want); got != tc.kept {
			t.Errorf("coarser(%+v, %+v) = %v", tc.got, want, got)
		}
	}
}
