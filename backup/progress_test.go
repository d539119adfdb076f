package backup_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// recorder is a Progress that keeps what it was told.
type recorder struct {
	mu                      sync.Mutex
	totals                  int
	totalFiles, totalBytes  int64
	events                  map[string]backup.FileStatus
	bytes, readBytes, files int64
}

func (r *recorder) Total(files, bytes int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.totals++
	r.totalFiles, r.totalBytes = files, bytes
}

func (r *recorder) File(e backup.FileEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.events[e.Path]; dup {
		panic("file reported twice: " + e.Path)
	}
	r.events[e.Path] = e.Status
	if e.Status == backup.FileFailed {
		return
	}
	r.files++
	r.bytes += e.Size
	if e.Status != backup.FileUnchanged {
		r.readBytes += e.Size
	}
}

func (r *recorder) check(t *testing.T, st format.SnapshotStats) {
	t.Helper()
	if r.files != int64(st.Files) || r.bytes != int64(st.Bytes) || r.readBytes != int64(st.BytesRead) {
		t.Errorf("progress: %d files, %d bytes, %d read; snapshot: %d files, %d bytes, %d read",
			r.files, r.bytes, r.readBytes, st.Files, st.Bytes, st.BytesRead)
	}
	if r.totals != 1 || r.totalFiles != int64(st.Files) || r.totalBytes != int64(st.Bytes) {
		t.Errorf("Total called %d time(s) with %d files, %d bytes; snapshot: %d files, %d bytes",
			r.totals, r.totalFiles, r.totalBytes, st.Files, st.Bytes)
	}
}

func (r *recorder) count(s backup.FileStatus) int {
	n := 0
	for _, v := range r.events {
		if v == s {
			n++
		}
	}
	return n
}

func backupWith(t *testing.T, e *testrepo.Env, src string, p backup.Progress) *backup.Result {
	t.Helper()
	r := e.Open(t, repo.AccessWrite)
	res, err := backup.Run(context.Background(), r, backup.Options{Source: src, CacheDir: e.CacheDir, Workers: 4, Progress: p})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestProgress: the files a Progress is told about add up to the
// snapshot's stats, from several workers at once, and say which files
// were new, changed or unchanged.
func TestProgress(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(t.TempDir(), "phone")
	for i := range 40 {
		write(t, filepath.Join(src, fmt.Sprintf("d%d", i%5), fmt.Sprintf("f%d.txt", i)), fmt.Sprintf("file %d %0*d", i, i*100, 0))
	}
	write(t, filepath.Join(src, "contacts.vcf"), contactsFile(50, -1))

	first := &recorder{events: map[string]backup.FileStatus{}}
	res := backupWith(t, e, src, first)
	first.check(t, res.Snapshot.Stats)
	if got := first.count(backup.FileNew); got != 41 {
		t.Errorf("first backup: %d new files, want 41", got)
	}

	write(t, filepath.Join(src, "d1", "f1.txt"), "edited")
	write(t, filepath.Join(src, "d9", "added.txt"), "added")
	second := &recorder{events: map[string]backup.FileStatus{}}
	res = backupWith(t, e, src, second)
	second.check(t, res.Snapshot.Stats)
	for path, want := range map[string]backup.FileStatus{
		"d1/f1.txt": backup.FileChanged, "d9/added.txt": backup.FileNew, "contacts.vcf": backup.FileUnchanged,
	} {
		if got := second.events[path]; got != want {
			t.Errorf("second backup: %s is %v, want %v", path, got, want)
		}
	}
	if got := second.count(backup.FileUnchanged); got != 40 {
		t.Errorf("second backup: %d unchanged files, want 40", got)
	}
}
