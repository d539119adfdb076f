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

// TestOldFolderLookup: the cursor that finds a folder's old entries in
// listing order gives the same answers as a lookup by name when files
// were added, removed or are asked for out of order, and a nil folder
// has no entries.
func TestOldFolderLookup(t *testing.T) {
	names := []string{"a.jpg", "b.vcf", "c.ics", "d.txt", treesEntry}
	mk := func() *oldFolder {
		f := &oldFolder{}
		for _, n := range names {
			f.entries = append(f.entries, cacheEntry{Name: n, Size: int64(len(n))})
		}
		return f
	}
	for _, asks := range [][]string{
		{"a.jpg", "b.vcf", "c.ics", "d.txt", treesEntry},       // unchanged folder
		{"a.jpg", "a2.jpg", "b.vcf", "d.txt", treesEntry},      // one added, one gone
		{"d.txt", "a.jpg", treesEntry, "c.ics", "missing.txt"}, // out of order
		{"0.txt", "a.jpg", "b.vcf"},                            // new name first
	} {
		f := mk()
		for _, name := range asks {
			got := f.get(name)
			want := -1
			for i, n := range names {
				if n == name {
					want = i
				}
			}
			switch {
			case want < 0 && got != nil:
				t.Errorf("%v: get(%q) = %q, want none", asks, name, got.Name)
			case want >= 0 && (got == nil || got != &f.entries[want]):
				t.Errorf("%v: get(%q) = %v, want entry %d", asks, name, got, want)
			}
		}
	}
	var none *oldFolder
	if none.get("a.jpg") != nil || none.get(treesEntry) != nil {
		t.Error("a nil folder found an entry")
	}
}
