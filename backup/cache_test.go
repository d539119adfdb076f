package backup

import (
	"io/fs"
	"syscall"
	"testing"
	"time"
)

type fsInfo = fs.FileInfo

type fakeInfo struct {
	fsInfo
	mt time.Time
}

func (f fakeInfo) ModTime() time.Time { return f.mt }
func (f fakeInfo) Sys() any           { return &syscall.Stat_t{Ctim: syscall.NsecToTimespec(f.mt.UnixNano())} }

// TestRacy: files with whole-second times changed in the last 2 seconds
// are not cached; older ones and nanosecond times are.
func TestRacy(t *testing.T) {
	start := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		mt   time.Time
		want bool
	}{
		{"coarse, just now", start.Add(-time.Second), true},
		{"coarse, after start", start.Add(time.Second), true},
		{"coarse, old", start.Add(-time.Minute), false},
		{"fine, just now", start.Add(-time.Second + 1234), false},
	} {
		if got := racy(fakeInfo{mt: tc.mt}, start); got != tc.want {
			t.Errorf("%s: racy = %v", tc.name, got)
		}
	}
}
