package addressbook

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
	"github.com/lifeboat-backup/lifeboat/source/iphone/mobilebackup"
)

// unavailable skips, or fails under LIFEBOAT_REQUIRE_INTEGRATION=1.
func unavailable(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
		t.Fatalf("%s unavailable with LIFEBOAT_REQUIRE_INTEGRATION=1", what)
	}
	t.Skipf("%s unavailable; skipping", what)
}

// vobjectScript prints, for each card of the file, its name parts, FN,
// phones, emails and birthday as vobject reads them.
const vobjectScript = `
import sys, json, vobject
out = []
for c in vobject.readComponents(open(sys.argv[1], encoding='utf-8').read()):
    n = c.n.value
    d = {'n': [n.family, n.given, n.additional, n.prefix, n.suffix], 'fn': c.fn.value,
         'tel': [t.value for t in c.contents.get('tel', [])],
         'email': [e.value for e in c.contents.get('email', [])],
         'bday': c.bday.value if 'bday' in c.contents else '',
         'note': c.note.value if 'note' in c.contents else ''}
    out.append(d)
json.dump(out, sys.stdout)
`

type vobjectCard struct {
	N     []any    `json:"n"`
	FN    string   `json:"fn"`
	Tel   []string `json:"tel"`
	Email []string `json:"email"`
	Bday  string   `json:"bday"`
	Note  string   `json:"note"`
}

// TestVobjectReadsCards: Python's vobject (Debian python3-vobject), a
// parser independent of ours, reads every card of the 300 generated
// contacts with the generator's name, phones, emails, birthday and note.
func TestVobjectReadsCards(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import vobject").Run(); err != nil {
		unavailable(t, "python3-vobject")
	}
	contacts := iosgen.GeneratedContacts(300)
	cards, _ := render(t, contacts, nil)
	file := filepath.Join(t.TempDir(), "contacts.vcf")
	if err := os.WriteFile(file, bytes.Join(cardData(cards), nil), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", vobjectScript, file).Output()
	if err != nil {
		t.Fatalf("vobject: %v", err)
	}
	var got []vobjectCard
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(contacts) {
		t.Fatalf("vobject read %d cards, want %d", len(got), len(contacts))
	}
	for i, c := range contacts {
		g := got[i]
		wantN := []string{c.Last, c.First, c.Middle, c.Prefix, c.Suffix}
		for j, w := range wantN {
			if s, _ := g.N[j].(string); s != w {
				t.Errorf("card %d: N part %d %v, want %q", i, j, g.N[j], w)
			}
		}
		var tels, emails []string
		for _, p := range c.Phones {
			tels = append(tels, p.Value)
		}
		for _, e := range c.Emails {
			emails = append(emails, e.Value)
		}
		if !slices.Equal(g.Tel, tels) || !slices.Equal(g.Email, emails) {
			t.Errorf("card %d: phones %q emails %q, want %q %q", i, g.Tel, g.Email, tels, emails)
		}
		if g.Bday != wantBirthday(c.Birthday) {
			t.Errorf("card %d: birthday %q, want %q", i, g.Bday, wantBirthday(c.Birthday))
		}
		if want := normalizeNewlines(c.Note); g.Note != want {
			t.Errorf("card %d: note %q, want %q", i, g.Note, want)
		}
		if g.FN == "" {
			t.Errorf("card %d: no FN", i)
		}
	}
}

// normalizeNewlines is s with CRLF written LF, as a card's NOTE holds it.
func normalizeNewlines(s string) string {
	return string(bytes.ReplaceAll([]byte(s), []byte("\r\n"), []byte("\n")))
}

// TestEncryptedBackup: the address book of an encrypted generated backup,
// found and streamed by mobilebackup, renders as the generator's
// contacts.
func TestEncryptedBackup(t *testing.T) {
	contacts := iosgen.GeneratedContacts(300)
	files, err := iosgen.AddressBookFiles(contacts)
	if err != nil {
		t.Fatal(err)
	}
	password := []byte("open sesame")
	gen, err := iosgen.Write(t.TempDir(), iosgen.Options{Password: password, Files: append(iosgen.DefaultFiles(), files...)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := mobilebackup.Open(gen.Dir, func() ([]byte, error) { return append([]byte(nil), password...), nil })
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	read := func(rel string) *DB {
		f, err := b.Find("HomeDomain", rel)
		if err != nil {
			t.Fatal(err)
		}
		r, err := b.Open(f.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(mustRead(t, filepath.Join(gen.Dir, f.ID[:2], f.ID)), []byte("SQLite format 3")) {
			t.Fatalf("%s is not encrypted on disk", rel)
		}
		return open(t, data)
	}
	cards, rep, err := Render(read(iosgen.AddressBookPath).DB, read(iosgen.AddressBookImagesPath).DB)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := render(t, contacts, nil)
	if len(cards) != 300 || rep != (Report{}) {
		t.Fatalf("%d cards, %+v; want 300", len(cards), rep)
	}
	for i := range cards {
		if cards[i].Name != want[i].Name || !bytes.Equal(cards[i].Data, want[i].Data) {
			t.Fatalf("card %d read through the backup differs from the generator's address book", i)
		}
	}
	if !bytes.Contains(cards[0].Data, []byte("PHOTO;ENCODING=b;TYPE=JPEG:")) {
		t.Error("the first contact's picture did not come through the backup")
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
