package phonedata

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/source/android/calendar"
	"github.com/lifeboat-backup/lifeboat/source/android/contacts"
	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// rows turns a table into what content.Parse gives for its rows: NULL
// absent, a blob "BLOB", numbers in decimal.
func rows(t *fakeadb.Table) []content.Row {
	var out []content.Row
	for _, r := range t.Rows {
		row := content.Row{}
		for i, c := range t.Columns {
			switch v := r[i].(type) {
			case nil:
			case []byte:
				row[c] = "BLOB"
			default:
				row[c] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	return out
}

func maps(rs []content.Row) []map[string]string {
	var out []map[string]string
	for _, r := range rs {
		if r["deleted"] == "" || r["deleted"] == "0" { // as a reader asks: --where deleted=0
			out = append(out, r)
		}
	}
	return out
}

// unescape undoes vCard and iCalendar text escapes, after unfolding.
func unescape(s string) string {
	return strings.NewReplacer(`\,`, ",", `\;`, ";", `\n`, "\n", `\N`, "\n", `\\`, `\`).Replace(s)
}

// props returns the values of one property (any parameters) in a card
// or calendar, unfolded and unescaped.
func props(data []byte, name string) []string {
	var vs []string
	for _, l := range strings.Split(strings.ReplaceAll(string(data), "\r\n ", ""), "\r\n") {
		k, v, ok := strings.Cut(l, ":")
		if g, rest, grouped := strings.Cut(k, "."); grouped && !strings.ContainsAny(g, ";=") {
			k = rest // item1.TEL: a property with an X-ABLabel
		}
		if ok && (k == name || strings.HasPrefix(k, name+";")) {
			vs = append(vs, unescape(v))
		}
	}
	return vs
}

func TestContactsRender(t *testing.T) {
	pr := Provider()
	cards, err := contacts.Render(rows(pr[RawContactsURI]), rows(pr[DataURI]), contacts.GroupTitles(rows(pr[GroupsURI])))
	if err != nil {
		t.Fatal(err)
	}
	want := Expected().Contacts
	if len(cards) != len(want) || len(want) < 12 {
		t.Fatalf("%d cards for %d live contacts (want at least 12)", len(cards), len(want))
	}
	accounts := map[string]bool{}
	for _, w := range want {
		accounts[w.Account] = true
		var card []byte
		for _, c := range cards {
			if slices.Contains(props(c.Data, "FN"), w.Name) {
				card = c.Data
			}
		}
		if card == nil {
			t.Errorf("contact %d %q: no card with its FN", w.RawID, w.Name)
			continue
		}
		if fn := props(card, "FN"); len(fn) != 1 || fn[0] != w.Name {
			t.Errorf("contact %d: FN %q, want %q", w.RawID, fn, w.Name)
		}
		if got := props(card, "TEL"); !slices.Equal(got, w.Phones) {
			t.Errorf("contact %d: TEL %q, want %q", w.RawID, got, w.Phones)
		}
		if got := props(card, "EMAIL"); !slices.Equal(got, w.Emails) {
			t.Errorf("contact %d: EMAIL %q, want %q", w.RawID, got, w.Emails)
		}
		if got := props(card, "BDAY"); w.Birthday != "" && !slices.Equal(got, []string{w.Birthday}) || w.Birthday == "" && got != nil {
			t.Errorf("contact %d: BDAY %q, want %q", w.RawID, got, w.Birthday)
		}
	}
	if len(accounts) < 3 || !accounts[""] {
		t.Errorf("accounts %v: want the local one and two others", accounts)
	}
	all := string(bytes.Join(func() [][]byte {
		var b [][]byte
		for _, c := range cards {
			b = append(b, c.Data)
		}
		return b
	}(), nil))
	for _, prop := range []string{"X-PHONETIC-FIRST-NAME", "NICKNAME", "ORG", "TITLE", "ADR", "URL", "X-JABBER", "IMPP", "X-SIP",
		"X-ANNIVERSARY", "X-ABDATE", "NOTE", "CATEGORIES", "X-STARRED", "X-ABLabel", "X-ANDROID-CUSTOM"} {
		if !strings.Contains(all, "\r\n"+prop) && !strings.Contains(all, "."+prop) {
			t.Errorf("no card has %s", prop)
		}
	}
}

func TestCalendarRender(t *testing.T) {
	pr := Provider()
	files, err := calendar.Render(calendar.Tables{Calendars: maps(rows(pr[CalendarsURI])), Events: maps(rows(pr[EventsURI])),
		Reminders: maps(rows(pr[RemindersURI])), Attendees: maps(rows(pr[AttendeesURI]))})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(pr[CalendarsURI].Rows) || len(files) < 2 {
		t.Fatalf("%d files for %d calendars", len(files), len(pr[CalendarsURI].Rows))
	}
	byCal := map[string][]byte{}
	for _, f := range files {
		byCal[f.CalendarID] = f.Data
	}
	zones := map[string]bool{}
	for _, w := range Expected().Events {
		data := byCal[fmt.Sprint(w.CalendarID)]
		if w.Title != "" && !slices.Contains(props(data, "SUMMARY"), w.Title) && !w.Cancelled {
			t.Errorf("event %d: no SUMMARY %q in calendar %d", w.ID, w.Title, w.CalendarID)
		}
		if w.RRule != "" && !slices.Contains(props(data, "RRULE"), w.RRule) {
			t.Errorf("event %d: no RRULE %q", w.ID, w.RRule)
		}
		if !w.AllDay {
			zones[w.Start.Location().String()] = true
		}
	}
	if len(zones) < 2 {
		t.Errorf("timed events in zones %v: want two at least", zones)
	}
	all := string(bytes.Join([][]byte{byCal["1"], byCal["2"], byCal["3"]}, nil))
	for _, prop := range []string{"RECURRENCE-ID", "EXDATE", "RDATE", "VALARM", "ATTENDEE", "ORGANIZER", "VALUE=DATE", "BEGIN:VTIMEZONE"} {
		if !strings.Contains(all, prop) {
			t.Errorf("no calendar has %s", prop)
		}
	}
}

// TestThroughTheFake reads the rows as a backup does, with `content query`
// through the real adb and content.Parse, and renders them: the cards are
// those of the rows themselves but for raw contact 8, whose note holds
// ", data2=" and is cut there (the format's ambiguity, kept on purpose).
func TestThroughTheFake(t *testing.T) {
	p := fakeadb.Start(t, fakeadb.Options{Content: Provider()})
	query := func(uri string, proj []string) []content.Row {
		cmd, err := content.Query{URI: uri, Projection: proj}.Command()
		if err != nil {
			t.Fatal(err)
		}
		c := p.Command("-s", p.Serial, "shell", cmd)
		var out, errb bytes.Buffer
		c.Stdout, c.Stderr = &out, &errb
		if err := c.Run(); err != nil || errb.Len() > 0 {
			t.Fatalf("%s: %v %s", cmd, err, errb.Bytes())
		}
		rs, err := content.Parse(out.Bytes(), proj)
		if err != nil {
			t.Fatalf("%s: %v", uri, err)
		}
		return rs
	}
	got, err := contacts.Render(query(RawContactsURI, contacts.RawProjection), query(DataURI, contacts.DataProjection),
		contacts.GroupTitles(query(GroupsURI, contacts.GroupProjection)))
	if err != nil {
		t.Fatal(err)
	}
	pr := Provider()
	want, _ := contacts.Render(rows(pr[RawContactsURI]), rows(pr[DataURI]), contacts.GroupTitles(rows(pr[GroupsURI])))
	if len(got) != len(want) {
		t.Fatalf("%d cards through the fake, %d from the rows", len(got), len(want))
	}
	for i := range want {
		same := bytes.Equal(got[i].Data, want[i].Data)
		if ambiguous := want[i].Path == "local/raw-8.vcf"; same == ambiguous {
			t.Errorf("%s: same through the fake %v, want %v", want[i].Path, same, !ambiguous)
		}
	}
}

func TestProviderIsACopy(t *testing.T) {
	a, b := Provider(), Provider()
	a[RawContactsURI].Rows = a[RawContactsURI].Rows[:1]
	a[DataURI].Rows[0][4] = "changed"
	if len(b[RawContactsURI].Rows) < 12 || b[DataURI].Rows[0][4] == "changed" {
		t.Error("two Providers share rows")
	}
}

func TestPhotos(t *testing.T) {
	dir := t.TempDir()
	files, err := Photos(dir, 41, 5000)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 41 {
		t.Fatalf("%d files, want 41", len(files))
	}
	seen := map[string]string{}
	folders := map[string]int{}
	for rel, mt := range files {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		fi, _ := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil || len(b) != 5000 || !fi.ModTime().Equal(mt) || mt.Nanosecond() != 0 {
			t.Fatalf("%s: %v, %d bytes, mtime %v (want %v, whole seconds)", rel, err, len(b), fi.ModTime(), mt)
		}
		if strings.HasSuffix(rel, ".jpg") && !bytes.HasPrefix(b, []byte("\xff\xd8\xff")) {
			t.Errorf("%s does not start as a JPEG", rel)
		}
		if other, ok := seen[string(b)]; ok {
			t.Errorf("%s and %s have the same bytes", rel, other)
		}
		seen[string(b)] = rel
		folders[filepath.ToSlash(filepath.Dir(rel))]++
	}
	for _, f := range PhotoFolders {
		if folders[f] < 10 {
			t.Errorf("%s holds %d files", f, folders[f])
		}
	}
	if _, ok := files["DCIM/Camera/IMG_20240101_120000_000.jpg"]; !ok {
		t.Errorf("no DCIM/Camera/IMG_20240101_120000_000.jpg among %d files", len(files))
	}
}

func TestSparse(t *testing.T) {
	dir := t.TempDir()
	const size = 5<<30 + 7
	if err := Sparse(dir, "Movies/long.mp4", size); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "Movies", "long.mp4"))
	if err != nil || fi.Size() != size || !fi.ModTime().Equal(SparseEpoch) {
		t.Fatalf("%v, size %d, mtime %v", err, fi.Size(), fi.ModTime())
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Blocks*512 > 1<<20 {
		t.Errorf("%d bytes on disk: not sparse", st.Blocks*512)
	}
}
