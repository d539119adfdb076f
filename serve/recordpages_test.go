package serve_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"html"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/serve"
)

// joseCard is José Álvarez, with a picture; tel changes between the
// snapshots.
func joseCard(t *testing.T, tel string) string {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)))
	return "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:jose-1\r\nFN:José Álvarez\r\nN:Álvarez;José;;;\r\n" +
		"ORG:Fábrica Ñandú\r\nTEL;TYPE=CELL:" + tel + "\r\nEMAIL;TYPE=INTERNET,HOME:jose@example.org\r\n" +
		"PHOTO;ENCODING=b;TYPE=PNG:" + base64.StdEncoding.EncodeToString(b.Bytes()) + "\r\nEND:VCARD\r\n"
}

const otherCards = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ann-1\r\nFN:Ann Smith\r\nTEL:+44 7700 900461\r\nEND:VCARD\r\n" +
	"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:evil-1\r\nFN:<img src=x onerror=alert(9)>Mallory\r\nNOTE:</td><script>alert(8)</script>\r\nEND:VCARD\r\n"

// weekly is a series on Tuesdays at 09:30 Paris time, six times from 3
// March 2026, but not on 17 March; standup is a plain event; the to-dos
// are one open, one done.
func calendarFile(location string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" +
		"BEGIN:VEVENT\r\nUID:weekly-1\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Choir practice\r\nLOCATION:" + location + "\r\n" +
		"DTSTART;TZID=Europe/Paris:20260303T093000\r\nDTEND;TZID=Europe/Paris:20260303T103000\r\n" +
		"RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6\r\nEXDATE;TZID=Europe/Paris:20260317T093000\r\nEND:VEVENT\r\n" +
		"BEGIN:VEVENT\r\nUID:trip-1\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Trip <b>north</b>\r\n" +
		"DTSTART;VALUE=DATE:20260312\r\nDTEND;VALUE=DATE:20260313\r\nEND:VEVENT\r\n" +
		"BEGIN:VTODO\r\nUID:todo-1\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Renew passport\r\nDUE;VALUE=DATE:20260320\r\nEND:VTODO\r\n" +
		"BEGIN:VTODO\r\nUID:todo-2\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Book hotel\r\nSTATUS:COMPLETED\r\nCOMPLETED:20260215T120000Z\r\nEND:VTODO\r\n" +
		"END:VCALENDAR\r\n"
}

// recordFixture is two snapshots: the second changes José's phone and
// the series' location.
type recordFixture struct {
	r    *repo.Repository
	ids  [2]format.ID
	src  string
	serv *serve.Server
}

func newRecordFixture(t *testing.T) *recordFixture {
	t.Helper()
	src := filepath.Join(t.TempDir(), "phone")
	write := func(rel, data string) {
		p := filepath.Join(src, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Contacts/all.vcf", joseCard(t, "+34 600 111 222")+otherCards)
	write("Calendar/Family.ics", calendarFile("Church hall"))
	e := testrepo.New(t)
	e.Backup(t, src)
	write("Contacts/all.vcf", joseCard(t, "+34 600 999 000")+otherCards)
	write("Calendar/Family.ics", calendarFile("St Mary's"))
	e.Backup(t, src)
	f := &recordFixture{r: e.Open(t, repo.AccessRead), src: src}
	all, _, err := f.r.Snapshots(context.Background())
	if err != nil || len(all) != 2 {
		t.Fatalf("snapshots: %d, %v", len(all), err)
	}
	f.ids = [2]format.ID{all[0].ID, all[1].ID}
	if f.serv, err = serve.New(f.r, addr, serve.Options{Token: "secret-token"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *recordFixture) page(t *testing.T, path string, code int) string {
	t.Helper()
	w := get(f.serv.Handler(), "/s/"+f.ids[1].String()+"/"+path, nil)
	if w.Code != code {
		t.Fatalf("%s: %d, want %d\n%s", path, w.Code, code, w.Body.String())
	}
	return w.Body.String()
}

var contactLink = regexp.MustCompile(`href="/s/[0-9a-f]+/contacts/([a-z0-9-]+)"><span class="avatar"[^>]*>[^<]*</span>José Álvarez`)

// TestContactsPage: the list holds every card with the count; "jose",
// "JOSÉ" and "alvarez fabrica" find José alone, accents and case aside;
// a hostile name is text, not markup.
func TestContactsPage(t *testing.T) {
	f := newRecordFixture(t)
	body := f.page(t, "contacts/", 200)
	if !strings.Contains(body, "3 contacts") || !contactLink.MatchString(body) || !strings.Contains(html.UnescapeString(body), "+44 7700 900461") {
		t.Errorf("contact list lacks the count, José's link or Ann's phone:\n%s", body)
	}
	if strings.Contains(body, "<img src=x") || !strings.Contains(body, "&lt;img src=x onerror=alert(9)&gt;Mallory") {
		t.Errorf("hostile name not escaped")
	}
	for _, q := range []string{"jose", "JOS%C3%89", "alvarez+fabrica", "600+999"} {
		body := f.page(t, "contacts/?q="+q, 200)
		if !contactLink.MatchString(body) || strings.Contains(body, "Ann Smith") || !strings.Contains(body, "1 of 3 contacts match") {
			t.Errorf("?q=%s does not find José alone:\n%s", q, body)
		}
	}
	if body := f.page(t, "contacts/?q=nobody", 200); !strings.Contains(body, "No contact matches") {
		t.Errorf("?q=nobody: no empty result")
	}
}

// TestContactCard: José's card shows every field with its type, his
// picture as a data: URI, a .vcf of his card's bytes as stored, and the
// history: appeared in the first snapshot, TEL changed old → new in the
// second.
func TestContactCard(t *testing.T) {
	f := newRecordFixture(t)
	id := contactLink.FindStringSubmatch(f.page(t, "contacts/", 200))[1]
	body := f.page(t, "contacts/"+id, 200)
	for _, want := range []string{"Fábrica Ñandú", "jose@example.org", `<span class="label">home</span>`, `<span class="label">cell</span>`,
		`src="data:image/png;base64,`, `href="/s/` + f.ids[1].String() + `/contacts/` + id + `.vcf"`,
		"<del>+34 600 111 222 [TYPE=CELL]</del>", "<ins>+34 600 999 000 [TYPE=CELL]</ins>", ">appeared<", ">changed<",
		`href="/s/` + f.ids[0].String() + `/contacts/` + id + `"`} {
		if !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("card lacks %s", want)
		}
	}
	w := get(f.serv.Handler(), "/s/"+f.ids[1].String()+"/contacts/"+id+".vcf", nil)
	file, _ := os.ReadFile(filepath.Join(f.src, "Contacts", "all.vcf"))
	card := joseCard(t, "+34 600 999 000")
	if w.Code != 200 || w.Body.String() != card || !bytes.HasPrefix(file, []byte(card)) ||
		!strings.HasPrefix(w.Header().Get("Content-Type"), "text/vcard") || !strings.Contains(w.Header().Get("Content-Disposition"), "attachment") {
		t.Errorf(".vcf: %d %q %q\n%q", w.Code, w.Header().Get("Content-Type"), w.Header().Get("Content-Disposition"), w.Body.String())
	}
	evil := regexp.MustCompile(`contacts/([a-z0-9-]+)"><span class="avatar"[^>]*>[^<]*</span>&lt;img`).FindStringSubmatch(f.page(t, "contacts/", 200))
	if body := f.page(t, "contacts/"+evil[1], 200); strings.Contains(body, "<script>alert(8)") || strings.Contains(body, "<img src=x") {
		t.Errorf("hostile card shown as markup")
	}
	f.page(t, "contacts/nosuchcontact", 404)
	f.page(t, "contacts/nosuchcontact.vcf", 404)
}

// TestCalendarPage: with no month asked, the page is April 2026 (the
// snapshot is of today: April is the nearest month with events); March
// lists the series on each Tuesday its rule
// gives in March but 17 March, at 09:30 – 10:30 as it is written (Paris
// time, whatever the server's zone), the all-day trip first on its day;
// the to-dos are listed, open first; months link to their neighbours.
func TestCalendarPage(t *testing.T) {
	f := newRecordFixture(t)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	var want []string
	for d, n := time.Date(2026, 3, 3, 9, 30, 0, 0, paris), 0; n < 6; d, n = d.AddDate(0, 0, 7), n+1 {
		if d.Month() == time.March && d.Day() != 17 {
			want = append(want, d.Format("2006-01-02"))
		}
	}
	if body := f.page(t, "calendar/", 200); time.Now().Before(time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC)) && !strings.Contains(body, "<h1>April 2026</h1>") {
		t.Errorf("the default month is not April 2026, the nearest to the snapshot with events")
	}
	for _, body := range []string{f.page(t, "calendar/?month=2026-03", 200)} {
		if !strings.Contains(body, "<h1>March 2026</h1>") || !strings.Contains(body, "?month=2026-02") || !strings.Contains(body, "?month=2026-04") {
			t.Fatalf("not March 2026 with its neighbours:\n%s", body)
		}
		if n := strings.Count(body, ">Choir practice<"); n != len(want) || len(want) != 4 {
			t.Errorf("%d instances of the series, the rule gives %d in March", n, len(want))
		}
		for _, d := range append(want, "2026-03-12") {
			if !strings.Contains(body, `id="d`+d+`"`) {
				t.Errorf("no day %s", d)
			}
		}
		if strings.Contains(body, `id="d2026-03-17"`) {
			t.Errorf("the EXDATE 17 March is shown")
		}
		if n := strings.Count(body, "09:30 – 10:30"); n != 4 {
			t.Errorf("%d instances at 09:30 – 10:30 (Paris), want 4", n)
		}
		if !strings.Contains(body, "Trip &lt;b&gt;north&lt;/b&gt;") || strings.Index(body, "Renew passport") > strings.Index(body, "Book hotel") {
			t.Errorf("trip not escaped, or the open to-do not first")
		}
	}
	if april := f.page(t, "calendar/?month=2026-04", 200); strings.Count(april, ">Choir practice<") != 1 {
		t.Errorf("April: the sixth instance (7 April) missing")
	}
	f.page(t, "calendar/?month=2026-13", 404)
}

// TestEventPage: the series' page has its rule in words and as written,
// every field, an .ics with the series alone, and its history (the
// location changed between the snapshots).
func TestEventPage(t *testing.T) {
	f := newRecordFixture(t)
	m := regexp.MustCompile(`href="(/s/[0-9a-f]+/calendar/event/[a-z0-9-]+)">Choir practice<`).FindStringSubmatch(f.page(t, "calendar/?month=2026-03", 200))
	if m == nil {
		t.Fatal("no link to the series")
	}
	rel := strings.TrimPrefix(m[1], "/s/"+f.ids[1].String()+"/")
	body := f.page(t, rel, 200)
	for _, want := range []string{"Every week on Tuesday, 6 times", "FREQ=WEEKLY;BYDAY=TU;COUNT=6", "Tuesday 3 March 2026, 09:30 – 10:30 Europe/Paris (CET)",
		"<del>Church hall</del>", "<ins>St Mary&#39;s</ins>", "Download .ics", "Tue 17 Mar 2026 09:30", "20260317T093000 TZID=Europe/Paris"} {
		if !strings.Contains(body, want) {
			t.Errorf("event page lacks %s", want)
		}
	}
	ics := f.page(t, rel+".ics", 200)
	if !strings.Contains(ics, "UID:weekly-1") || strings.Contains(ics, "trip-1") || !strings.HasPrefix(ics, "BEGIN:VCALENDAR") {
		t.Errorf(".ics:\n%s", ics)
	}
	f.page(t, "calendar/event/nosuch", 404)
}
