package backup_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeebo/blake3"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/pim"
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

// TestCacheHoldsNoUnkeyedDigest: the file cache, plaintext on the backup
// machine's disk, holds no unkeyed hash of a contact card (which would
// let a reader of the cache confirm a guessed card), neither as the
// record memo once made it (BLAKE3 of kind byte and card) nor of the
// card alone, and no card text.
func TestCacheHoldsNoUnkeyedDigest(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(t.TempDir(), "phone")
	var cards []string
	var sb strings.Builder
	for i := range 40 {
		c := card(i, tel(i))
		cards = append(cards, c)
		sb.WriteString(c)
	}
	write(t, filepath.Join(src, "contacts.vcf"), sb.String())
	e.Backup(t, src)
	var cache []byte
	filepath.WalkDir(e.CacheDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && strings.Contains(p, "files-") {
			b, _ := os.ReadFile(p)
			cache = append(cache, b...)
		}
		return nil
	})
	if len(cache) == 0 {
		t.Fatal("no file cache written")
	}
	for i, c := range cards {
		for _, in := range [][]byte{append([]byte{byte(pim.RecContact)}, c...), []byte(c)} {
			sum := blake3.Sum256(in)
			if bytes.Contains(cache, sum[:8]) {
				t.Fatalf("card %d: the cache holds an unkeyed BLAKE3 of it", i)
			}
		}
		if bytes.Contains(cache, []byte(tel(i))) {
			t.Fatalf("card %d: the cache holds its phone number", i)
		}
	}
}
