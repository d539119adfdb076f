package export_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/export"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// TestExportPeople: a Takeout contact in two label files, folded
// differently, is written and counted once; the snapshot counts the same.
// Two malformed cards that read the same as far as they read are both
// kept: nothing a user might need is dropped from the kit.
func TestExportPeople(t *testing.T) {
	src := filepath.Join(t.TempDir(), "Takeout")
	write := func(rel, s string) {
		p := filepath.Join(src, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	anna := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Becker\r\nN:Becker;Anna;;;\r\nTEL;TYPE=CELL:+49 170 1111111\r\nCATEGORIES:myContacts,Family\r\nEND:VCARD\r\n"
	annaFolded := strings.Replace(anna, "CATEGORIES:myContacts,", "CATEGORIES:myContacts,\r\n ", 1)
	bad := func(s string) string {
		return "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\n" + s + "\r\nEND:VCARD\r\n"
	}
	write("Contacts/My Contacts/My Contacts.vcf", anna+bad("a line without colon one"))
	write("Contacts/Family/Family.vcf", annaFolded+bad("a line without colon two"))

	e := testrepo.New(t)
	res := e.Backup(t, src)
	if res.Snapshot.Stats.Contacts != 2 {
		t.Errorf("snapshot counts %d contacts, want 2 (Anna, and the broken card's name)", res.Snapshot.Stats.Contacts)
	}
	out := filepath.Join(t.TempDir(), "kit")
	got, err := export.Run(context.Background(), e.Open(t, repo.AccessRead), res.Snapshot, export.Options{Target: out, Contacts: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Contacts+got.Unreadable != int(res.Snapshot.Stats.Contacts) || got.Contacts != 1 {
		t.Errorf("export counted %d (+%d unreadable), snapshot %d", got.Contacts, got.Unreadable, res.Snapshot.Stats.Contacts)
	}
	good, err := os.ReadFile(filepath.Join(out, "contacts.vcf"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(good), "BEGIN:VCARD"); n != 1 {
		t.Errorf("contacts.vcf holds %d cards, want Anna once", n)
	}
	badOut, err := os.ReadFile(filepath.Join(out, "contacts-unreadable.vcf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"colon one", "colon two"} {
		if !strings.Contains(string(badOut), s) {
			t.Errorf("contacts-unreadable.vcf lacks the card with %q", s)
		}
	}
}
