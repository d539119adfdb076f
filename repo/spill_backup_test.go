package repo_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// androidCard is one contact as Android's VCardBuilder writes it for a
// one-file-per-contact export: vCard 2.1, CRLF, a non-ASCII name in
// quoted-printable UTF-8.
func androidCard(i int) string {
	return fmt.Sprintf("BEGIN:VCARD\r\nVERSION:2.1\r\n"+
		"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller %d;J=C3=B6rg;;;\r\n"+
		"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg M=C3=BCller %d\r\n"+
		"TEL;CELL:+49 151 %07d\r\nEMAIL;HOME:jorg%d@example.org\r\nEND:VCARD\r\n", i, i, i, i)
}

// TestBackupPastSpill: a backup of more blobs than one chunk of the
// index's records (so that its index spills them to disk) restores
// whole, including files that are copies of others (Takeout names a
// second file of the same name "name(1).vcf"); a second backup without
// its file cache finds every blob in the loaded, spilled index and stores
// next to nothing; no spill file is left in the state directory.
func TestBackupPastSpill(t *testing.T) {
	src := t.TempDir()
	dir := filepath.Join(src, "Contacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	const n = 6000
	for i := 0; i < n; i++ {
		name := filepath.Join(dir, fmt.Sprintf("Jörg Müller %d.vcf", i))
		if err := os.WriteFile(name, []byte(androidCard(i)), 0o644); err != nil {
			t.Fatal(err)
		}
		if i%200 == 0 { // the same card exported twice
			dup := filepath.Join(dir, fmt.Sprintf("Jörg Müller %d(1).vcf", i))
			if err := os.WriteFile(dup, []byte(androidCard(i)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	e := testrepo.New(t)
	res := e.Backup(t, src)
	testrepo.SameTree(t, src, e.Restore(t, res.ID))
	if got := e.Open(t, repo.AccessWrite).Index().Len(); got < n {
		t.Fatalf("index holds %d blobs, want at least %d", got, n)
	}

	before := e.Size(t)
	if err := os.RemoveAll(e.CacheDir); err != nil {
		t.Fatal(err)
	}
	res2 := e.Backup(t, src)
	if grown := e.Size(t) - before; grown > 32<<10 {
		t.Fatalf("a backup of unchanged files without its cache grew the repository by %d bytes", grown)
	}
	testrepo.SameTree(t, src, e.Restore(t, res2.ID))
	filepath.WalkDir(e.Keys.StateDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), "index-spill-") {
			t.Errorf("spill file left: %s", p)
		}
		return nil
	})
}
