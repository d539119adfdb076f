package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lifeboat-backup/lifeboat/internal/browser"
)

// people are the contacts of the records test, as a phone's address book
// holds them: accents, nicknames, pictures, several numbers.
var people = []struct{ uid, fn, n, org, tel, email, extra string }{
	{"c-01", "José Álvarez", "Álvarez;José;;;", "Fábrica Ñandú", "+34 600 111 222", "jose.alvarez@example.es", ""},
	{"c-02", "Amélie Dubois", "Dubois;Amélie;;;", "", "+33 6 12 34 56 78", "amelie@example.fr", "BDAY:1990-03-14\r\n"},
	{"c-03", "Zoë Müller", "Müller;Zoë;;;", "Müller & Söhne", "+49 151 2345 6789", "zoe@mueller.example", ""},
	{"c-04", "Priya Raman", "Raman;Priya;;Dr.;", "Northwind Clinic", "+44 20 7946 0321", "priya.raman@northwind.example", ""},
	{"c-05", "Margaret Ellis", "Ellis;Margaret;;;", "", "+44 7700 900461", "", "NICKNAME:Mum\r\n"},
	{"c-06", "Björn Lindqvist", "Lindqvist;Björn;;;", "Fjord Sailing", "+46 70 123 45 67", "bjorn@fjord.example", ""},
	{"c-07", "Chidi Okafor", "Okafor;Chidi;;;", "", "+234 802 555 0199", "chidi.okafor@example.ng", ""},
	{"c-08", "Lucía Fernández", "Fernández;Lucía;;;", "Hospital del Mar", "+34 655 43 21 09", "lucia@example.es", ""},
	{"c-09", "Kenji Watanabe", "Watanabe;Kenji;;;", "", "+81 90 1234 5678", "kenji.w@example.jp", ""},
	{"c-10", "Hannah O'Brien", "O'Brien;Hannah;;;", "Greenfield School", "+353 87 765 4321", "hannah.obrien@example.ie", ""},
}

// addressBook is the vCard file of people, José's number as tel.
func addressBook(t *testing.T, tel string) []byte {
	var pic bytes.Buffer
	if err := png.Encode(&pic, scene(120, 120, 25, 2)); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i, p := range people {
		fmt.Fprintf(&b, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:%s\r\nFN:%s\r\nN:%s\r\n", p.uid, p.fn, p.n)
		if p.org != "" {
			fmt.Fprintf(&b, "ORG:%s\r\n", p.org)
		}
		phone := p.tel
		if i == 0 {
			phone = tel
			b.WriteString("PHOTO;ENCODING=b;TYPE=PNG:" + base64.StdEncoding.EncodeToString(pic.Bytes()) + "\r\n")
			b.WriteString("ADR;TYPE=HOME:;;Calle Mayor 12;Madrid;;28013;Spain\r\n")
		}
		fmt.Fprintf(&b, "TEL;TYPE=CELL:%s\r\n", phone)
		if p.email != "" {
			fmt.Fprintf(&b, "EMAIL;TYPE=INTERNET,HOME:%s\r\n", p.email)
		}
		b.WriteString(p.extra + "END:VCARD\r\n")
	}
	return []byte(b.String())
}

// homeCalendar holds choir practice on Tuesdays at 19:30 in Madrid from 3
// March 2026 to the end of June, but not on 17 March, and a few events
// and to-dos around it.
const homeCalendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" +
	"BEGIN:VEVENT\r\nUID:e-choir\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Choir practice\r\nLOCATION:Parroquia San Ginés\r\n" +
	"DTSTART;TZID=Europe/Madrid:20260303T193000\r\nDTEND;TZID=Europe/Madrid:20260303T210000\r\n" +
	"RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20260630T220000Z\r\nEXDATE;TZID=Europe/Madrid:20260317T193000\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:e-dentist\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Dentist\r\nLOCATION:Clínica Dental Sol\r\n" +
	"DTSTART;TZID=Europe/Madrid:20260309T100000\r\nDTEND;TZID=Europe/Madrid:20260309T104500\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:e-amelie\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Amélie's birthday\r\n" +
	"DTSTART;VALUE=DATE:20260314\r\nDTEND;VALUE=DATE:20260315\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:e-porto\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Weekend in Porto\r\n" +
	"DTSTART;VALUE=DATE:20260320\r\nDTEND;VALUE=DATE:20260323\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:e-call\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Call with Priya\r\n" +
	"DTSTART;TZID=Europe/London:20260320T090000\r\nDTEND;TZID=Europe/London:20260320T093000\r\nEND:VEVENT\r\n" +
	"BEGIN:VTODO\r\nUID:t-passport\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Renew passport\r\nDUE;VALUE=DATE:20260331\r\nEND:VTODO\r\n" +
	"BEGIN:VTODO\r\nUID:t-laptop\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Back up the laptop\r\nSTATUS:COMPLETED\r\nCOMPLETED:20260302T181500Z\r\nEND:VTODO\r\n" +
	"END:VCALENDAR\r\n"

// TestServeRecordsInBrowser is issue 16's acceptance test: on a
// repository of two snapshots of one phone folder (an address book with
// accents whose José changes his number between them, a calendar with a
// weekly series and an EXDATE, photos with Exif dates), lifeboat serve in
// headless Chromium shows the counts of 'snapshots --json'; "jose" and
// "José" find José; his card's history shows the number before and
// after; March 2026 shows every Tuesday the rule gives but 17 March; the
// photos' thumbnails load; a card's .vcf is the bytes export and restore
// give, and a folder's zip those restore writes.
func TestServeRecordsInBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(browser.New(t), 3*time.Minute) // a step that waits for what never comes fails
	defer cancel()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	t.Setenv("LIFEBOAT_TEST_SCRYPT_WORK_FACTOR", "10")
	t.Setenv("LIFEBOAT_REPO", filepath.Join(dir, "repo"))
	src := filepath.Join(dir, "phone")
	write := func(rel string, b []byte) {
		p := filepath.Join(src, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Contacts/contacts.vcf", addressBook(t, "+34 600 111 222"))
	write("Calendar/Home.ics", []byte(homeCalendar))
	for i := range 8 {
		at := time.Date(2026, 3, 1+3*i, 10+i, 15, 0, 0, time.UTC)
		write("DCIM/Camera/"+at.Format("IMG_20060102_150405.jpg"), withTaken(t, scene(640, 480, float64(i*45), i), at.Format("2006:01:02 15:04:05")))
	}
	lbRun(t, "init")
	lbRun(t, "backup", src)
	write("Contacts/contacts.vcf", addressBook(t, "+34 611 987 654"))
	lbRun(t, "backup", src)

	type snapJSON struct {
		ID                                    string
		Contacts, Events, Todos, Media, Files int
	}
	var snaps []snapJSON
	for _, line := range strings.Split(strings.TrimSpace(lbRun(t, "snapshots", "--json")), "\n") {
		var s snapJSON
		if json.Unmarshal([]byte(line), &s) == nil && s.ID != "" {
			snaps = append(snaps, s)
		}
	}
	if len(snaps) != 2 {
		t.Fatalf("snapshots --json: %d snapshots", len(snaps))
	}
	newest := snaps[1]
	home := "/s/" + newest.ID + "/"

	url, stop := startServe(t)
	base := url[:strings.Index(url, "/?token=")]
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1200, 900), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(".source"))); err != nil {
		t.Fatalf("overview: %v", err)
	}
	for sel, want := range map[string]int{".n-contacts": newest.Contacts, ".n-events": newest.Events,
		".n-todos": newest.Todos, ".n-photos": newest.Media, ".n-files": newest.Files} {
		got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(got) != fmt.Sprint(want) || want == 0 {
			t.Errorf("overview %s = %q, snapshots --json says %d", sel, got, want)
		}
	}
	if newest.Contacts != len(people) {
		t.Errorf("snapshots --json: %d contacts, the address book holds %d", newest.Contacts, len(people))
	}

	// Contacts: the whole list, then a search with and without accents
	// (the form's GET, as without JavaScript), and the instant filter.
	rowNames := func() []string {
		names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll("#contact-table tbody tr")).filter(r => !r.hidden).map(r => r.cells[0].innerText.trim())`))
		if err != nil {
			t.Fatal(err)
		}
		return names
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+home+"files/"), chromedp.WaitVisible(chromedp.CSS("table.files")),
		chromedp.Click(chromedp.CSS(`nav.tabs a[href$="/contacts/"]`)), chromedp.WaitVisible(chromedp.CSS("#contact-table"))); err != nil {
		t.Fatalf("contacts: %v", err)
	}
	if n := len(rowNames()); n != len(people) {
		t.Errorf("the contacts page lists %d, want %d", n, len(people))
	}
	browser.Screenshot(t, ctx, "serve-contacts")
	for _, q := range []string{"jose", "José", "ÁLVAREZ"} {
		err := chromedp.Do(ctx, chromedp.Navigate(base+home+"contacts/"), chromedp.WaitVisible(chromedp.CSS("#contact-q")),
			chromedp.SendKeys(chromedp.CSS("#contact-q"), q))
		if err != nil {
			t.Fatal(err)
		}
		if names := rowNames(); len(names) != 1 || !strings.HasSuffix(names[0], "José Álvarez") {
			t.Errorf("typing %q filters the list to %q, want José Álvarez", q, names)
		}
		if err := chromedp.Do(ctx, chromedp.Submit(chromedp.CSS("#contact-q")), chromedp.WaitVisible(chromedp.CSS("form.search a.button")) /* Clear: on a result page only */); err != nil {
			t.Fatal(err)
		}
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		if names := rowNames(); !strings.Contains(loc, "?q=") || len(names) != 1 || !strings.HasSuffix(names[0], "José Álvarez") {
			t.Errorf("searching %q (%s) finds %q, want José Álvarez", q, loc, names)
		}
	}
	browser.Screenshot(t, ctx, "serve-contacts-search")

	// José's card and its history: the number before and after the edit.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#contact-table tbody tr a")), chromedp.WaitVisible(chromedp.CSS(".history"))); err != nil {
		t.Fatalf("José's card: %v", err)
	}
	hist, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".history")))
	for _, want := range []string{"appeared", "changed", "Phone", "+34 600 111 222", "+34 611 987 654"} {
		if !strings.Contains(hist, want) {
			t.Errorf("José's history lacks %q:\n%s", want, hist)
		}
	}
	pic, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`(i => i && i.complete ? i.naturalWidth : 0)(document.querySelector("img.portrait"))`))
	if pic != 120 {
		t.Errorf("José's picture: %d px wide, want 120", pic)
	}
	browser.Screenshot(t, ctx, "serve-contact")

	// His .vcf, fetched by the page, against export and restore.
	vcf := fetchBytes(t, ctx, `document.querySelector('a[href$=".vcf"]').getAttribute("href")`)
	kit := filepath.Join(dir, "kit")
	lbRun(t, "export", "--only", "contacts", "--to", kit, newest.ID)
	exported, err := os.ReadFile(filepath.Join(kit, "contacts.vcf"))
	if err != nil {
		t.Fatal(err)
	}
	restored := filepath.Join(dir, "restored")
	lbRun(t, "restore", "--include", "Contacts", "--to", restored, newest.ID)
	book, err := os.ReadFile(filepath.Join(restored, "Contacts", "contacts.vcf"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(vcf, []byte("BEGIN:VCARD")) || !bytes.Contains(vcf, []byte("+34 611 987 654")) ||
		!bytes.Contains(exported, vcf) || !bytes.HasPrefix(book, vcf) {
		t.Errorf("the .vcf (%d bytes) is not José's card as export (%d) and restore (%d) give:\n%s", len(vcf), len(exported), len(book), vcf)
	}

	// The calendar: March 2026 holds the series on every Tuesday its rule
	// gives but the EXDATE, at 19:30 Madrid time.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+home+"calendar/?month=2026-03"), chromedp.WaitVisible(chromedp.CSS(".agenda"))); err != nil {
		t.Fatalf("calendar: %v", err)
	}
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	until := time.Date(2026, 6, 30, 22, 0, 0, 0, time.UTC)
	for d := time.Date(2026, 3, 3, 19, 30, 0, 0, madrid); !d.After(until); d = d.AddDate(0, 0, 7) {
		if d.Month() == time.March && d.Day() != 17 {
			want = append(want, d.Format("2006-01-02"))
		}
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("li.event")).
		filter(li => li.querySelector(".what").innerText == "Choir practice").map(li => li.closest(".day").id.slice(1) + " " + li.querySelector(".when").innerText)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(want) != 4 {
		t.Errorf("March shows the series %d times %q, the rule gives %d %q", len(got), got, len(want), want)
	}
	for i := range min(len(got), len(want)) {
		// 19:30 on each, across the change to summer time on 29 March (the
		// zone's name follows when the server's zone is another).
		if !strings.HasPrefix(got[i], want[i]+" 19:30 – 21:00") {
			t.Errorf("instance %d: %q, want %s 19:30 – 21:00 (Madrid)", i, got[i], want[i])
		}
	}
	todos, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".todos")))
	if !strings.Contains(todos, "Renew passport") || !strings.Contains(todos, "Back up the laptop") {
		t.Errorf("to-dos:\n%s", todos)
	}
	browser.Screenshot(t, ctx, "serve-calendar")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("li.event a.what[href]")), chromedp.WaitVisible(chromedp.CSS(".event-card"))); err != nil {
		t.Fatalf("event page: %v", err)
	}
	browser.Screenshot(t, ctx, "serve-event")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+home+"calendar/?month=2026-03"), chromedp.WaitVisible(chromedp.CSS(".agenda")),
		chromedp.Evaluate[chromedp.Void](`Array.from(document.querySelectorAll("a.what")).find(a => a.innerText == "Choir practice").click()`),
		chromedp.WaitVisible(chromedp.CSS(".event-card"))); err != nil {
		t.Fatalf("the series' page: %v", err)
	}
	card, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".event-card")))
	if !strings.Contains(card, "Every week on Tuesday, until") || !strings.Contains(card, "19:30 – 21:00 Europe/Madrid") {
		t.Errorf("the series' page:\n%s", card)
	}
	ics := fetchBytes(t, ctx, `document.querySelector('a[href$=".ics"]').getAttribute("href")`)
	if !bytes.Contains(ics, []byte("UID:e-choir")) || !bytes.Contains(ics, []byte("EXDATE;TZID=Europe/Madrid:20260317T193000")) || bytes.Contains(ics, []byte("e-dentist")) {
		t.Errorf("the series' .ics:\n%s", ics)
	}
	browser.Screenshot(t, ctx, "serve-event-series")

	// Photos: every thumbnail loads.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+home+"photos/"), chromedp.WaitVisible(chromedp.CSS("ul.grid"))); err != nil {
		t.Fatalf("photos: %v", err)
	}
	var counts []int
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		if counts, err = chromedp.Run(ctx, chromedp.Evaluate[[]int](`(() => { const im = Array.from(document.querySelectorAll("ul.grid img"));
			return [im.length, im.filter(i => i.complete && i.naturalWidth > 0).length] })()`)); err != nil {
			t.Fatal(err)
		}
		if len(counts) == 2 && counts[0] == counts[1] {
			break
		}
		chromedp.Do(ctx, chromedp.Sleep(200*time.Millisecond))
	}
	if len(counts) != 2 || counts[0] != 8 || counts[1] != 8 {
		t.Errorf("thumbnails loaded: %v, want 8 of 8", counts)
	}
	browser.Screenshot(t, ctx, "serve-photos-records")

	// The Contacts folder as a zip against what restore wrote.
	zipped := unzipAll(t, fetchBytes(t, ctx, `"/s/`+newest.ID+`/zip/Contacts"`))
	if len(zipped) != 1 || !bytes.Equal(zipped["Contacts/contacts.vcf"], book) {
		t.Errorf("the Contacts zip holds %d files; contacts.vcf %d bytes, restore's %d", len(zipped), len(zipped["Contacts/contacts.vcf"]), len(book))
	}
	// On a phone-sized screen the pages fit its width.
	for _, page := range []string{"contacts/", "contacts/?q=jos%C3%A9", "calendar/?month=2026-03"} {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
			chromedp.Navigate(base+home+page), chromedp.WaitVisible(chromedp.CSS("main")))
		if err != nil {
			t.Fatal(err)
		}
		width, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
		if err != nil || width > 390 {
			t.Errorf("on a 390 px screen %s is %d px wide (%v)", page, width, err)
		}
	}
	browser.Screenshot(t, ctx, "serve-calendar-narrow")
	if code, stderr := stop(); code != 0 {
		t.Errorf("after SIGINT: exit %d, stderr %q", code, stderr)
	}
}

// fetchBytes fetches the address the JavaScript expression gives, from
// the page (with its cookie), and returns the body.
func fetchBytes(t *testing.T, ctx context.Context, urlExpr string) []byte {
	t.Helper()
	js := `fetch(` + urlExpr + `).then(r => r.ok ? r.arrayBuffer() : Promise.reject(r.status)).then(b => {
		let s = ""; const u = new Uint8Array(b); for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); return btoa(s) })`
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch %s: %v", urlExpr, err)
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
