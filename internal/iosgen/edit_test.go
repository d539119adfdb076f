package iosgen

import (
	"bytes"
	"database/sql"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/source/iphone/mobilebackup"
)

// diffPages counts the 4096-byte pages that differ between a and b (a
// page only one of them has counts as differing).
func diffPages(a, b []byte) (diff, pages int) {
	const page = 4096
	pages = (max(len(a), len(b)) + page - 1) / page
	for p := 0; p < pages; p++ {
		at := func(x []byte) []byte { return x[min(p*page, len(x)):min((p+1)*page, len(x))] }
		if !bytes.Equal(at(a), at(b)) {
			diff++
		}
	}
	return diff, pages
}

// TestEditContactPages: the address book of 300 contacts written again
// with one contact edited holds the edit and differs from the first in
// a few of its 4096-byte pages, as an edit on the phone changes few.
func TestEditContactPages(t *testing.T) {
	contacts := GeneratedContacts(300)
	before, _, err := AddressBook(contacts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 150, 299} {
		edited := EditContact(contacts, i)
		if contacts[i].Note == edited[i].Note || contacts[i].Phones[0] == edited[i].Phones[0] || &contacts[i].Phones[0] == &edited[i].Phones[0] {
			t.Fatalf("contact %d: the edit changed nothing or changed the original", i)
		}
		after, _, err := AddressBook(edited, nil)
		if err != nil {
			t.Fatal(err)
		}
		diff, pages := diffPages(before, after)
		t.Logf("contact %d edited: %d of %d pages differ (%d and %d bytes)", i, diff, pages, len(before), len(after))
		if diff == 0 || diff*10 >= pages {
			t.Errorf("contact %d edited: %d of %d pages differ, want some and under 10%%", i, diff, pages)
		}
		name := filepath.Join(t.TempDir(), "ab.sqlitedb")
		if err := os.WriteFile(name, after, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", "file:"+name+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var note, phone string
		var mod int64
		err = db.QueryRow(`SELECT p.Note, p.ModificationDate, m.value FROM ABPerson p JOIN ABMultiValue m ON m.record_id = p.ROWID
			WHERE p.ROWID = ? AND m.property = 3 ORDER BY m.UID LIMIT 1`, edited[i].RowID).Scan(&note, &mod, &phone)
		db.Close()
		if err != nil || note != edited[i].Note || phone != edited[i].Phones[0].Value || mod != EditedAt.Unix()-cocoa.Unix() {
			t.Errorf("contact %d reads note %q, phone %q, modified %d (%v); want %q, %q, %d", i, note, phone, mod, err,
				edited[i].Note, edited[i].Phones[0].Value, EditedAt.Unix()-cocoa.Unix())
		}
	}
}

// editedBackups writes a Standard backup and the same with contact 150
// edited (its address book saved at EditedAt), with o's options, the
// second with second's changes to them.
func editedBackups(t *testing.T, o Options, second func(*Options, *Backup)) (a, b *Backup) {
	t.Helper()
	files, want, err := Standard(300, 20)
	if err != nil {
		t.Fatal(err)
	}
	ab, err := AddressBookFiles(EditContact(want.Contacts, 150))
	if err != nil {
		t.Fatal(err)
	}
	edited := append([]File(nil), files...)
	for i, f := range edited {
		for _, g := range ab {
			if f.Domain == g.Domain && f.RelativePath == g.RelativePath {
				g.ModTime = EditedAt
				edited[i] = g
			}
		}
	}
	o.Files = files
	if a, err = Write(t.TempDir(), o); err != nil {
		t.Fatal(err)
	}
	o.Files = edited
	if second != nil {
		second(&o, a)
	}
	if b, err = Write(t.TempDir(), o); err != nil {
		t.Fatal(err)
	}
	if len(a.Files) != len(b.Files) {
		t.Fatalf("%d and %d files", len(a.Files), len(b.Files))
	}
	return a, b
}

// sameOnDisk says, per file of a, whether b holds the same fileID with
// the same bytes on disk.
func sameOnDisk(t *testing.T, a, b *Backup) (same, differ []string) {
	t.Helper()
	for i, w := range a.Files {
		if b.Files[i].ID != w.ID {
			t.Fatalf("file %d: fileID %s then %s", i, w.ID, b.Files[i].ID)
		}
		x, err := os.ReadFile(w.Path)
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(b.Files[i].Path)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(x, y) {
			same = append(same, w.RelativePath)
		} else {
			differ = append(differ, w.RelativePath)
		}
	}
	return same, differ
}

func fileEqual(t *testing.T, x, y string) bool {
	t.Helper()
	a, err := os.ReadFile(x)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(y)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(a, b)
}

// TestEditPlainBackup: a plain backup written again with one contact
// edited has the same fileIDs and the same bytes in every file but the
// address book, whose Manifest.db row changes with its time.
func TestEditPlainBackup(t *testing.T) {
	a, b := editedBackups(t, Options{}, nil)
	same, differ := sameOnDisk(t, a, b)
	if len(differ) != 1 || differ[0] != AddressBookPath {
		t.Errorf("files that differ: %v, want only %s", differ, AddressBookPath)
	}
	if fileEqual(t, filepath.Join(a.Dir, "Manifest.db"), filepath.Join(b.Dir, "Manifest.db")) {
		t.Error("Manifest.db is the same though the address book's time changed")
	}
	t.Logf("%d files the same, %v differ", len(same), differ)
}

// TestEditEncryptedBackup: what an encrypted backup written again with
// one contact edited keeps. With the same Options.Rand seed, every draw
// repeats, so every unchanged file is the same and the edited one,
// under the same key, is not. With fresh randomness every file's key is
// new and no file is the same, unless Options.Keys gives the first
// backup's keys: then every unchanged file keeps its bytes, the edited
// one gets a fresh key, and the project's own reader decrypts all of the
// second backup to the bytes it was given.
func TestEditEncryptedBackup(t *testing.T) {
	password := []byte("edit")
	seeded := func() io.Reader { return rand.NewChaCha8([32]byte{1}) }
	a, b := editedBackups(t, Options{Password: password, Rand: seeded()}, func(o *Options, _ *Backup) { o.Rand = seeded() })
	if _, differ := sameOnDisk(t, a, b); len(differ) != 1 || differ[0] != AddressBookPath {
		t.Errorf("same seed: files that differ %v, want only %s", differ, AddressBookPath)
	}
	t.Logf("same seed: Manifest.plist the same %v, Manifest.db the same %v",
		fileEqual(t, filepath.Join(a.Dir, "Manifest.plist"), filepath.Join(b.Dir, "Manifest.plist")),
		fileEqual(t, filepath.Join(a.Dir, "Manifest.db"), filepath.Join(b.Dir, "Manifest.db")))

	a, b = editedBackups(t, Options{Password: password}, nil)
	if same, _ := sameOnDisk(t, a, b); len(same) != 0 {
		t.Errorf("fresh keys: %d files the same: %v", len(same), same)
	}

	a, b = editedBackups(t, Options{Password: password}, func(o *Options, first *Backup) { o.Keys = first.Keys })
	same, differ := sameOnDisk(t, a, b)
	if len(differ) != 1 || differ[0] != AddressBookPath || len(same) != len(a.Files)-1 {
		t.Errorf("kept keys: files that differ %v, want only %s", differ, AddressBookPath)
	}
	id := FileID("HomeDomain", AddressBookPath)
	if bytes.Equal(a.Keys[id].Key, b.Keys[id].Key) || len(b.Keys) != len(b.Files) {
		t.Errorf("the edited address book kept its key, or %d keys for %d files", len(b.Keys), len(b.Files))
	}
	r, err := mobilebackup.Open(b.Dir, func() ([]byte, error) { return append([]byte(nil), password...), nil })
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, w := range b.Files {
		f, err := r.Open(w.ID)
		if err != nil {
			t.Fatalf("%s: %v", w.RelativePath, err)
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil || !bytes.Equal(data, w.Data) {
			t.Errorf("%s: decrypts to %d bytes (%v), not the %d it was given", w.RelativePath, len(data), err, len(w.Data))
		}
	}
}
