package iphone_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
	"github.com/lifeboat-backup/lifeboat/source"
	"github.com/lifeboat-backup/lifeboat/source/iphone"
)

// TestCorruptDatabases: an AddressBook.sqlitedb or Calendar.sqlitedb
// that is not SQLite, or cut in half, is an entry error (source.Reporter)
// named in the backup's errors; the photos, the other database's records
// and the backup's own files are all kept.
func TestCorruptDatabases(t *testing.T) {
	ab, err := iosgen.AddressBookFiles(iosgen.GeneratedContacts(30))
	if err != nil {
		t.Fatal(err)
	}
	cal, err := iosgen.CalendarFiles(iosgen.DefaultCalendarData())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, db, entry string
		edit            func([]byte) []byte
	}{
		{"address book garbage", "Library/AddressBook/AddressBook.sqlitedb", "contacts", func(b []byte) []byte { return bytes.Repeat([]byte("junk"), len(b)/4) }},
		{"address book cut", "Library/AddressBook/AddressBook.sqlitedb", "contacts", func(b []byte) []byte { return b[:len(b)/2] }},
		{"calendar garbage", "Library/Calendar/Calendar.sqlitedb", "calendars", func(b []byte) []byte { return bytes.Repeat([]byte("junk"), len(b)/4) }},
		{"calendar cut", "Library/Calendar/Calendar.sqlitedb", "calendars", func(b []byte) []byte { return b[:len(b)/2] }},
	}
	for _, c := range cases {
		for _, pw := range [][]byte{nil, hostilePassword} {
			t.Run(c.name+map[bool]string{false: " plain", true: " encrypted"}[pw != nil], func(t *testing.T) {
				files := []iosgen.File{cam("Media/DCIM/100APPLE/IMG_0001.JPG", photo(3000))}
				for _, f := range append(append([]iosgen.File(nil), ab...), cal...) {
					if f.RelativePath == c.db {
						f.Data = c.edit(bytes.Clone(f.Data))
					}
					files = append(files, f)
				}
				b, err := iosgen.Write(t.TempDir(), iosgen.Options{Password: pw, Files: files})
				if err != nil {
					t.Fatal(err)
				}
				got := hostileRun(t, b.Dir, pw)
				var reported []string
				got.tree.(source.Reporter).EntryErrors(func(p string, err error) { reported = append(reported, p+": "+err.Error()) })
				t.Logf("entry errors: %v", reported)
				if len(reported) == 0 || !strings.HasPrefix(reported[0], c.entry+": ") {
					t.Errorf("a corrupt %s gives entry errors %v, want one for %s", c.db, reported, c.entry)
				}
				if !named(got.res.Errors, c.entry) {
					t.Errorf("backup errors %v do not name %s", got.res.Errors, c.entry)
				}
				if r := restored(t, got.out, "DCIM/100APPLE/IMG_0001.JPG"); !bytes.Equal(r, photo(3000)) {
					t.Errorf("the photo beside a corrupt database restored as %d bytes", len(r))
				}
				other := "contacts"
				if c.entry == "contacts" {
					other = "calendars"
				}
				if ents, err := os.ReadDir(filepath.Join(got.out, other)); err != nil || len(ents) == 0 {
					t.Errorf("%s beside a corrupt %s: %d restored (%v)", other, c.db, len(ents), err)
				}
			})
		}
	}
}

// TestCancelOpen: Ctrl-C while a backup is opened stops Open within
// moments, with context.Canceled and no tree: while an encrypted one's
// key is derived with iOS's slow PBKDF2, and while a Manifest.db of
// 300,000 files is read. Cancelled before, Open gives no tree either.
func TestCancelOpen(t *testing.T) {
	// 6,000,000 rounds of PBKDF2-SHA256 take about a second here; a
	// phone's backup has 10,000,000.
	slowKey, err := iosgen.Write(t.TempDir(), iosgen.Options{Password: hostilePassword, DPIC: 6_000_000, Files: iosgen.DefaultFiles()})
	if err != nil {
		t.Fatal(err)
	}
	// Reading these rows takes about two seconds here.
	bigManifest, err := iosgen.Write(t.TempDir(), iosgen.Options{Files: iosgen.DefaultFiles(), TamperManifestDB: sqlTamper(t,
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 300000) "+
			"INSERT INTO Files (fileID, domain, relativePath, flags, file) SELECT printf('%040d', i), 'HomeDomain', 'Library/Junk/' || i, 1, NULL FROM n")})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		dir  string
	}{{"key derivation", slowKey.Dir}, {"big manifest", bigManifest.Dir}} {
		t.Run(c.name, func(t *testing.T) {
			s, err := iphone.New(c.dir, iphone.Options{Password: func() ([]byte, error) { return bytes.Clone(hostilePassword), nil }})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if tree, _, err := s.Open(ctx); !errors.Is(err, context.Canceled) || tree != nil {
				t.Errorf("open with the context cancelled: %v, %v; want context.Canceled and no tree", tree, err)
			}
			ctx, cancel = context.WithCancel(context.Background())
			defer cancel()
			time.AfterFunc(100*time.Millisecond, cancel)
			start := time.Now()
			tree, _, err := s.Open(ctx)
			if took := time.Since(start); !errors.Is(err, context.Canceled) || tree != nil || took > 400*time.Millisecond {
				t.Errorf("open cancelled after 100ms: %v, %v after %v; want context.Canceled within 400ms", tree, err, took.Round(time.Millisecond))
			}
		})
	}
}

// TestHostileDiskFiles: a backup whose file for a camera-roll photo or
// a database is a symlink (to a file outside the backup, of the photo's
// recorded size) or a FIFO: nothing outside the backup is read into the
// snapshot, and the backup ends (a FIFO opened for reading blocks until
// someone writes to it).
func TestHostileDiskFiles(t *testing.T) {
	secret := []byte("outside the backup: not a photo of this phone\n")
	outside := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(outside, secret, 0o600); err != nil {
		t.Fatal(err)
	}
	const rel = "Media/DCIM/100APPLE/IMG_0002.JPG"
	for _, kind := range []string{"symlink", "fifo"} {
		t.Run(kind, func(t *testing.T) {
			b, err := iosgen.Write(t.TempDir(), iosgen.Options{Files: []iosgen.File{
				cam("Media/DCIM/100APPLE/IMG_0001.JPG", photo(3000)), cam(rel, make([]byte, len(secret)))}})
			if err != nil {
				t.Fatal(err)
			}
			id := iosgen.FileID(iosgen.CameraRollDomain, rel)
			p := filepath.Join(b.Dir, id[:2], id)
			os.Remove(p)
			if kind == "symlink" {
				err = os.Symlink(outside, p)
			} else {
				err = syscall.Mkfifo(p, 0o644)
			}
			if err != nil {
				t.Skipf("%s: %v", kind, err)
			}
			done := make(chan outcome, 1)
			go func() { done <- hostileRunNoCompare(t, b.Dir) }()
			var got outcome
			select {
			case got = <-done:
			case <-time.After(20 * time.Second):
				t.Fatalf("backup of a backup holding a %s did not end", kind)
			}
			if r := restored(t, got.out, "DCIM/100APPLE/IMG_0002.JPG"); bytes.Contains(r, secret) {
				t.Errorf("a %s in the backup stored a file outside it as a photo", kind)
			}
			if !named(got.res.Errors, "DCIM/100APPLE/IMG_0002.JPG") {
				t.Errorf("the photo whose file is a %s is not named in the errors: %v", kind, got.res.Errors)
			}
			if r := restored(t, got.out, "DCIM/100APPLE/IMG_0001.JPG"); !bytes.Equal(r, photo(3000)) {
				t.Errorf("the photo beside the %s restored as %d bytes", kind, len(r))
			}
		})
	}
}
