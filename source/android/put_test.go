package android_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/internal/fakeadb/phonedata"
	"github.com/lifeboat-backup/lifeboat/source/android"
	"github.com/lifeboat-backup/lifeboat/source/android/adb"
)

// TestPutFilesPhoneGoneAfterFailedPush: a push that fails for a reason of
// the snapshot's (its bytes cannot be read), with the phone unplugged at
// that moment, so that the new sync connection cannot be opened, ends
// the put with an error instead of a nil-pointer panic.
func TestPutFilesPhoneGoneAfterFailedPush(t *testing.T) {
	p, d, ctx := connected(t, fakeadb.Options{Root: t.TempDir()})
	damaged := errors.New("the snapshot's pack is damaged")
	write := func(ctx context.Context, w io.Writer) error {
		if _, err := w.Write([]byte("x")); err != nil { // Send has sent its SEND
			return err
		}
		p.Unplug()
		return damaged
	}
	ok := func(ctx context.Context, w io.Writer) error { _, err := w.Write([]byte("y")); return err }
	items := android.Items{Files: []android.File{
		{Path: "DCIM/a.jpg", Size: 2, MTime: time.Unix(1e9, 0), Write: write},
		{Path: "DCIM/b.jpg", Size: 1, MTime: time.Unix(1e9, 0), Write: ok},
	}}
	res, err := android.Put(ctx, d, android.PutOptions{}, items)
	if err == nil {
		t.Fatalf("put onto an unplugged phone succeeded: %+v", res)
	}
	if !errors.Is(err, android.ErrGone) {
		t.Errorf("error %v, want one wrapping ErrGone", err)
	}
	if res.Files.Added != 0 {
		t.Errorf("%d files counted added", res.Files.Added)
	}
}

// emptyPhone starts a phone whose providers have the fixture's tables
// and no rows, and connects to it.
func emptyPhone(t *testing.T) (*fakeadb.Phone, *adb.Device, context.Context) {
	t.Helper()
	empty := fakeadb.Provider{}
	for uri, tab := range phonedata.Provider() {
		empty[uri] = &fakeadb.Table{Columns: tab.Columns}
	}
	return connected(t, fakeadb.Options{Root: t.TempDir(), Content: empty})
}

// connected starts a fake phone with o, points this test's adb client at
// it and connects to it.
func connected(t *testing.T, o fakeadb.Options) (*fakeadb.Phone, *adb.Device, context.Context) {
	t.Helper()
	p := fakeadb.Start(t, o)
	use(t, p)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	d, err := android.Connect(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	return p, d, ctx
}

func card(name string, notes ...string) android.Record {
	s := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + name + "\r\nN:" + name + ";;;;\r\n"
	for _, n := range notes {
		s += "NOTE:" + n + "\r\n"
	}
	return android.Record{From: name + ".vcf", Data: []byte(s + "END:VCARD\r\n")}
}

// TestPutLongContacts: a card whose data rows together pass adb's 64 KiB
// request goes in whole over several shell commands, and one whose single
// row cannot be one command is refused before its raw contact is made, so
// that no empty contact is left on the phone (and added again by every
// later restore).
func TestPutLongContacts(t *testing.T) {
	p, d, ctx := emptyPhone(t)
	note := strings.Repeat("a", 20000)
	cards := []android.Record{card("Four Notes", note, note, note+"'", note), card("One Huge Note", strings.Repeat("b", 65500))}
	res, err := android.Put(ctx, d, android.PutOptions{}, android.Items{Cards: cards})
	if err != nil {
		t.Fatal(err)
	}
	raws, data := 0, 0
	for _, in := range p.Inserts() {
		switch in.URI {
		case phonedata.RawContactsURI:
			raws++
		case phonedata.DataURI:
			data++
		}
	}
	if res.Contacts.Added != 1 || len(res.Failed) != 1 || !strings.Contains(res.Failed[0], "One Huge Note") {
		t.Errorf("added %d, failed %q; want the four-note card added and the huge one failed", res.Contacts.Added, res.Failed)
	}
	if raws != 1 || data < 5 {
		t.Errorf("%d raw contacts and %d data rows inserted; want 1 raw contact with its 5 rows (name and 4 notes), and none for the refused card", raws, data)
	}
}

// TestPutFilesFolderUnlistable: a file whose folder the phone cannot list
// (a path longer than adbd takes, a folder that is a file there) fails
// alone; the files after it still go in.
func TestPutFilesFolderUnlistable(t *testing.T) {
	_, d, ctx := emptyPhone(t)
	ok := func(ctx context.Context, w io.Writer) error { _, err := w.Write([]byte("y")); return err }
	mt := time.Unix(1e9, 0)
	items := android.Items{Files: []android.File{
		{Path: "DCIM/" + strings.Repeat("x", 1100) + "/a.jpg", Size: 1, MTime: mt, Write: ok},
		{Path: "DCIM/b.jpg", Size: 1, MTime: mt, Write: ok},
	}}
	res, err := android.Put(ctx, d, android.PutOptions{}, items)
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	if res.Files.Added != 1 || len(res.Failed) != 1 {
		t.Errorf("added %d, failed %q; want b.jpg added and the long path failed", res.Files.Added, res.Failed)
	}
}

// TestPutEventsOwnCalendar: with --account, events go into the calendar
// the account owns, not into the first calendar of the account (a
// read-only holidays calendar listed before it).
func TestPutEventsOwnCalendar(t *testing.T) {
	prov := phonedata.Provider()
	cals := prov[phonedata.CalendarsURI]
	owner := slices.Index(cals.Columns, "ownerAccount")
	var own, holidays []any
	for _, r := range cals.Rows {
		if r[2] == "com.google" && r[owner] == r[1] {
			own = r
		} else if r[2] == "com.google" {
			holidays = r
		}
	}
	if own == nil || holidays == nil {
		t.Fatal("the fixture has no Google account with a holidays calendar")
	}
	cals.Rows = [][]any{holidays, own}
	for _, uri := range []string{phonedata.EventsURI, phonedata.RemindersURI, phonedata.AttendeesURI} {
		prov[uri].Rows = nil
	}
	p, d, ctx := connected(t, fakeadb.Options{Root: t.TempDir(), Content: prov})
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x@t\r\nDTSTAMP:20240101T000000Z\r\n" +
		"DTSTART:20240102T100000Z\r\nDTEND:20240102T110000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	res, err := android.Put(ctx, d, android.PutOptions{Account: own[1].(string)}, android.Items{Calendars: []android.Record{{From: "a.ics", Data: []byte(ics)}}})
	if err != nil || res.Events.Added != 1 {
		t.Fatalf("put: %v, %+v", err, res)
	}
	for _, in := range p.Inserts() {
		if in.URI != phonedata.EventsURI {
			continue
		}
		for _, b := range in.Binds {
			if b.Name == "calendar_id" && b.Value != fmt.Sprint(own[0]) {
				t.Errorf("event put into calendar %s, want the account's own, %v", b.Value, own[0])
			}
		}
	}
}
