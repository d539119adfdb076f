package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/internal/fakeadb/phonedata"
)

// usePhone points lifeboat's adb client at the fake phone's adb server.
func usePhone(t *testing.T, p *fakeadb.Phone) {
	t.Helper()
	for _, kv := range p.Env() {
		if k, v, _ := strings.Cut(kv, "="); k == "ANDROID_ADB_SERVER_PORT" {
			t.Setenv(k, v)
		}
	}
}

// dirSize is the bytes of the files under dir.
func dirSize(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
		return nil
	})
	return n
}

func listFiles(t *testing.T, dir string) []string {
	var out []string
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			out = append(out, fmt.Sprintf("%s %d", strings.TrimPrefix(p, dir), fi.Size()))
		}
		return nil
	})
	return out
}

// setCell sets one column of the first row of a table whose column col
// holds old.
func setCell(t *testing.T, tab *fakeadb.Table, col, old, val string) {
	t.Helper()
	i := slices.Index(tab.Columns, col)
	for _, r := range tab.Rows {
		if s, ok := r[i].(string); ok && s == old {
			r[i] = val
			return
		}
	}
	t.Fatalf("no row with %s=%q", col, old)
}

// TestAndroidPhone is issue 14's acceptance scenario against the fake
// phone through the real adb: backup, an unchanged re-run that pulls
// nothing, one contact edited, a photo added and one deleted, a mass
// deletion, restore into a folder, export read by Python's vobject and
// icalendar, and restore onto a reset phone, twice.
func TestAndroidPhone(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	root := filepath.Join(dir, "sdcard")
	photos, err := phonedata.Photos(root, 40, 30<<10)
	if err != nil {
		t.Fatal(err)
	}
	prov := phonedata.Provider()
	p := fakeadb.Start(t, fakeadb.Options{Root: root, Content: prov})
	usePhone(t, p)
	src := "android://" + p.Serial
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	want := phonedata.Expected()

	first := backupJSON(t, 0, "--repo", repoDir, "android://")
	if got := first[src]["contacts"]; got != float64(len(want.Contacts)) {
		t.Errorf("first backup: %v contacts, want %d (%v)", got, len(want.Contacts), first)
	}
	if got := first[src]["media"]; got != float64(len(photos)) {
		t.Errorf("first backup: %v photos, want %d", got, len(photos))
	}

	// Unchanged: no file content pulled, next to nothing added.
	pulled := p.Recvs()
	again := backupJSON(t, 0, "--repo", repoDir, "android://")
	if p.Recvs() != pulled {
		t.Errorf("an unchanged re-run pulled %d bytes", p.Recvs()-pulled)
	}
	if added := again[src]["added_bytes"].(float64); added > 2048 {
		t.Errorf("an unchanged re-run added %v bytes", added)
	}

	// One contact edited: the repository grows by at most 4 KiB, and diff
	// names the contact.
	c := want.Contacts[0]
	setCell(t, prov["content://com.android.contacts/data"], "data1", c.Phones[0], "+49 30 1234567")
	before := dirSize(t, repoDir)
	snapFiles := listFiles(t, repoDir)
	backupJSON(t, 0, "--repo", repoDir, "android://")
	if grew := dirSize(t, repoDir) - before; grew > 4096 {
		for _, f := range listFiles(t, repoDir) {
			if !slices.Contains(snapFiles, f) {
				t.Logf("new: %s", f)
			}
		}
		t.Errorf("one edited contact grew the repository by %d bytes, want at most 4096", grew)
	}
	if names := diffNames(t, repoDir, src); !slices.ContainsFunc(names, func(s string) bool { return strings.Contains(s, c.Name) }) {
		t.Errorf("diff after editing %q names %v", c.Name, names)
	}

	// find looks through the phone's contacts as through a folder's.
	if code, out, e := lbOut(t, "find", "--repo", repoDir, want.Contacts[1].Name); code != 0 || !strings.Contains(out, want.Contacts[1].Name) {
		t.Errorf("find %q: exit %d: %s%s", want.Contacts[1].Name, code, out, e)
	}

	// A photo added and one deleted: diff names both.
	var gone string
	for rel := range photos {
		gone = rel
		break
	}
	if err := os.Remove(filepath.Join(root, gone)); err != nil {
		t.Fatal(err)
	}
	newPhoto := filepath.Join(root, "DCIM", "Camera", "IMG_20991231_000000_001.jpg")
	if err := os.WriteFile(newPhoto, append([]byte("\xff\xd8\xff\xe0new photo"), make([]byte, 5000)...), 0o644); err != nil {
		t.Fatal(err)
	}
	kept := backupJSON(t, 0, "--repo", repoDir, "android://")[src]["snapshot"].(string)
	names := strings.Join(diffNames(t, repoDir, src), "\n")
	if !strings.Contains(names, filepath.Base(gone)) || !strings.Contains(names, "IMG_20991231_000000_001.jpg") {
		t.Errorf("diff after a photo added and one deleted:\n%s", names)
	}

	// Restore into a folder: the phone's files, byte for byte, with mtimes.
	out := filepath.Join(dir, "restored")
	if code, e := lb(t, "restore", "--repo", repoDir, "latest:"+src, "--to", out); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	for rel, mt := range photos {
		if rel == gone {
			continue
		}
		a, _ := os.ReadFile(filepath.Join(root, rel))
		b, err := os.ReadFile(filepath.Join(out, rel))
		fi, _ := os.Stat(filepath.Join(out, rel))
		if err != nil || !bytes.Equal(a, b) || !fi.ModTime().Equal(mt) {
			t.Errorf("restored %s: %d bytes (%v), mtime %v; want %d bytes, %v", rel, len(b), err, fi.ModTime(), len(a), mt)
		}
	}

	// The phone-reset kit, read by independent parsers.
	kit := filepath.Join(dir, "kit")
	if code, e := lb(t, "export", "--repo", repoDir, "latest:"+src, "--to", kit); code != 0 {
		t.Fatalf("export: %d %s", code, e)
	}
	checkKitContacts(t, kit, want, c)
	checkKitEvents(t, kit, want)

	// A mass deletion: most photos gone, the alarm fires (exit 4).
	for rel := range photos {
		os.Remove(filepath.Join(root, rel))
	}
	backupJSON(t, 4, "--repo", repoDir, "--alarm-min", "5", "android://")

	// Restore onto the same phone: its contacts and events are all there,
	// so exactly the photos the mass deletion took go back.
	code, out, e := lbOut(t, "restore", "--repo", repoDir, kept, "--to", src, "--json")
	var back struct{ Contacts, Events, Files map[string]int }
	json.Unmarshal([]byte(lastLine(out)), &back)
	if code != 0 || len(p.Inserts()) != 0 || back.Contacts["present"] != len(want.Contacts) || back.Events["added"] != 0 ||
		back.Files["added"] != len(photos)-1 {
		t.Errorf("restore onto the phone that lost its photos: exit %d, %d inserts, %v: %s", code, len(p.Inserts()), back, e)
	}

	// Restore onto a reset phone: empty providers, empty storage.
	restoreOntoResetPhone(t, repoDir, kept, photos, gone)
}

// py runs a Python script with Debian's python3 on the kit and decodes its
// JSON output.
func py(t *testing.T, module, script string, args []string, v any) {
	t.Helper()
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import "+module).Run(); err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("python3-%s is not installed (LIFEBOAT_REQUIRE_INTEGRATION=1)", module)
		}
		t.Skipf("python3-%s is not installed", module)
	}
	b, err := exec.Command(python, append([]string{"-c", script}, args...)...).Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", module, err, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s output: %v\n%s", module, err, b)
	}
}

const vobjectScript = `import sys, json, vobject
out = []
for c in vobject.readComponents(open(sys.argv[1], encoding='utf-8').read()):
    g = lambda k: [x.value for x in c.contents.get(k, [])]
    out.append({"fn": g("fn")[0] if g("fn") else "", "tel": g("tel"), "email": g("email"), "bday": g("bday")})
print(json.dumps(out))`

// checkKitContacts: every fixture contact is in contacts.vcf with its
// name, phones, emails and birthday (edited is the contact whose first
// phone the test changed).
func checkKitContacts(t *testing.T, kit string, want phonedata.Want, edited phonedata.Contact) {
	var cards []struct {
		FN         string
		Tel, Email []string
		Bday       []string
	}
	py(t, "vobject", vobjectScript, []string{filepath.Join(kit, "contacts.vcf")}, &cards)
	if len(cards) != len(want.Contacts) {
		t.Errorf("vobject read %d cards, want %d", len(cards), len(want.Contacts))
	}
	for _, w := range want.Contacts {
		phones := slices.Clone(w.Phones)
		if w.RawID == edited.RawID {
			phones[0] = "+49 30 1234567"
		}
		i := slices.IndexFunc(cards, func(c struct {
			FN         string
			Tel, Email []string
			Bday       []string
		}) bool {
			return c.FN == w.Name && slices.Equal(c.Tel, phones) && slices.Equal(c.Email, w.Emails)
		})
		if i < 0 {
			t.Errorf("contact %q (phones %q, emails %q) not in contacts.vcf as vobject reads it", w.Name, phones, w.Emails)
			continue
		}
		if w.Birthday != "" && !slices.Contains(cards[i].Bday, w.Birthday) && !slices.Contains(cards[i].Bday, strings.ReplaceAll(w.Birthday, "-", "")) {
			t.Errorf("contact %q: birthday %q, want %q", w.Name, cards[i].Bday, w.Birthday)
		}
	}
}

const icalScript = `import sys, json, icalendar, datetime
out = []
for f in sys.argv[1:]:
    cal = icalendar.Calendar.from_ical(open(f, 'rb').read())
    for ev in cal.walk('VEVENT'):
        st = ev.decoded('DTSTART')
        allday = not isinstance(st, datetime.datetime)
        if allday:
            ts = datetime.datetime(st.year, st.month, st.day, tzinfo=datetime.timezone.utc).timestamp()
        else:
            ts = st.timestamp()
        rr = ev.get('RRULE')
        out.append({"title": str(ev.get('SUMMARY', '')), "start": int(ts), "allday": allday,
                    "rrule": rr.to_ical().decode() if rr else "", "recurrence": 'RECURRENCE-ID' in ev})
print(json.dumps(out))`

// checkKitEvents: every fixture event is in the kit's .ics files with its
// title, start, all-day flag and recurrence.
func checkKitEvents(t *testing.T, kit string, want phonedata.Want) {
	files, _ := filepath.Glob(filepath.Join(kit, "calendars", "*.ics"))
	var got []struct {
		Title      string
		Start      int64
		Allday     bool
		Rrule      string
		Recurrence bool
	}
	py(t, "icalendar", icalScript, files, &got)
	n := 0
	for _, w := range want.Events {
		if w.Cancelled {
			continue
		}
		n++
		ok := slices.ContainsFunc(got, func(g struct {
			Title      string
			Start      int64
			Allday     bool
			Rrule      string
			Recurrence bool
		}) bool {
			return g.Title == w.Title && g.Start == w.Start.Unix() && g.Allday == w.AllDay && g.Recurrence == (w.OriginalID != 0) &&
				sameRule(g.Rrule, w.RRule)
		})
		if !ok {
			t.Errorf("event %q at %v (all day %v, rrule %q) not in the kit as icalendar reads it", w.Title, w.Start, w.AllDay, w.RRule)
		}
	}
	if len(got) != n {
		t.Errorf("icalendar read %d events, want %d", len(got), n)
	}
}

// sameRule compares RRULEs as sets of parts (icalendar reorders them).
func sameRule(a, b string) bool {
	pa, pb := strings.Split(a, ";"), strings.Split(b, ";")
	slices.Sort(pa)
	slices.Sort(pb)
	return slices.Equal(pa, pb) || (a == "" && b == "")
}

// restoreOntoResetPhone puts the snapshot onto a phone with empty
// providers and storage: exactly the missing contacts, events and photos
// go in, with the photos' mtimes and the media scanner told; a second run
// changes nothing.
func restoreOntoResetPhone(t *testing.T, repoDir, snap string, photos map[string]time.Time, gone string) {
	t.Helper()
	empty := fakeadb.Provider{}
	for uri, tab := range phonedata.Provider() {
		empty[uri] = &fakeadb.Table{Columns: tab.Columns}
	}
	root := t.TempDir()
	p := fakeadb.Start(t, fakeadb.Options{Root: root, Content: empty})
	usePhone(t, p)
	want := phonedata.Expected()
	code, out, e := lbOut(t, "restore", "--repo", repoDir, snap, "--to", "android://", "--dry-run", "--json")
	if code != 0 || len(p.Inserts()) != 0 {
		t.Fatalf("dry run: exit %d, %d inserts: %s", code, len(p.Inserts()), e)
	}
	var dry struct{ Contacts, Events, Files map[string]int }
	json.Unmarshal([]byte(lastLine(out)), &dry)
	if dry.Contacts["added"] != len(want.Contacts) {
		t.Errorf("dry run would add %v contacts, want %d", dry.Contacts, len(want.Contacts))
	}
	code, out, e = lbOut(t, "restore", "--repo", repoDir, snap, "--to", "android://", "--json")
	if code != 0 {
		t.Fatalf("restore onto the phone: exit %d: %s", code, e)
	}
	var res struct{ Contacts, Events, Files map[string]int }
	json.Unmarshal([]byte(lastLine(out)), &res)
	if res.Contacts["added"] != len(want.Contacts) || res.Contacts["present"] != 0 {
		t.Errorf("restore added %v contacts, want %d", res.Contacts, len(want.Contacts))
	}
	if res.Events["added"] == 0 || res.Events["present"] != 0 {
		t.Errorf("restore added %v events", res.Events)
	}
	if n := len(empty["content://com.android.contacts/raw_contacts"].Rows); n != len(want.Contacts) {
		t.Errorf("the phone has %d raw contacts after the restore, want %d", n, len(want.Contacts))
	}
	// The mass deletion left none of the photos; the snapshot before it
	// had all but one.
	scanned := p.Scanned()
	for rel, mt := range photos {
		fi, err := os.Stat(filepath.Join(root, rel))
		switch {
		case rel == gone && err == nil:
			t.Errorf("%s was deleted before the snapshot, yet pushed", rel)
		case rel != gone && (err != nil || !fi.ModTime().Equal(mt)):
			t.Errorf("%s on the phone: %v, want mtime %v", rel, err, mt)
		case rel != gone && !slices.ContainsFunc(scanned, func(s string) bool { return strings.HasSuffix(s, filepath.Base(rel)) }):
			t.Errorf("%s pushed but the media scanner was not told (told: %d files)", rel, len(scanned))
		}
	}
	inserts := len(p.Inserts())
	code, out, e = lbOut(t, "restore", "--repo", repoDir, snap, "--to", "android://", "--json")
	if code != 0 || len(p.Inserts()) != inserts {
		t.Fatalf("second restore: exit %d, %d more inserts: %s", code, len(p.Inserts())-inserts, e)
	}
	json.Unmarshal([]byte(lastLine(out)), &res)
	if res.Contacts["added"] != 0 || res.Events["added"] != 0 || res.Files["added"] != 0 {
		t.Errorf("a second restore added %v %v %v, want nothing", res.Contacts, res.Events, res.Files)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// TestAndroidRestoreExportFolder: a phone export folder's contacts.vcf
// (vCard 2.1, quoted-printable, as Android writes it) and calendar go onto
// a reset phone through the providers, its photos do not (they have no
// place under /sdcard), and a second run adds nothing.
func TestAndroidRestoreExportFolder(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	backupJSON(t, 0, "--repo", repoDir, "../testdata/phone")
	empty := fakeadb.Provider{}
	for uri, tab := range phonedata.Provider() {
		empty[uri] = &fakeadb.Table{Columns: tab.Columns}
	}
	root := t.TempDir()
	p := fakeadb.Start(t, fakeadb.Options{Root: root, Content: empty})
	usePhone(t, p)
	var res struct{ Contacts, Events, Files map[string]int }
	code, out, e := lbOut(t, "restore", "--repo", repoDir, "latest", "--to", "android://", "--json")
	json.Unmarshal([]byte(lastLine(out)), &res)
	raws := len(empty["content://com.android.contacts/raw_contacts"].Rows)
	if code != 0 || res.Contacts["added"] == 0 || raws != res.Contacts["added"] || res.Events["added"] == 0 || res.Files["added"] != 0 {
		t.Fatalf("restore of an export folder: exit %d, %v, %d raw contacts on the phone: %s", code, res, raws, e)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("a folder snapshot's files were pushed to the phone: %v", entries)
	}
	inserts := len(p.Inserts())
	code, out, e = lbOut(t, "restore", "--repo", repoDir, "latest", "--to", "android://", "--json")
	json.Unmarshal([]byte(lastLine(out)), &res)
	if code != 0 || len(p.Inserts()) != inserts || res.Contacts["added"] != 0 || res.Events["added"] != 0 {
		t.Errorf("second restore: exit %d, %d more inserts, %v: %s", code, len(p.Inserts())-inserts, res, e)
	}
}
