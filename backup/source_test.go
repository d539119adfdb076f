package backup_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/source/sourcetest"
)

// TestBackupReadsOnlyTheTree: a source that is not on disk at all (an
// in-memory tree) backs up into the same snapshot tree as a folder with the
// same contents, so backup walks the source.Tree it is given, nothing else.
func TestBackupReadsOnlyTheTree(t *testing.T) {
	at := time.Date(2026, 5, 1, 12, 30, 0, 987654321, time.UTC)
	files := map[string]string{
		"Contacts/contacts.vcf": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Becker\r\nTEL:+4930111\r\nEND:VCARD\r\n",
		"Calendar/home.ics":     "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:e1\r\nDTSTART:20260501T100000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"DCIM/IMG_0001.JPG":     "\xff\xd8\xff\xe0 not really a photo",
		"notes.txt":             "hello\n",
	}
	dir := filepath.Join(t.TempDir(), "phone")
	mem := sourcetest.NewMemTree("mem:phone", at) // no such path on disk
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o640); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, at, at)
		mem.File(name, []byte(data), 0o640, at)
	}
	if err := os.Symlink("notes.txt", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	mem.Symlink("link", "notes.txt", at)
	for _, d := range []string{"Contacts", "Calendar", "DCIM", "."} {
		os.Chmod(filepath.Join(dir, d), 0o755)
		os.Chtimes(filepath.Join(dir, d), at, at)
		mem.Dir(d, 0o755, at)
	}
	fi, _ := os.Lstat(filepath.Join(dir, "link"))
	mem.Symlink("link", "notes.txt", fi.ModTime())

	e := testrepo.New(t)
	fromDisk := e.Backup(t, dir)
	r := e.Open(t, repo.AccessWrite)
	tree, release, err := mem.Source().Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	fromMem, err := backup.Run(context.Background(), r, backup.Options{Tree: tree, SourceName: mem.Source().Name(), CacheDir: e.CacheDir, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	a, b := fromDisk.Snapshot, fromMem.Snapshot
	if !reflect.DeepEqual(a.Root.Content, b.Root.Content) || a.Root.MTime != b.Root.MTime || a.Stats.Files != b.Stats.Files ||
		a.Stats.Contacts != 1 || b.Stats.Contacts != 1 || b.Stats.Events != 1 {
		t.Errorf("the folder and the same tree in memory made different snapshots:\n disk %+v %+v\n mem  %+v %+v", a.Root, a.Stats, b.Root, b.Stats)
	}
	out := e.Restore(t, fromMem.ID)
	for name, data := range files {
		if got, err := os.ReadFile(filepath.Join(out, name)); err != nil || string(got) != data {
			t.Errorf("restored %s from the in-memory source: %q %v", name, got, err)
		}
	}
}
