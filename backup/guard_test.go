package backup

import (
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

func TestAlarm(t *testing.T) {
	snap := func(contacts, media uint64, colls ...format.Collection) *format.Snapshot {
		return &format.Snapshot{Stats: format.SnapshotStats{Contacts: contacts, Media: media}, Collections: colls}
	}
	prev := func(s *format.Snapshot) *repo.SnapshotInfo { return &repo.SnapshotInfo{ID: format.ID{7}, Snapshot: s} }
	pathKey := func(p string) string { return "key of " + p }
	book := format.Collection{Key: pathKey("Contacts/all.vcf"), Records: 40}
	// A snapshot written before collections were keyed kept the path.
	oldBook := format.Collection{Path: "Contacts/all.vcf", Records: 40}
	for _, tc := range []struct {
		name        string
		before, now *format.Snapshot
		drops       int
		vanished    int
	}{
		{"no previous snapshot", nil, snap(0, 0), 0, 0},
		{"unchanged", snap(1000, 10), snap(1000, 10), 0, 0},
		{"90% of 1000 contacts", snap(1000, 10), snap(100, 10), 1, 0},
		{"20% of 1000 is not more than 20%", snap(1000, 0), snap(800, 0), 0, 0},
		{"201 of 1000", snap(1000, 0), snap(799, 0), 1, 0},
		{"49 of 60: under the 50 minimum", snap(60, 0), snap(11, 0), 0, 0},
		{"51 of 60", snap(60, 0), snap(9, 0), 1, 0},
		{"photos count too", snap(0, 500), snap(0, 10), 1, 0},
		{"growth", snap(10, 10), snap(1000, 1000), 0, 0},
		{"address book vanished", snap(40, 0, book), snap(40, 0), 0, 1},
		{"address book emptied", snap(40, 0, book), snap(0, 0, format.Collection{Key: book.Key}), 0, 1},
		{"previous kept paths, unchanged", snap(40, 0, oldBook), snap(40, 0, book), 0, 0},
		{"previous kept paths, vanished", snap(40, 0, oldBook), snap(40, 0), 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p *repo.SnapshotInfo
			if tc.before != nil {
				p = prev(tc.before)
			}
			a := alarm(p, tc.now, DefaultThreshold, pathKey)
			if tc.drops+tc.vanished == 0 {
				if a != nil {
					t.Fatalf("alarm %+v, want none", a)
				}
				return
			}
			if a == nil || len(a.Drops) != tc.drops || len(a.Vanished) != tc.vanished || a.Previous != (format.ID{7}) {
				t.Fatalf("alarm %+v, want %d drops, %d vanished", a, tc.drops, tc.vanished)
			}
		})
	}
}

// TestAlarmAcrossCountingChange: a snapshot from before SnapshotStats.People
// counted each Takeout label file's copy of a contact; the first backup
// that counts people (600 of 1,800 records) is compared with it record for
// record, so no alarm. Against a snapshot that counts people, a real drop
// still alarms.
func TestAlarmAcrossCountingChange(t *testing.T) {
	pathKey := func(p string) string { return "key of " + p }
	old := &repo.SnapshotInfo{ID: format.ID{7}, Snapshot: &format.Snapshot{
		Stats: format.SnapshotStats{Contacts: 1800, Events: 30}}}
	now := &format.Snapshot{Stats: format.SnapshotStats{Contacts: 600, Events: 10, People: true}}
	b := &backuper{records: format.Counts{Contacts: 1800, Events: 30}}
	if a := alarm(old, now, DefaultThreshold, pathKey); a == nil {
		t.Fatal("test data: people against records should look like a drop")
	}
	if a := alarm(old, b.comparable(old, now), DefaultThreshold, pathKey); a != nil {
		t.Errorf("alarm %+v after the counting change, want none", a)
	}
	if now.Stats.Contacts != 600 {
		t.Errorf("comparable changed the snapshot: %+v", now.Stats)
	}
	people := &repo.SnapshotInfo{ID: format.ID{7}, Snapshot: &format.Snapshot{
		Stats: format.SnapshotStats{Contacts: 600, People: true}}}
	lost := &format.Snapshot{Stats: format.SnapshotStats{Contacts: 100, People: true}}
	b = &backuper{records: format.Counts{Contacts: 1800}}
	if a := alarm(people, b.comparable(people, lost), DefaultThreshold, pathKey); a == nil || len(a.Drops) != 1 {
		t.Errorf("alarm %+v for 600 → 100 people, want one drop", a)
	}
}
