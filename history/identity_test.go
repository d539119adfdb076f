package history

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// qp21 is Android's VCardBuilder quoted-printable: every byte =XX, "=\r\n"
// once a line holds 67 encoded characters (after the last byte too).
func qp21(s string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "=%02X", s[i])
		if n += 3; n >= 67 {
			b.WriteString("=\r\n")
			n = 0
		}
	}
	return b.String()
}

// person is a contact as Android's contacts app exports it: vCard 2.1,
// no UID, non-ASCII names quoted-printable with CHARSET=UTF-8.
type person struct{ given, family, tel, email string }

func (p person) card() string {
	var b strings.Builder
	b.WriteString("BEGIN:VCARD\r\nVERSION:2.1\r\n")
	fn := p.given + " " + p.family
	if strings.ContainsFunc(fn, func(r rune) bool { return r > 0x7e }) {
		b.WriteString("N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp21(p.family) + ";" + qp21(p.given) + ";;;\r\n")
		b.WriteString("FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp21(fn) + "\r\n")
	} else {
		b.WriteString("N:" + p.family + ";" + p.given + ";;;\r\nFN:" + fn + "\r\n")
	}
	b.WriteString("TEL;CELL:" + p.tel + "\r\n")
	if p.email != "" {
		b.WriteString("EMAIL;HOME:" + p.email + "\r\n")
	}
	b.WriteString("END:VCARD\r\n")
	return b.String()
}

// people returns n contacts whose names repeat, as in a real address book
// (20 given names times 30 family names: 2,000 contacts hold 600 names).
func people(n int) []person {
	given := []string{"Anna", "Chloé", "Jürgen", "Mehmet", "Olga", "Priya", "Sven", "Zoë", "Luis", "Mei",
		"Tomasz", "Amara", "Hélène", "Carlos", "Ingrid", "Kofi", "Noor", "Pável", "Ruth", "Yusuf"}
	family := []string{"Becker", "Al-Sayed", "Müller", "Okonkwo", "Nowak", "Dubois", "Rossi", "Kim", "Silva", "Novák",
		"Jensen", "Papadopoulos", "Öztürk", "García", "Smith", "Tanaka", "Ivanova", "Wiśniewski", "Haddad", "Brown",
		"Schmidt", "Moreau", "Kowalski", "Nakamura", "Fischer", "Costa", "Horvat", "Lindqvist", "Mensah", "Walsh"}
	out := make([]person, n)
	for i := range out {
		out[i] = person{given: given[i%len(given)], family: family[(i/len(given))%len(family)],
			tel: fmt.Sprintf("+44 7700 9%05d", i), email: fmt.Sprintf("p%d@example.com", i)}
	}
	return out
}

func writeCards(t *testing.T, path string, ps []person) {
	t.Helper()
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.card())
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// backups backs up src after each step and returns the snapshots.
func backups(t *testing.T, e *testrepo.Env, src string, steps ...func()) []repo.SnapshotInfo {
	t.Helper()
	var out []repo.SnapshotInfo
	for _, step := range steps {
		step()
		res := e.Backup(t, src)
		out = append(out, repo.SnapshotInfo{ID: res.ID, Snapshot: res.Snapshot})
	}
	return out
}

func diffLines(t *testing.T, r *repo.Repository, a, b repo.SnapshotInfo) []string {
	t.Helper()
	cs, err := Diff(context.Background(), r, a.Snapshot, b.Snapshot)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.String())
	}
	return out
}

// TestSameNameTwoPeople: two "Anna Becker" without a UID are two contacts;
// deleting one is one removed contact, and find tells it is gone.
func TestSameNameTwoPeople(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(t.TempDir(), "phone")
	file := filepath.Join(src, "Contacts", "contacts.vcf")
	a1 := person{"Anna", "Becker", "+49 170 1111111", ""}
	a2 := person{"Anna", "Becker", "+49 170 2222222", ""}
	carl := person{"Carl", "Öztürk", "+49 170 3333333", "carl@example.com"}
	snaps := backups(t, e, src,
		func() { writeCards(t, file, []person{a1, a2, carl}) },
		func() { writeCards(t, file, []person{a1, carl}) },
	)
	r := e.Open(t, repo.AccessRead)
	got := diffLines(t, r, snaps[0], snaps[1])
	if want := []string{"- contact Anna Becker"}; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diff = %q, want %q", got, want)
	}
	hits, err := Find(context.Background(), r, snaps, "2222222")
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Present || len(hits[0].Events) != 2 || hits[0].Events[1].Op != "vanished" {
		t.Errorf("find 2222222 = %+v, want one contact that vanished", hits)
	}
	hits, err = Find(context.Background(), r, snaps, "Anna Becker")
	if err != nil {
		t.Fatal(err)
	}
	var present int
	for _, h := range hits {
		if h.Present {
			present++
		}
	}
	if len(hits) != 2 || present != 1 {
		t.Errorf("find Anna Becker = %+v, want two contacts, one present", hits)
	}
}

// TestEditsKeepIdentity: a contact without a UID whose phone, e-mail or
// name (with the rest kept) was edited is one changed contact, also when
// another contact shares its name; find follows it through its edits.
func TestEditsKeepIdentity(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(t.TempDir(), "phone")
	file := filepath.Join(src, "contacts.vcf")
	a1 := person{"Anna", "Becker", "+49 170 1111111", "anna@example.com"}
	a2 := person{"Anna", "Becker", "+49 170 2222222", "anna.b@example.org"}
	zoe := person{"Zoe", "Hartley", "+44 7700 900218", "zoe.hb@example.org"}
	a2tel, zoeName := a2, zoe
	a2tel.tel = "+49 170 2222999"
	zoeName.given = "Zoë"
	snaps := backups(t, e, src,
		func() { writeCards(t, file, []person{a1, a2, zoe}) },
		func() { writeCards(t, file, []person{a1, a2tel, zoeName}) },
	)
	r := e.Open(t, repo.AccessRead)
	got := diffLines(t, r, snaps[0], snaps[1])
	want := []string{"~ contact Anna Becker: TEL changed", "~ contact Zoë Hartley: FN changed, N changed"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diff = %q, want %q", got, want)
	}
	hits, err := Find(context.Background(), r, snaps, "zoe.hb@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || !hits[0].Present || len(hits[0].Events) != 2 || hits[0].Events[1].Op != "changed" {
		t.Errorf("find zoe.hb = %+v, want one contact, changed, present", hits)
	}
}

// TestManyContactsSharingNames: from 400 to 2,000 Android contacts (names
// repeat) is 1,600 added, and deleting 100 of them 100 removed.
func TestManyContactsSharingNames(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(t.TempDir(), "phone")
	file := filepath.Join(src, "Contacts", "contacts.vcf")
	all := people(2000)
	fewer := append(append([]person(nil), all[:1000]...), all[1100:]...)
	renumbered := append([]person(nil), fewer...)
	for i := range renumbered {
		renumbered[i].tel = fmt.Sprintf("+49 151 4%06d", i)
	}
	snaps := backups(t, e, src,
		func() { writeCards(t, file, all[:400]) },
		func() { writeCards(t, file, all) },
		func() { writeCards(t, file, fewer) },
		func() { writeCards(t, file, renumbered) },
	)
	r := e.Open(t, repo.AccessRead)
	count := func(lines []string) map[string]int {
		m := map[string]int{}
		for _, l := range lines {
			m[l[:1]]++
		}
		return m
	}
	if got := count(diffLines(t, r, snaps[0], snaps[1])); got["+"] != 1600 || len(got) != 1 {
		t.Errorf("400 → 2000: %v, want 1600 added", got)
	}
	if got := count(diffLines(t, r, snaps[1], snaps[2])); got["-"] != 100 || len(got) != 1 {
		t.Errorf("2000 → 1900: %v, want 100 removed", got)
	}
	// Every phone number changed: 1,900 contacts changed, each its own
	// (the e-mail address tells the people of one name apart).
	lines := diffLines(t, r, snaps[2], snaps[3])
	if got := count(lines); got["~"] != 1900 || len(got) != 1 {
		t.Errorf("new phone numbers: %v, want 1900 changed", got)
	}
	for _, l := range lines {
		if !strings.HasSuffix(l, ": TEL changed") {
			t.Errorf("new phone numbers: %q, want only TEL changed", l)
			break
		}
	}
	start := time.Now()
	hits, err := Find(context.Background(), r, snaps, "p1500@example.com")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("find over %d snapshots of up to 2,000 contacts: %v", len(snaps), time.Since(start))
	if len(hits) != 1 || !hits[0].Present || len(hits[0].Events) != 2 {
		t.Errorf("find p1500 = %+v, want one contact, added then changed", hits)
	}
}
