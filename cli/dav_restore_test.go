package cli

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/davtest"
	"github.com/lifeboat-backup/lifeboat/source/dav"
)

// davResources lists a collection as name → bytes.
func davResources(t *testing.T, s *davtest.Server, coll string) map[string][]byte {
	t.Helper()
	resp, body, err := s.Do("PROPFIND", coll, []byte(`<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>`),
		map[string]string{"Depth": "1", "Content-Type": "application/xml"})
	if err != nil || resp.StatusCode != 207 {
		t.Fatalf("PROPFIND %s: %v %v", coll, err, resp)
	}
	out := map[string][]byte{}
	for _, part := range strings.Split(string(body), "href>")[1:] {
		href := strings.TrimSuffix(part, "</d:")
		href = strings.TrimSuffix(strings.TrimSuffix(href, "</D:"), "</")
		if i := strings.Index(href, "<"); i >= 0 {
			href = href[:i]
		}
		if href == "" || strings.HasSuffix(href, "/") {
			continue
		}
		b, err := s.Get(href)
		if err != nil {
			t.Fatal(err)
		}
		name, _ := url.PathUnescape(filepath.Base(href))
		out[name] = b
	}
	return out
}

// TestDAVRestoreIntoServer: a snapshot of one server's address book and
// calendar is put into new collections on the other server; a backup of
// those holds the same records, byte for byte. A dry run changes nothing,
// a second run finds everything already there, nothing is ever deleted,
// and a phone export's contacts.vcf becomes one resource per contact.
func TestDAVRestoreIntoServer(t *testing.T) {
	rad, xan := davtest.Radicale(t), davtest.Xandikos(t)
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	davSeed(t, rad)
	card, cal := rad.Source("carddav"), rad.Source("caldav")
	backupJSON(t, 0, "--repo", repoDir, "--dav-password-file", rad.PasswordFile, card, cal)

	host := strings.TrimPrefix(xan.Base, "http://")
	books := "carddav+http://" + xan.User + "@" + host + "/user/contacts/restored/"
	cals := "caldav+http://" + xan.User + "@" + host + "/user/calendars/restored/"

	// latest names two sources (the address books and the calendars):
	// into a server, one source at a time.
	if code, e := lb(t, "restore", "--repo", repoDir, "latest", "--to", books, "--dry-run"); code != 2 || !strings.Contains(e, "latest:SOURCE") {
		t.Fatalf("latest of 2 sources into a server: %d %s", code, e)
	}
	// A dry run says what it would do and does nothing. The source may be
	// named without the path's trailing slash, as a user types it.
	code, out, e := lbOut(t, "restore", "--repo", repoDir, "latest:"+strings.TrimSuffix(card, "/"), "--to", books, "--dry-run")
	if code != 0 || !strings.Contains(out, "would create the collection") || !strings.Contains(out, books+": 3 to put, 0 to replace, 0 already there") || !strings.Contains(out, "dry run, nothing changed") {
		t.Fatalf("dry run: %d %s %s", code, out, e)
	}
	// (Xandikos answers 207 with a 404 inside for a missing collection.)
	if resp, body, _ := xan.Do("PROPFIND", "/user/contacts/restored/", nil, map[string]string{"Depth": "0"}); resp.StatusCode != 404 && !bytes.Contains(body, []byte(" 404 ")) {
		t.Fatalf("the dry run created the collection: %v %s", resp.Status, body)
	}

	for _, tc := range []struct{ src, to, coll string }{
		{card, books, "/user/contacts/restored/"},
		{cal, cals, "/user/calendars/restored/"},
	} {
		code, out, e := lbOut(t, "restore", "--repo", repoDir, "latest:"+tc.src, "--to", tc.to)
		if code != 0 || !strings.Contains(out, "created the collection") {
			t.Fatalf("restore into %s: %d %s %s", tc.to, code, out, e)
		}
		// Again: everything is already there.
		code, out, e = lbOut(t, "restore", "--repo", repoDir, "latest:"+tc.src, "--to", tc.to)
		if code != 0 || !strings.Contains(out, ": 0 put, 0 replaced, 3 already there") {
			t.Fatalf("second restore into %s: %d %s %s", tc.to, code, out, e)
		}
		from := map[string][]byte{}
		for name, b := range davResources(t, rad, map[bool]string{true: rad.AddressBook, false: rad.Calendar}[tc.src == card]) {
			from[name] = b
		}
		got := davResources(t, xan, tc.coll)
		// The same records by name (from the UID) and content; Xandikos
		// re-serializes events, so content is compared line by line.
		if len(from) != 3 || len(got) != 3 {
			t.Errorf("%s: %d records on the first server, %d restored", tc.coll, len(from), len(got))
		}
		for name, b := range from {
			if !dav.SameContent(b, got[name]) {
				t.Errorf("%s: %s differs: %q vs %q", tc.coll, name, b, got[name])
			}
		}
	}

	// A record changed on the target is left alone, and reported (exit 3);
	// --overwrite puts the snapshot's back. Nothing is deleted: a record
	// only the target has stays.
	if ok, err := xan.Put("/user/contacts/restored/card-1.vcf", bytes.Replace(mustRead(t, "../source/dav/testdata/card-1.vcf"), []byte("+15550001"), []byte("+15557777"), 1)); !ok || err != nil {
		t.Fatalf("PUT: %v %v", ok, err)
	}
	extra := bytes.ReplaceAll(mustRead(t, "../source/dav/testdata/card-2.vcf"), []byte("card-2"), []byte("card-9"))
	if ok, err := xan.Put("/user/contacts/restored/card-9.vcf", extra); !ok || err != nil {
		t.Fatalf("PUT: %v %v", ok, err)
	}
	code, _, e = lbOut(t, "restore", "--repo", repoDir, "latest:"+card, "--to", books)
	if code != exitPartial || !strings.Contains(e, "card-1.vcf differs on the server; left alone") {
		t.Fatalf("restore over a changed record: %d %s", code, e)
	}
	if code, out, e := lbOut(t, "restore", "--repo", repoDir, "latest:"+card, "--to", books, "--overwrite"); code != 0 || !strings.Contains(out, "1 replaced") {
		t.Fatalf("restore --overwrite: %d %s %s", code, out, e)
	}
	got := davResources(t, xan, "/user/contacts/restored/")
	if !bytes.Equal(got["card-1.vcf"], mustRead(t, "../source/dav/testdata/card-1.vcf")) || got["card-9.vcf"] == nil {
		t.Errorf("after --overwrite: card-1 is not the snapshot's, or card-9 was deleted")
	}

	// Backing up the second server gives the same records (and the one
	// only it has).
	xcard := xan.Source("carddav")
	backupJSON(t, 0, "--repo", repoDir, xcard)
	folder := filepath.Join(dir, "xan")
	if code, e := lb(t, "restore", "--repo", repoDir, "latest:"+xcard, "--to", folder); code != 0 {
		t.Fatalf("restore the second server's snapshot: %d %s", code, e)
	}
	for name, b := range davResources(t, rad, rad.AddressBook) {
		if got, err := os.ReadFile(filepath.Join(folder, "restored", name)); err != nil || !dav.SameContent(b, got) {
			t.Errorf("%s: not the same in the second server's snapshot: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(folder, "restored", "card-9.vcf")); err != nil {
		t.Errorf("the record only the second server has is not in its snapshot: %v", err)
	}

	// A phone export (vCard 2.1 from Android: no UIDs, quoted-printable
	// soft breaks; 15 contacts in 3 files) becomes 15 resources.
	phone := filepath.Join("..", "testdata", "phone")
	backupJSON(t, 0, "--repo", repoDir, phone)
	code, out, e = lbOut(t, "restore", "--repo", repoDir, "latest:phone", "--to",
		"carddav+http://"+xan.User+"@"+host+"/user/contacts/from-phone/")
	if code != 0 || !strings.Contains(out, "15 put") {
		t.Fatalf("restore a phone export: %d %s %s", code, out, e)
	}
	if n := len(davResources(t, xan, "/user/contacts/from-phone/")); n != 15 {
		t.Errorf("the phone's 15 contacts became %d resources: %s", n, out)
	}

	// A record whose file name has a space: found again by its name, so a
	// second restore skips it.
	spaced := filepath.Join(dir, "spaced")
	os.MkdirAll(spaced, 0o700)
	os.WriteFile(filepath.Join(spaced, "John Doe.vcf"), []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:john-doe-1\r\nFN:John Doe\r\nN:Doe;John;;;\r\nEND:VCARD\r\n"), 0o600)
	backupJSON(t, 0, "--repo", repoDir, spaced)
	to := "carddav+http://" + xan.User + "@" + host + "/user/contacts/spaced/"
	for i, want := range []string{"1 put, 0 replaced, 0 already there", "0 put, 0 replaced, 1 already there"} {
		if code, out, e := lbOut(t, "restore", "--repo", repoDir, "latest:"+spaced, "--to", to); code != 0 || !strings.Contains(out, want) {
			t.Fatalf("restore %d of John Doe.vcf: %d %s %s", i+1, code, out, e)
		}
	}
	if got := davResources(t, xan, "/user/contacts/spaced/"); got["John Doe.vcf"] == nil {
		t.Errorf("stored as %v, want \"John Doe.vcf\"", got)
	}

	// A wrong password is a usage error.
	bad := filepath.Join(dir, "bad")
	writeSecret(t, bad, "wrong")
	code, _, e = lbOut(t, "restore", "--repo", repoDir, "latest:phone", "--to",
		"carddav+http://"+rad.User+"@"+strings.TrimPrefix(rad.Base, "http://")+"/me/x/", "--dav-password-file", bad)
	if code != exitUsage || !strings.Contains(e, "401") {
		t.Errorf("wrong password: %d %s", code, e)
	}
}

func writeSecret(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestDAVRestoreTargets: a target that exists but is not an address book
// (the server root, the principal, a calendar; on Radicale and Xandikos) is refused with exit 2
// before anything is put there; and restoring an account whose snapshot
// already holds the collection restored into (backed up after the first
// restore) finds every record already there, instead of refusing the
// second copies under other names.
func TestDAVRestoreTargets(t *testing.T) {
	rad := davtest.Radicale(t)
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	davSeed(t, rad)
	card, cal := rad.Source("carddav"), rad.Source("caldav")
	pw := []string{"--repo", repoDir, "--dav-password-file", rad.PasswordFile}
	backupJSON(t, 0, append(pw, card, cal)...)

	for _, tc := range []struct{ src, to, want string }{
		{card, card, "not an address book"},
		{card, card + "me/", "not an address book"},
		{card, card + "me/calendar/", "not an address book"},
		{cal, cal + "me/contacts/", "not a calendar"},
	} {
		code, out, e := lbOut(t, append([]string{"restore", "latest:" + tc.src, "--to", tc.to}, pw...)...)
		if code != exitUsage || !strings.Contains(e, tc.want) || !strings.Contains(e, "hint: point --to at") {
			t.Errorf("restore into %s: %d %s %s", tc.to, code, out, e)
		}
	}
	// Xandikos lists its root and principals without resourcetype
	// collection: they exist all the same, and are no address books.
	xan := davtest.Xandikos(t)
	for _, p := range []string{"", "user/"} {
		to := xan.Source("carddav") + p
		if code, out, e := lbOut(t, "restore", "--repo", repoDir, "latest:"+card, "--to", to); code != exitUsage || !strings.Contains(e, "not an address book") {
			t.Errorf("restore into %s: %d %s %s", to, code, out, e)
		}
	}
	if _, body, err := rad.Do("PROPFIND", "/me/", nil, map[string]string{"Depth": "1"}); err != nil || bytes.Contains(body, []byte(".vcf")) {
		t.Errorf("cards were put into the principal: %v %s", err, body)
	}

	to := card + "me/restored/"
	for i, want := range []string{"3 put, 0 replaced, 0 already there", "0 put, 0 replaced, 3 already there"} {
		if i == 1 {
			backupJSON(t, 0, append(pw, card)...) // now two address books with the same cards
		}
		if code, out, e := lbOut(t, append([]string{"restore", "latest:" + card, "--to", to}, pw...)...); code != 0 || !strings.Contains(out, want) {
			t.Fatalf("restore %d into %s: %d %s %s", i+1, to, code, out, e)
		}
	}
}
