package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/davtest"
)

// iphoneCard is one contact as the iPhone Contacts app exports it
// (vCard 3.0, PRODID, item grouping, CRLF); eol is its line end.
func iphoneCard(i int, eol string) string {
	lines := []string{"BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.5.1//EN",
		fmt.Sprintf("N:Quinlan%d;Ada;;;", i), fmt.Sprintf("FN:Ada Quinlan%d", i),
		fmt.Sprintf("item1.TEL;type=pref:+44 7700 900%03d", i), "item1.X-ABLabel:_$!<Mobile>!$_",
		fmt.Sprintf("UID:7F3A%04d-1B2C-4D5E-8F90-A1B2C3D4E5F6", i), "END:VCARD"}
	return strings.Join(lines, eol) + eol
}

// androidCard is one contact as Android's VCardBuilder writes it (vCard
// 2.1, no UID, quoted-printable for non-ASCII, an inline photo as
// PHOTO;ENCODING=BASE64;JPEG folded at 75 columns and ended by an empty
// line).
func androidCard(i int, photo []byte) string {
	var b strings.Builder
	b.WriteString("BEGIN:VCARD\r\nVERSION:2.1\r\n")
	fmt.Fprintf(&b, "N:Osei%d;Kwame;;;\r\nFN:Kwame Osei%d\r\n", i, i)
	fmt.Fprintf(&b, "TEL;CELL:+44 7700 900%03d\r\n", i)
	if photo != nil {
		line := "PHOTO;ENCODING=BASE64;JPEG:" + base64.StdEncoding.EncodeToString(photo)
		for first := true; len(line) > 0; first = false {
			n := min(len(line), 75)
			if !first {
				b.WriteString(" ")
				n = min(len(line), 74)
			}
			b.WriteString(line[:n] + "\r\n")
			line = line[n:]
		}
		b.WriteString("\r\n")
	}
	b.WriteString("END:VCARD\r\n")
	return b.String()
}

// testJPEG is a real JPEG picture of size×size pixels.
func testJPEG(t *testing.T, size int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for x := 0; x < size; x++ {
		for y := 0; y < size; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 5), uint8(x ^ y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// phoneRepo writes files (name → content) into a folder, backs it up
// into a new repository and returns the repository and the folder.
func phoneRepo(t *testing.T, files map[string]string) (repoDir, src string) {
	t.Helper()
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir, src = filepath.Join(dir, "repo"), filepath.Join(dir, "phone")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	for name, data := range files {
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	backupJSON(t, 0, "--repo", repoDir, src)
	return repoDir, src
}

func xanTarget(s *davtest.Server, coll string) string {
	return "carddav+http://" + s.User + "@" + strings.TrimPrefix(s.Base, "http://") + coll
}

// TestDAVRestoreRefused: a card Xandikos cannot parse (written in lower
// case: it looks for BEGIN:VCARD) is answered 207 Multi-Status with a 412
// inside and not stored. It is counted as refused, not put, and the
// restore exits 3, again on every rerun.
func TestDAVRestoreRefused(t *testing.T) {
	xan := davtest.Xandikos(t)
	lower := "begin:vcard\r\nversion:3.0\r\nn:Lowe;Lia;;;\r\nfn:Lia Lowe\r\nuid:lower-case-1\r\nend:vcard\r\n"
	repoDir, src := phoneRepo(t, map[string]string{"Contacts/export.vcf": iphoneCard(1, "\r\n") + lower + iphoneCard(2, "\r\n")})
	to := xanTarget(xan, "/user/contacts/refused/")
	for i, want := range []string{": 2 put, 0 replaced, 0 already there, 0 left alone, 1 refused",
		": 0 put, 0 replaced, 2 already there, 0 left alone, 1 refused"} {
		code, out, e := lbOut(t, "restore", "--repo", repoDir, "latest:"+src, "--to", to)
		if code != exitPartial || !strings.Contains(out, want) ||
			!strings.Contains(e, "the server refused lower-case-1.vcf (412 Precondition Failed inside 207 Multi-Status: ") {
			t.Fatalf("restore %d: exit %d, want %d and %q: %s %s", i+1, code, exitPartial, want, out, e)
		}
	}
	if got := davResources(t, xan, "/user/contacts/refused/"); len(got) != 2 || got["lower-case-1.vcf"] != nil {
		t.Errorf("the server holds %d records, want the 2 it took", len(got))
	}
}

// TestDAVRestoreNormalised: iPhone cards with CR CR LF line ends go into
// Xandikos, and Android 2.1 cards with an inline photo into Radicale,
// saying the same (the photo's bytes are the same, a TEL;CELL keeps its
// type); the repository keeps the exported bytes.
func TestDAVRestoreNormalised(t *testing.T) {
	xan, rad := davtest.Xandikos(t), davtest.Radicale(t)
	photo := testJPEG(t, 48)
	ios := iphoneCard(1, "\r\n") + iphoneCard(2, "\r\r\n") + iphoneCard(3, "\r\n") + iphoneCard(4, "\r\r\n") + iphoneCard(5, "\r")
	android := androidCard(1, photo) + androidCard(2, nil) + androidCard(3, photo)
	files := map[string]string{"iPhone/Contacts.vcf": ios, "Android/contacts.vcf": android}
	repoDir, src := phoneRepo(t, files)

	to := xanTarget(xan, "/user/contacts/iphone/")
	for i, want := range []string{": 5 put, 0 replaced, 0 already there, 0 left alone, 0 refused",
		": 0 put, 0 replaced, 5 already there, 0 left alone, 0 refused"} {
		code, out, e := lbOut(t, "restore", "--repo", repoDir, "latest:"+src, "--include", "iPhone/*", "--to", to)
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("restore %d into Xandikos: exit %d, want 0 and %q: %s %s", i+1, code, want, out, e)
		}
	}
	got := davResources(t, xan, "/user/contacts/iphone/")
	for i := 1; i <= 5; i++ {
		name := fmt.Sprintf("7F3A%04d-1B2C-4D5E-8F90-A1B2C3D4E5F6.vcf", i)
		if !bytes.Equal(got[name], []byte(iphoneCard(i, "\r\n"))) {
			t.Errorf("%s on the server: %q, want the card with CRLF line ends", name, got[name])
		}
	}

	to = "carddav+http://" + rad.User + "@" + strings.TrimPrefix(rad.Base, "http://") + "/me/android/"
	code, out, e := lbOut(t, "restore", "--repo", repoDir, "latest:"+src, "--include", "Android/*", "--to", to, "--dav-password-file", rad.PasswordFile)
	if code != 0 || !strings.Contains(out, ": 3 put, 0 replaced, 0 already there, 0 left alone, 0 refused") {
		t.Fatalf("restore into Radicale: exit %d: %s %s", code, out, e)
	}
	photos := 0
	for name, card := range davResources(t, rad, "/me/android/") {
		card = bytes.ReplaceAll(card, []byte("\r\n "), nil)
		if !bytes.Contains(bytes.ToUpper(card), []byte("\r\nTEL;TYPE=CELL:")) {
			t.Errorf("%s: the mobile number lost its type on the server: %q", name, card)
		}
		_, after, ok := bytes.Cut(card, []byte("PHOTO;"))
		if !ok {
			continue
		}
		_, value, _ := bytes.Cut(after, []byte(":"))
		value, _, _ = bytes.Cut(value, []byte("\r\n"))
		if b, err := base64.StdEncoding.DecodeString(string(value)); err != nil || !bytes.Equal(b, photo) {
			t.Errorf("%s: the photo on the server is not the exported one: %v", name, err)
		}
		photos++
	}
	if photos != 2 {
		t.Errorf("%d cards with a photo on the server, want 2", photos)
	}

	back := filepath.Join(t.TempDir(), "back")
	if code, e := lb(t, "restore", "--repo", repoDir, "latest:"+src, "--to", back); code != 0 {
		t.Fatalf("restore into a folder: %d %s", code, e)
	}
	for name, data := range files {
		if b, err := os.ReadFile(filepath.Join(back, name)); err != nil || !bytes.Equal(b, []byte(data)) {
			t.Errorf("%s: the snapshot does not hold the exported bytes: %v", name, err)
		}
	}
}

// TestDAVRestoreDisplayName: a collection created by a restore gets the
// display name it had when backed up ("Kontakte"), or --name.
func TestDAVRestoreDisplayName(t *testing.T) {
	rad, xan := davtest.Radicale(t), davtest.Xandikos(t)
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	resp, body, err := rad.Do("MKCOL", "/me/kontakte/", []byte(`<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype><d:displayname>Kontakte &amp; Freunde</d:displayname></d:prop></d:set></d:mkcol>`),
		map[string]string{"Content-Type": "application/xml"})
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("MKCOL: %v %v %s", err, resp, body)
	}
	if ok, err := rad.Put("/me/kontakte/card-1.vcf", mustRead(t, "../source/dav/testdata/card-1.vcf")); !ok || err != nil {
		t.Fatalf("PUT: %v %v", ok, err)
	}
	card := rad.Source("carddav")
	backupJSON(t, 0, "--repo", repoDir, "--dav-password-file", rad.PasswordFile, card)

	if code, e := lb(t, "restore", "--repo", repoDir, "latest:"+card, "--to", filepath.Join(dir, "x"), "--name", "Family"); code != exitUsage || !strings.Contains(e, "--name works only with") {
		t.Errorf("--name into a folder: %d %s", code, e)
	}
	for _, tc := range []struct{ coll, name string }{
		{"/user/contacts/kept/", ""},
		{"/user/contacts/named/", "Family"},
	} {
		args := []string{"restore", "--repo", repoDir, "latest:" + card, "--to", xanTarget(xan, tc.coll)}
		want := "Kontakte &amp; Freunde"
		if tc.name != "" {
			args, want = append(args, "--name", tc.name), tc.name
		}
		if code, out, e := lbOut(t, args...); code != 0 || !strings.Contains(out, "1 put") ||
			!strings.Contains(out, strings.ReplaceAll(fmt.Sprintf("named %q", want), "&amp;", "&")) {
			t.Fatalf("restore into %s: %d %s %s", tc.coll, code, out, e)
		}
		_, body, err := xan.Do("PROPFIND", tc.coll, []byte(`<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:displayname/></d:prop></d:propfind>`),
			map[string]string{"Depth": "0", "Content-Type": "application/xml"})
		if err != nil || !bytes.Contains(body, []byte(">"+want+"</")) {
			t.Errorf("%s: display name not %q: %v %s", tc.coll, want, err, body)
		}
	}
}

// TestDAVRestoreEarlierForm: records that an earlier lifeboat put as
// they were (an Android photo card Xandikos took with its 2.1 base64 and
// CR CR LF line ends) are already there for a restore that now rewrites
// them, not "differs on the server".
func TestDAVRestoreEarlierForm(t *testing.T) {
	xan := davtest.Xandikos(t)
	photo := testJPEG(t, 32)
	cards := []string{androidCard(1, photo), strings.ReplaceAll(androidCard(2, photo), "\r\n", "\r\r\n")}
	repoDir, src := phoneRepo(t, map[string]string{"contacts.vcf": strings.Join(cards, "")})
	// The earlier version put the first card with its UID added and
	// nothing else changed; Xandikos refused the second (CR CR LF).
	sum := sha256.Sum256([]byte(cards[0]))
	uid := "lifeboat-" + hex.EncodeToString(sum[:8])
	old := strings.Replace(cards[0], "END:VCARD", "UID:"+uid+"\r\nEND:VCARD", 1)
	if ok, err := xan.Put("/user/contacts/addressbook/"+uid+".vcf", []byte(old)); !ok || err != nil {
		t.Fatalf("PUT the earlier form: %v %v", ok, err)
	}
	to := xanTarget(xan, "/user/contacts/addressbook/")
	if code, out, e := lbOut(t, "restore", "--repo", repoDir, "latest:"+src, "--to", to); code != 0 || !strings.Contains(out, ": 1 put, 0 replaced, 1 already there, 0 left alone") {
		t.Fatalf("restore over the earlier form: %d %s %s", code, out, e)
	}
}
