package cli

import (
	"bytes"
	crand "crypto/rand"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/internal/fakeadb/phonedata"
)

// markerEvery is how often the plaintext marker repeats in a photo: any
// 4 KiB of one holds a whole marker.
const markerEvery = 2048

// writeMarked writes n photos of size random bytes under DCIM/Camera on
// the phone's root, with marker at every markerEvery bytes.
func writeMarked(t *testing.T, root string, n, size int, marker []byte) {
	t.Helper()
	dir := filepath.Join(root, "DCIM", "Camera")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, size)
	for i := range n {
		rand.NewChaCha8([32]byte{byte(i), 7}).Read(b)
		copy(b, "\xff\xd8\xff\xe0\x00\x10JFIF\x00")
		for k := markerEvery; k+len(marker) <= size; k += markerEvery {
			copy(b[k:], marker)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("IMG_%04d.jpg", i)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// plainWatch looks through folders for files holding the marker, and
// keeps the largest total size of the files in them it saw.
type plainWatch struct {
	dirs   []string
	marker []byte
	seen   map[string]string // path → size and mtime when last read
	found  map[string]bool   // files that held the marker
	peak   int64
	scans  int
}

// scan walks the folders once, reading each file new or changed since
// the last scan.
func (w *plainWatch) scan() {
	var total int64
	for _, d := range w.dirs {
		filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil || !e.Type().IsRegular() {
				return nil
			}
			fi, err := e.Info()
			if err != nil {
				return nil
			}
			total += fi.Size()
			stamp := fmt.Sprint(fi.Size(), fi.ModTime().UnixNano())
			if w.seen[p] == stamp {
				return nil
			}
			w.seen[p] = stamp
			if b, err := os.ReadFile(p); err == nil && bytes.Contains(b, w.marker) {
				w.found[p] = true
			}
			return nil
		})
	}
	w.peak = max(w.peak, total)
	w.scans++
}

// watch scans every 50 ms until the returned function is called, which
// scans once more and returns the watch.
func watch(marker []byte, dirs ...string) func() *plainWatch {
	w := &plainWatch{dirs: dirs, marker: marker, seen: map[string]string{}, found: map[string]bool{}}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			w.scan()
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	return func() *plainWatch {
		close(stop)
		wg.Wait()
		w.scan()
		return w
	}
}

// TestAndroidNoPlaintext (issue 14 acceptance): a backup of 1 GiB of
// photos from the phone writes none of their bytes to the cache folder,
// TMPDIR or the working folder, and keeps those under 64 MiB.
func TestAndroidNoPlaintext(t *testing.T) {
	requireADB(t)
	const n, size = 128, 8 << 20 // 1 GiB
	base := t.TempDir()
	marker := make([]byte, 32)
	crand.Read(marker)
	root := filepath.Join(base, "phone")
	writeMarked(t, root, n, size, marker)
	p := fakeadb.Start(t, fakeadb.Options{Root: root, Content: phonedata.Provider()})
	repoDir := androidRepo(t)
	cache, tmp, work := os.Getenv("XDG_CACHE_HOME"), filepath.Join(base, "tmp"), filepath.Join(base, "work")
	for _, d := range []string{cache, tmp, work} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("TMPDIR", tmp)
	t.Chdir(work)
	usePhone(t, p)

	// The watch must see a photo where there is one.
	probeDir := filepath.Join(base, "probe")
	writeMarked(t, probeDir, 1, size, marker)
	if probe := watch(marker, probeDir)(); len(probe.found) != 1 || probe.peak != size {
		t.Fatalf("the watch finds the marker in %d files of %d bytes, want 1 photo of %d", len(probe.found), probe.peak, size)
	}
	stop := watch(marker, cache, tmp, work)
	start := time.Now()
	code, e := lb(t, "backup", "--repo", repoDir, "android://")
	w := stop()
	if code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	t.Logf("1 GiB backed up in %v; %d scans, peak %d bytes in the watched folders", time.Since(start).Round(time.Millisecond), w.scans, w.peak)
	for f := range w.found {
		t.Errorf("%s holds bytes of a photo", f)
	}
	if w.peak >= 64<<20 {
		t.Errorf("the cache, temp and working folders held %d bytes at once, want under 64 MiB", w.peak)
	}
	if w.scans < 3 {
		t.Errorf("the watch scanned %d times during the backup", w.scans)
	}
	ids, _ := phoneSnapshots(t, repoDir)
	if len(ids) != 1 {
		t.Fatalf("%d snapshots, want 1", len(ids))
	}
	var stored int64
	for _, sz := range mediaFiles(t, repoDir, ids[0]) {
		stored += sz
	}
	if stored != n*size {
		t.Errorf("the snapshot holds %d bytes of photos, want %d", stored, n*size)
	}
}
