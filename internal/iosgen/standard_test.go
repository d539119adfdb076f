package iosgen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"testing"
	"time"
)

// TestStandard: Standard holds the address book, both calendar stores,
// the camera roll of Want.Media and DefaultFiles' files outside the camera
// roll, each once; the contacts have the variety readers are tested on.
func TestStandard(t *testing.T) {
	files, want, err := Standard(300, 30)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	roll := 0
	for _, f := range files {
		k := f.Domain + "-" + f.RelativePath
		if seen[k] {
			t.Errorf("%s twice", k)
		}
		seen[k] = true
		if f.Domain == CameraRollDomain {
			roll++
		}
	}
	for _, p := range []string{AddressBookPath, AddressBookImagesPath, CalendarPath, RemindersPath, "Library/Preferences/com.apple.springboard.plist"} {
		if !seen["HomeDomain-"+p] {
			t.Errorf("no HomeDomain %s", p)
		}
	}
	if roll != len(want.Media) || roll != 30 || len(want.Contacts) != 300 || len(want.Calendar.Calendars) != 3 || len(want.Calendar.Lists) != 2 {
		t.Errorf("%d camera roll files, %d media, %d contacts, %d calendars, %d lists", roll, len(want.Media), len(want.Contacts),
			len(want.Calendar.Calendars), len(want.Calendar.Lists))
	}
	for _, m := range want.Media {
		if !seen[CameraRollDomain+"-"+m.RelativePath] {
			t.Errorf("no %s", m.RelativePath)
		}
	}
	var phones, emails, addrs, custom, photos int
	for _, c := range want.Contacts {
		if len(c.Phones) > 1 {
			phones++
		}
		if len(c.Emails) > 1 {
			emails++
		}
		if len(c.Addresses) > 1 {
			addrs++
		}
		for _, l := range append(append([]Labelled{}, c.Phones...), c.Emails...) {
			if l.Label != "" && l.Label[0] != '_' && l.Label != "iPhone" {
				custom++
			}
		}
		if c.Photo != nil {
			photos++
		}
	}
	if phones == 0 || emails == 0 || addrs == 0 || custom == 0 || photos < 10 {
		t.Errorf("%d contacts with several phones, %d emails, %d addresses, %d custom labels, %d pictures", phones, emails, addrs, custom, photos)
	}
}

// standardQuery reads, with Python's sqlite3, the decrypted Manifest.db
// (its CameraRollDomain files and the address book's fileID) and then
// that address book (its ABPerson rows).
const standardQuery = `
import sys, json, sqlite3, os
m = sqlite3.connect('file:' + os.path.join(sys.argv[1], 'Manifest.db') + '?mode=ro', uri=True)
photos = m.execute("SELECT count(*) FROM Files WHERE domain = 'CameraRollDomain' AND flags = 1").fetchone()[0]
(ab,) = m.execute("SELECT fileID FROM Files WHERE domain = 'HomeDomain' AND relativePath = ?", (sys.argv[2],)).fetchone()
a = sqlite3.connect('file:' + os.path.join(sys.argv[1], ab) + '?mode=ro', uri=True)
people = a.execute("SELECT count(*) FROM ABPerson").fetchone()[0]
json.dump({"photos": photos, "people": people}, sys.stdout)
`

// TestPythonDecryptsStandard: the independent Python decryptor decrypts
// an encrypted Standard(300, 200) backup; every file's SHA-256 is the
// generator's, Python's sqlite3 finds 300 people in its address book
// and 200 camera roll files in Manifest.db, and a decrypted JPEG has the
// generator's bytes.
func TestPythonDecryptsStandard(t *testing.T) {
	py := python(t)
	start := time.Now()
	files, want, err := Standard(300, 200)
	if err != nil {
		t.Fatal(err)
	}
	password := []byte("whole phone")
	b, err := Write(t.TempDir(), Options{Password: password, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, f := range files {
		total += len(f.Data)
	}
	out := t.TempDir()
	d := runDecryptor(t, py, b.Dir, password, out)
	if d.Error != "" {
		t.Fatal(d.Error)
	}
	if len(d.Files) != len(files) {
		t.Errorf("decrypted %d files, want %d", len(d.Files), len(files))
	}
	for _, w := range b.Files {
		sum := sha256.Sum256(w.Data)
		if got := d.Files[w.ID]; got.SHA256 != hex.EncodeToString(sum[:]) || got.RelativePath != w.RelativePath {
			t.Errorf("%s: Python read %+v", w.RelativePath, got)
		}
	}
	res, err := exec.Command(py, "-c", standardQuery, out, AddressBookPath).Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	var got struct{ Photos, People int }
	if err := json.Unmarshal(res, &got); err != nil {
		t.Fatalf("%v: %s", err, res)
	}
	if got.Photos != 200 || got.Photos != len(want.Media) || got.People != len(want.Contacts) || got.People < 300 {
		t.Errorf("Python found %d camera roll files and %d people, want %d and %d", got.Photos, got.People, len(want.Media), len(want.Contacts))
	}
	jpegs := 0
	for _, f := range files {
		if f.Domain != CameraRollDomain || path.Ext(f.RelativePath) != ".JPG" {
			continue
		}
		jpegs++
		plain, err := os.ReadFile(filepath.Join(out, FileID(f.Domain, f.RelativePath)))
		if err != nil || !bytes.Equal(plain, f.Data) {
			t.Errorf("%s: Python decrypted %d bytes (%v), not the generator's %d", f.RelativePath, len(plain), err, len(f.Data))
		}
		if jpegs == 3 {
			break
		}
	}
	if jpegs == 0 {
		t.Error("no JPEG in the camera roll")
	}
	t.Logf("%d files, %d bytes, in %v", len(files), total, time.Since(start).Round(time.Millisecond))
}
