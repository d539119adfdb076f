package backup

import (
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

func TestAlarm(t *testing.T) {
	snap := func(contacts, media uint64, colls ...format.Collection) *format.Snapshot {
		return &format.Snapshot{Stats: format.SnapshotStats{Files: 1, Contacts: contacts, Media: media}, Collections: colls}
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
			a := alarm(p, tc.now, DefaultThreshold, pathKey, nil, false)
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
	if a := alarm(old, now, DefaultThreshold, pathKey, nil, false); a == nil {
		t.Fatal("test data: people against records should look like a drop")
	}
	if a := alarm(old, b.comparable(old, now), DefaultThreshold, pathKey, nil, false); a != nil {
		t.Errorf("alarm %+v after the counting change, want none", a)
	}
	if now.Stats.Contacts != 600 {
		t.Errorf("comparable changed the snapshot: %+v", now.Stats)
	}
	people := &repo.SnapshotInfo{ID: format.ID{7}, Snapshot: &format.Snapshot{
		Stats: format.SnapshotStats{Contacts: 600, People: true}}}
	lost := &format.Snapshot{Stats: format.SnapshotStats{Contacts: 100, People: true}}
	b = &backuper{records: format.Counts{Contacts: 1800}}
	if a := alarm(people, b.comparable(people, lost), DefaultThreshold, pathKey, nil, false); a == nil || len(a.Drops) != 1 {
		t.Errorf("alarm %+v for 600 → 100 people, want one drop", a)
	}
}

// TestAlarmShrunk: a file of 45 contacts left with 3 is still there; the
// alarm says it shrank, not that it vanished, and a file that lost one of
// its 10 records does not alarm at all.
func TestAlarmShrunk(t *testing.T) {
	pathKey := func(p string) string { return "key of " + p }
	book := "Contacts/contacts.vcf"
	prev := &repo.SnapshotInfo{ID: format.ID{7}, Snapshot: &format.Snapshot{Stats: format.SnapshotStats{Files: 1, Contacts: 45},
		Collections: []format.Collection{{Path: book, Records: 45}}}}
	now := &format.Snapshot{Stats: format.SnapshotStats{Files: 1, Contacts: 3}, Collections: []format.Collection{{Path: "Contacts/", Records: 3}}}
	a := alarm(prev, now, DefaultThreshold, pathKey, map[string]uint32{book: 3}, false)
	if a == nil || len(a.Vanished) != 0 || len(a.Shrunk) != 1 || a.Shrunk[0] != (format.Drop{Kind: pathKey(book), Before: 45, After: 3}) {
		t.Fatalf("alarm %+v, want %s shrunk 45 → 3", a, book)
	}
	prev.Collections[0].Records, prev.Stats.Contacts = 10, 10
	now.Collections[0].Records, now.Stats.Contacts = 9, 9
	if a := alarm(prev, now, DefaultThreshold, pathKey, map[string]uint32{book: 9}, false); a != nil {
		t.Fatalf("10 → 9 records: alarm %+v, want none", a)
	}
}

// TestAlarmEmpty: a source that had files and has none alarms, and keeps
// alarming (naming the last snapshot with data) until it is accepted.
func TestAlarmEmpty(t *testing.T) {
	pathKey := func(p string) string { return "key of " + p }
	full := &repo.SnapshotInfo{ID: format.ID{1}, Snapshot: &format.Snapshot{Stats: format.SnapshotStats{Files: 3}}}
	empty := &format.Snapshot{}
	a := alarm(full, empty, DefaultThreshold, pathKey, nil, false)
	if a == nil || !a.Empty || a.Previous != full.ID {
		t.Fatalf("first empty snapshot: alarm %+v, want empty since %v", a, full.ID)
	}
	empty.Alarm = a
	again := alarm(&repo.SnapshotInfo{ID: format.ID{2}, Snapshot: empty}, &format.Snapshot{}, DefaultThreshold, pathKey, nil, false)
	if again == nil || !again.Empty || again.Previous != full.ID {
		t.Fatalf("second empty snapshot: alarm %+v, want empty since %v", again, full.ID)
	}
	if a := alarm(full, &format.Snapshot{}, DefaultThreshold, pathKey, nil, true); a != nil {
		t.Fatalf("accepted: alarm %+v, want none", a)
	}
	accepted := &repo.SnapshotInfo{ID: format.ID{3}, Snapshot: &format.Snapshot{}}
	if a := alarm(accepted, &format.Snapshot{}, DefaultThreshold, pathKey, nil, false); a != nil {
		t.Fatalf("empty after an accepted empty snapshot: alarm %+v, want none", a)
	}
	if a := alarm(nil, &format.Snapshot{}, DefaultThreshold, pathKey, nil, false); a != nil {
		t.Fatalf("first snapshot ever, empty: alarm %+v, want none", a)
	}
}

// TestAlarmAcrossMediaCounting: a snapshot from before
// SnapshotStats.DistinctMedia counted 1,000 media files of a Takeout
// whose albums repeat 600 of them; the first backup that counts the 400
// distinct photos is compared file for file, so no alarm. Most photos
// really gone alarms, whether the previous snapshot counted files or
// distinct photos.
func TestAlarmAcrossMediaCounting(t *testing.T) {
	pathKey := func(p string) string { return "key of " + p }
	byFiles := &repo.SnapshotInfo{ID: format.ID{7}, Snapshot: &format.Snapshot{
		Stats: format.SnapshotStats{Files: 1000, Media: 1000, People: true}}}
	now := &format.Snapshot{Stats: format.SnapshotStats{Files: 1000, Media: 400, People: true, DistinctMedia: true}}
	b := &backuper{mediaFiles: 1000}
	if a := alarm(byFiles, now, DefaultThreshold, pathKey, nil, false); a == nil {
		t.Fatal("test data: distinct photos against files should look like a drop")
	}
	if a := alarm(byFiles, b.comparable(byFiles, now), DefaultThreshold, pathKey, nil, false); a != nil {
		t.Errorf("alarm %+v after the counting change, want none", a)
	}
	if now.Stats.Media != 400 {
		t.Errorf("comparable changed the snapshot: %+v", now.Stats)
	}
	lost := &format.Snapshot{Stats: format.SnapshotStats{Files: 100, Media: 40, People: true, DistinctMedia: true}}
	b = &backuper{mediaFiles: 100}
	if a := alarm(byFiles, b.comparable(byFiles, lost), DefaultThreshold, pathKey, nil, false); a == nil || len(a.Drops) != 1 || a.Drops[0].Before != 1000 || a.Drops[0].After != 100 {
		t.Errorf("alarm %+v for 1000 → 100 media files, want one drop", a)
	}
	distinct := &repo.SnapshotInfo{ID: format.ID{7}, Snapshot: &format.Snapshot{
		Stats: format.SnapshotStats{Files: 1000, Media: 400, People: true, DistinctMedia: true}}}
	if a := alarm(distinct, b.comparable(distinct, lost), DefaultThreshold, pathKey, nil, false); a == nil || len(a.Drops) != 1 || a.Drops[0].After != 40 {
		t.Errorf("alarm %+v for 400 → 40 photos, want one drop", a)
	}
}
