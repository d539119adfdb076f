package backup_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
)

// TestRecordMemoCounts: a changed contacts file whose records the file
// cache remembers is counted exactly as a fresh read counts it (people,
// malformed records, warnings), after edits that merge two identities
// and break a card.
func TestRecordMemoCounts(t *testing.T) {
	const bad = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nno colon on this line\r\nEND:VCARD\r\n"
	file := func(edit bool) string {
		var sb strings.Builder
		for i := range 60 {
			c := card(i, tel(i))
			switch {
			case i == 3:
				c = card(2, tel(3)) // the same person as card 2
			case i == 5 || edit && i == 20:
				c = bad
			case edit && i == 10:
				c = card(11, tel(10))
			}
			sb.WriteString(c)
		}
		return sb.String()
	}
	e := testrepo.New(t)
	src := filepath.Join(t.TempDir(), "phone")
	path := filepath.Join(src, "contacts.vcf")
	write(t, path, file(false))
	first := e.Backup(t, src)
	if s := first.Snapshot.Stats; s.Contacts != 59 || s.Malformed != 1 {
		t.Fatalf("first backup: %d contacts, %d malformed; want 59, 1", s.Contacts, s.Malformed)
	}
	write(t, path, file(true))
	cached := e.Backup(t, src)
	fresh := testrepo.New(t).Backup(t, src)
	c, f := cached.Snapshot.Stats, fresh.Snapshot.Stats
	if c.Contacts != f.Contacts || c.Malformed != f.Malformed || len(cached.Warnings) != len(fresh.Warnings) {
		t.Errorf("with the cache: %d contacts, %d malformed, %d warnings; read afresh: %d, %d, %d",
			c.Contacts, c.Malformed, len(cached.Warnings), f.Contacts, f.Malformed, len(fresh.Warnings))
	}
	if f.Contacts != 57 || f.Malformed != 2 {
		t.Errorf("edited: %d contacts, %d malformed; want 57, 2", f.Contacts, f.Malformed)
	}
}
