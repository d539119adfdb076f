package backup_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
)

// TestDistinctMedia: a photo in its year folder and again in an album (a
// Takeout's album copy) counts once, a photo with other bytes under the
// same name counts, and a re-run that takes every file from the cache
// counts the same; the snapshot says it counts distinct media.
func TestDistinctMedia(t *testing.T) {
	src := t.TempDir()
	photo := func(s string) string { return "\xff\xd8\xff\xe0\x00\x10JFIF\x00" + s }
	files := map[string]string{
		"Photos from 2019/IMG_0001.jpg": photo("one"),
		"Trip to Rome/IMG_0001.jpg":     photo("one"), // the album's copy
		"Trip to Rome/IMG_0002.jpg":     photo("two"),
		"Photos from 2020/IMG_0002.jpg": photo("two, but not the same photo"),
		"Photos from 2020/clip.mp4":     "\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom",
	}
	for name, data := range files {
		write(t, filepath.Join(src, filepath.FromSlash(name)), data)
	}
	e := testrepo.New(t)
	for run := range 2 {
		st := e.Backup(t, src).Snapshot.Stats
		if st.Media != 4 || st.Files != 5 || !st.DistinctMedia {
			t.Errorf("run %d: %d media of %d files (distinct_media %v), want 4 of 5, marked", run, st.Media, st.Files, st.DistinctMedia)
		}
	}
	// The copy gone: still 4 photos, no alarm.
	if err := os.Remove(filepath.Join(src, "Trip to Rome", "IMG_0001.jpg")); err != nil {
		t.Fatal(err)
	}
	res := e.Backup(t, src)
	if res.Snapshot.Stats.Media != 4 || res.Alarm != nil {
		t.Errorf("without the album's copy: %d media, alarm %+v; want 4 and none", res.Snapshot.Stats.Media, res.Alarm)
	}
}
