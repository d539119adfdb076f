package backup_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
)

// card returns a realistic vCard 3.0 of about 250 bytes.
func card(i int, tel string) string {
	return fmt.Sprintf("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:urn:uuid:%08d-4a1b-4c2d-9e3f-00000000%04d\r\n"+
		"FN:Person %d Example\r\nN:Example;Person %d;;;\r\nTEL;TYPE=CELL:%s\r\n"+
		"EMAIL;TYPE=INTERNET:person%d@example.org\r\nORG:Example Ltd\r\nEND:VCARD\r\n", i, i%10000, i, i, tel, i)
}

func tel(i int) string { return fmt.Sprintf("+44 7700 9%05d", i) }

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func contactsFile(n, edited int) string {
	var sb strings.Builder
	for i := range n {
		t := tel(i)
		if i == edited {
			t = "+44 7700 123456"
		}
		sb.WriteString(card(i, t))
	}
	return sb.String()
}

// TestEditOneContact: editing one contact of 5,000 stores about one
// contact's worth, whether the contacts are one file or a file each.
func TestEditOneContact(t *testing.T) {
	const n, limit = 5000, 8 << 10
	t.Run("one file", func(t *testing.T) {
		e := testrepo.New(t)
		src := filepath.Join(t.TempDir(), "phone")
		write(t, filepath.Join(src, "contacts.vcf"), contactsFile(n, -1))
		e.Backup(t, src)
		before := e.Size(t)
		write(t, filepath.Join(src, "contacts.vcf"), contactsFile(n, 2345))
		res := e.Backup(t, src)
		grew := e.Size(t) - before
		t.Logf("one file of %d cards, one edited: repository grew %d bytes (reported %d)", n, grew, res.Snapshot.Stats.BytesAdded)
		if grew > limit {
			t.Errorf("repository grew %d bytes, want <= %d", grew, limit)
		}
		if res.Snapshot.Stats.Contacts != n {
			t.Errorf("contacts = %d, want %d", res.Snapshot.Stats.Contacts, n)
		}
		testrepo.SameTree(t, src, e.Restore(t, res.ID))
	})
	t.Run("file per contact", func(t *testing.T) {
		e := testrepo.New(t)
		src := filepath.Join(t.TempDir(), "phone")
		for i := range n {
			write(t, filepath.Join(src, "Contacts", fmt.Sprintf("contact-%05d.vcf", i)), card(i, tel(i)))
		}
		e.Backup(t, src)
		before := e.Size(t)
		write(t, filepath.Join(src, "Contacts", "contact-02345.vcf"), card(2345, "+44 7700 123456"))
		res := e.Backup(t, src)
		grew := e.Size(t) - before
		t.Logf("%d files, one edited: repository grew %d bytes", n, grew)
		if grew > limit {
			t.Errorf("repository grew %d bytes, want <= %d", grew, limit)
		}
		testrepo.SameTree(t, src, e.Restore(t, res.ID))
	})
}

// TestUnchangedAndCopies: an unchanged re-run adds under 64 KiB, with or
// without the local cache; a copy of a 50 MiB file adds under 1 MiB.
func TestUnchangedAndCopies(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(t.TempDir(), "phone")
	big := make([]byte, 50<<20)
	rand.NewChaCha8([32]byte{1}).Read(big)
	write(t, filepath.Join(src, "DCIM", "VID_0001.mp4"), string(big))
	write(t, filepath.Join(src, "contacts.vcf"), contactsFile(200, -1))
	e.Backup(t, src)

	before := e.Size(t)
	res := e.Backup(t, src)
	if grew := e.Size(t) - before; grew >= 64<<10 {
		t.Errorf("unchanged re-run grew the repository by %d bytes", grew)
	}
	if res.Snapshot.Stats.BytesRead != 0 {
		t.Errorf("unchanged re-run read %d bytes; the cache should skip unchanged files", res.Snapshot.Stats.BytesRead)
	}

	if err := os.RemoveAll(e.CacheDir); err != nil {
		t.Fatal(err)
	}
	before = e.Size(t)
	res = e.Backup(t, src)
	if grew := e.Size(t) - before; grew >= 64<<10 {
		t.Errorf("re-run without cache grew the repository by %d bytes", grew)
	}
	if res.Snapshot.Stats.BytesRead == 0 {
		t.Error("re-run without cache read nothing; it must read every file again")
	}

	before = e.Size(t)
	write(t, filepath.Join(src, "Backup", "copy of VID_0001.mp4"), string(big))
	res = e.Backup(t, src)
	grew := e.Size(t) - before
	t.Logf("a 50 MiB file copied to a second name: repository grew %d bytes", grew)
	if grew >= 1<<20 {
		t.Errorf("copying a 50 MiB file grew the repository by %d bytes", grew)
	}
	testrepo.SameTree(t, src, e.Restore(t, res.ID))
}

// revCards is 5,000 cards, each with a REV line set to rev.
func revCards(n int, rev string, edited int) string {
	var sb strings.Builder
	for i := range n {
		t := tel(i)
		if i == edited {
			t = "+44 7700 123456"
		}
		c := card(i, t)
		sb.WriteString(strings.Replace(c, "END:VCARD\r\n", "REV:"+rev+"\r\nEND:VCARD\r\n", 1))
	}
	return sb.String()
}

func events(n int, stamp string) string {
	var sb strings.Builder
	sb.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Export " + stamp + "//EN\r\n")
	for i := range n {
		fmt.Fprintf(&sb, "BEGIN:VEVENT\r\nUID:event-%d@example.org\r\nDTSTAMP:%s\r\nDTSTART:20250101T%02d0000Z\r\n"+
			"SUMMARY:Meeting number %d\r\nEND:VEVENT\r\n", i, stamp, i%24, i)
	}
	sb.WriteString("END:VCALENDAR\r\n")
	return sb.String()
}

// TestVolatileOnly: a sync that rewrote every REV (or an export that
// refreshed every DTSTAMP and the PRODID) stores at most 16 KiB for 5,000
// records, and an edit of one contact still stores at most a few KiB.
func TestVolatileOnly(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(t.TempDir(), "phone")
	write(t, filepath.Join(src, "contacts.vcf"), revCards(5000, "20251101T080000Z", -1))
	write(t, filepath.Join(src, "calendar.ics"), events(5000, "20251101T080000Z"))
	e.Backup(t, src)

	// Each file on its own: SPEC's bound is per 5,000 records.
	for _, step := range []struct{ name, file, data string }{
		{"REV of 5,000 cards", "contacts.vcf", revCards(5000, "20251122T093000Z", -1)},
		{"DTSTAMP and PRODID of 5,000 events", "calendar.ics", events(5000, "20251122T093000Z")},
	} {
		before := e.Size(t)
		write(t, filepath.Join(src, step.file), step.data)
		e.Backup(t, src)
		grew := e.Size(t) - before
		t.Logf("%s changed: repository grew %d bytes", step.name, grew)
		if grew > 16<<10 {
			t.Errorf("%s changed: repository grew %d bytes, want <= 16 KiB", step.name, grew)
		}
	}

	before := e.Size(t)
	write(t, filepath.Join(src, "contacts.vcf"), revCards(5000, "20251122T093000Z", 77))
	res := e.Backup(t, src)
	grew := e.Size(t) - before
	t.Logf("one contact of 5,000 (with REV lines) edited: repository grew %d bytes", grew)
	if grew > 8<<10 {
		t.Errorf("one edited contact grew the repository by %d bytes", grew)
	}
	testrepo.SameTree(t, src, e.Restore(t, res.ID))
}

// TestEditOneContactMean: over three repositories (three random keys, so
// three different cuts of the sequence blobs), one edited contact of
// 5,000 adds at most 4 KiB on average; each run stays under 8 KiB.
func TestEditOneContactMean(t *testing.T) {
	const n = 5000
	var total int64
	for i := range 3 {
		e := testrepo.New(t)
		src := filepath.Join(t.TempDir(), "phone")
		write(t, filepath.Join(src, "contacts.vcf"), contactsFile(n, -1))
		e.Backup(t, src)
		before := e.Size(t)
		write(t, filepath.Join(src, "contacts.vcf"), contactsFile(n, 1000+i*1111))
		e.Backup(t, src)
		grew := e.Size(t) - before
		t.Logf("run %d: grew %d bytes", i, grew)
		if grew > 8<<10 {
			t.Errorf("run %d grew %d bytes", i, grew)
		}
		total += grew
	}
	if mean := total / 3; mean > 4<<10 {
		t.Errorf("mean growth %d bytes, want <= 4 KiB", mean)
	}
}
