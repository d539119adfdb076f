package forge_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/forge"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// TestWriteKeyReadsNoNames (issue 10 item 3): a write-key holder scans
// everything it can decrypt, after a backup and after one that raised the
// alarm for a vanished calendar, for markers planted in a folder name, a
// file name, a contact's name and an event's summary, and finds none.
// The source's own path stays visible (docs/SECURITY.md).
func TestWriteKeyReadsNoNames(t *testing.T) {
	e := testrepo.New(t)
	src := t.TempDir()
	folder := filepath.Join(src, "Secret Affairs Zqxfolder")
	os.MkdirAll(folder, 0o700)
	os.MkdirAll(filepath.Join(src, "Calendar"), 0o700)
	var book, small, cal strings.Builder
	for i := range 12 {
		name := fmt.Sprintf("Friend %d", i)
		if i == 3 {
			name = "Zqxcontact"
		}
		fmt.Fprintf(&book, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:%s\r\nN:%s;;;;\r\nEND:VCARD\r\n", name, name)
	}
	for i := range 2 {
		fmt.Fprintf(&small, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Small %d\r\nEND:VCARD\r\n", i)
	}
	cal.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n")
	for i := range 12 {
		summary := fmt.Sprintf("Meeting %d", i)
		if i == 5 {
			summary = "Zqxevent"
		}
		fmt.Fprintf(&cal, "BEGIN:VEVENT\r\nUID:%d@t\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250102T100000Z\r\nSUMMARY:%s\r\nEND:VEVENT\r\n", i, summary)
	}
	cal.WriteString("END:VCALENDAR\r\n")
	os.WriteFile(filepath.Join(folder, "mistress Zqxfile.vcf"), []byte(book.String()), 0o600)
	os.WriteFile(filepath.Join(folder, "small.vcf"), []byte(small.String()), 0o600)
	calFile := filepath.Join(src, "Calendar", "Zqxcalendar.ics")
	os.WriteFile(calFile, []byte(cal.String()), 0o600)
	first := e.Backup(t, src)
	if first.Snapshot.Stats.Contacts != 14 || first.Snapshot.Stats.Events != 12 || len(first.Snapshot.Collections) != 3 {
		t.Fatalf("first backup: %+v, %d collections", first.Snapshot.Stats, len(first.Snapshot.Collections))
	}
	os.Remove(calFile)
	second := e.Backup(t, src)
	if second.Alarm == nil || len(second.Alarm.Vanished) != 1 {
		t.Fatalf("no alarm for the vanished calendar: %+v", second.Alarm)
	}
	// The machine that backed it up still names it.
	if !slices.Equal(second.Vanished, []string{"Calendar/Zqxcalendar.ics"}) {
		t.Errorf("alarm names %q, want the calendar's path", second.Vanished)
	}

	ctx := context.Background()
	r := e.Open(t, repo.AccessNone)
	ks, err := e.Keys.WriteKeys(r.ID())
	if err != nil {
		t.Fatal(err)
	}
	view, err := forge.WriteKeyView(ctx, store.NewLocal(e.Repo), ks)
	if err != nil {
		t.Fatal(err)
	}
	sealed := 0
	for name, b := range view {
		if strings.HasSuffix(name, "(unsealed)") {
			sealed++
		}
		for _, marker := range []string{"Zqxfolder", "Zqxfile", "Zqxcontact", "Zqxevent", "Zqxcalendar", "Secret Affairs", "mistress"} {
			if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(marker))) {
				t.Errorf("the write key reads %q in %s", marker, name)
			}
		}
	}
	if sealed < 4 { // two snapshots, their index files and packs
		t.Fatalf("only %d sealed objects opened", sealed)
	}
	if !bytes.Contains(view[snapshotName(t, view)], []byte(filepath.Base(src))) {
		t.Errorf("the source path is not in the snapshot (the scan does not see snapshots?)")
	}
}

func snapshotName(t *testing.T, view map[string][]byte) string {
	for name := range view {
		if strings.HasPrefix(name, "snapshots/") && strings.HasSuffix(name, "(unsealed)") {
			return name
		}
	}
	t.Fatal("no snapshot")
	return ""
}

// TestWriteKeyConfirmsGuessedFile: what docs/SECURITY.md says a
// write-key holder can do and the storage holder cannot: hash a file it
// guesses with the blob-id key and find it in the index.
func TestWriteKeyConfirmsGuessedFile(t *testing.T) {
	e := testrepo.New(t)
	src := t.TempDir()
	photo := bytes.Repeat([]byte("a photo someone else also has "), 1000)
	os.WriteFile(filepath.Join(src, "IMG_0001.jpg"), photo, 0o600)
	e.Backup(t, src)
	r := e.Open(t, repo.AccessWrite)
	if !r.Index().Has(r.Keys().BlobID(photo)) {
		t.Error("the write key does not find a stored file it guessed")
	}
	if r.Index().Has(r.Keys().BlobID([]byte("a file that is not stored"))) {
		t.Error("the write key finds a file that is not stored")
	}
}
