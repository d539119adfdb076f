package android

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/internal/fakeadb/phonedata"
	"github.com/lifeboat-backup/lifeboat/source/android/adb"
	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// warningShell is a phone whose linker warns on every command, as some
// Android 5 and 6 phones do: on stderr with shell protocol v2, mixed into
// stdout before the output without it.
type warningShell struct {
	d  *adb.Device
	v2 bool
}

const warning = "WARNING: linker: /system/lib/libhoudini.so: unused DT entry: type 0x6ffffffe arg 0x1188\n"

func (w warningShell) Shell(ctx context.Context, cmd string) (adb.Result, error) {
	res, err := w.d.Shell(ctx, cmd)
	if w.v2 {
		res.Stderr = append([]byte(warning+warning), res.Stderr...)
	} else {
		res.Stdout = append([]byte(warning), res.Stdout...)
	}
	return res, err
}

// TestLinkerWarnings: the linker's warnings neither fail a query nor make
// an insert look refused.
func TestLinkerWarnings(t *testing.T) {
	_, d, ctx := phone(t, fakeadb.Options{Content: phonedata.Provider()})
	want, err := readProviders(ctx, d)
	if err != nil || want.contacts == 0 || want.events == 0 {
		t.Fatalf("without warnings: %v (%+v)", err, want)
	}
	for _, v2 := range []bool{true, false} {
		got, err := readProviders(ctx, warningShell{d, v2})
		if err != nil {
			t.Fatalf("v2 %v: %v", v2, err)
		}
		if got.contacts != want.contacts || got.events != want.events || len(got.files) != len(want.files) {
			t.Errorf("v2 %v: %d contacts, %d events, %d files; want %d, %d, %d", v2, got.contacts, got.events, len(got.files), want.contacts, want.events, len(want.files))
		}
		binds := []content.Bind{{Name: "raw_contact_id", Type: "l", Value: "1"}, {Name: "mimetype", Type: "s", Value: "vnd.android.cursor.item/note"}, {Name: "data1", Type: "s", Value: "x"}}
		if err := insert(ctx, warningShell{d, v2}, dataURI, binds); err != nil {
			t.Errorf("v2 %v: insert: %v", v2, err)
		}
	}
}

// TestLinkerWarningsLocked: a locked phone whose linker warns, without
// shell protocol v2 (the warning mixed into getprop's output), is still
// seen as locked.
func TestLinkerWarningsLocked(t *testing.T) {
	_, d, ctx := phone(t, fakeadb.Options{Locked: true, Features: []string{"stat_v2", "ls_v2"}})
	if err := checkUnlocked(ctx, d); !errors.Is(err, ErrLocked) {
		t.Fatalf("locked phone without warnings: %v", err)
	}
	if err := checkUnlocked(ctx, warningShell{d, false}); !errors.Is(err, ErrLocked) {
		t.Errorf("locked phone whose linker warns: %v, want ErrLocked", err)
	}
}

// forgetfulShell is a phone that answers inserts into the data table as
// done and keeps none of them.
type forgetfulShell struct{ d *adb.Device }

func (f forgetfulShell) Shell(ctx context.Context, cmd string) (adb.Result, error) {
	if strings.Contains(cmd, "'content' 'insert' '--uri' '"+dataURI+"'") {
		return adb.Result{}, nil
	}
	return f.d.Shell(ctx, cmd)
}

// TestPutNotKeptInOrder: the contacts a phone did not keep are named in
// the order of the snapshot's paths, the same on every run.
func TestPutNotKeptInOrder(t *testing.T) {
	empty := fakeadb.Provider{}
	for uri, tab := range phonedata.Provider() {
		empty[uri] = &fakeadb.Table{Columns: tab.Columns}
	}
	_, d, ctx := phone(t, fakeadb.Options{Content: empty})
	var cards []Record
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		cards = append(cards, Record{From: n + ".vcf", Data: []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + n + "\r\nN:" + n + ";;;;\r\nEND:VCARD\r\n")})
	}
	res := &PutResult{}
	if err := putContacts(ctx, forgetfulShell{d}, PutOptions{}, cards, res, map[string]bool{}, &progress{}); err != nil {
		t.Fatal(err)
	}
	if res.Contacts.Added != 0 || len(res.Failed) != len(cards) || !slices.IsSorted(res.Failed) {
		t.Errorf("added %d, failed %q; want all %d failed, in order", res.Contacts.Added, res.Failed, len(cards))
	}
}

// syncingShell is a phone whose sync adapter adds a row of another
// account right after each raw contact or event lifeboat inserts: a
// Google account syncing down while a reset phone is restored.
type syncingShell struct{ d *adb.Device }

func (s syncingShell) Shell(ctx context.Context, cmd string) (adb.Result, error) {
	res, err := s.d.Shell(ctx, cmd)
	var extra []content.Bind
	uri := ""
	switch {
	case strings.HasPrefix(cmd, "'content' 'insert' '--uri' '"+rawContactsURI+"'"):
		uri, extra = rawContactsURI, []content.Bind{{Name: "account_name", Type: "s", Value: "ana@gmail.com"}, {Name: "account_type", Type: "s", Value: "com.google"}}
	case strings.HasPrefix(cmd, "'content' 'insert' '--uri' '"+eventsURI+"'"):
		uri, extra = eventsURI, []content.Bind{{Name: "calendar_id", Type: "l", Value: "3"}, {Name: "title", Type: "s", Value: "synced"},
			{Name: "dtstart", Type: "l", Value: "1700000000000"}, {Name: "dtend", Type: "l", Value: "1700003600000"}, {Name: "eventTimezone", Type: "s", Value: "UTC"}}
	}
	if uri != "" && err == nil {
		c, _ := content.InsertCommand(uri, extra)
		if _, err := s.d.Shell(ctx, c); err != nil {
			return res, err
		}
	}
	return res, err
}

// TestPutWhileSyncing: the rows that hang from a new raw contact or event
// (data rows, reminders) go to it, not to a row a sync adapter added
// after it, which would change a contact or event of another account.
func TestPutWhileSyncing(t *testing.T) {
	prov := phonedata.Provider()
	for _, uri := range []string{rawContactsURI, dataURI, eventsURI, remindersURI, attendeesURI} {
		prov[uri].Rows = nil
	}
	p, d, ctx := phone(t, fakeadb.Options{Content: prov})
	sh := syncingShell{d}
	cards := []Record{{From: "a.vcf", Data: []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nN:Ada;;;;\r\nTEL:+1 555 0100\r\nEND:VCARD\r\n")}}
	res := &PutResult{}
	if err := putContacts(ctx, sh, PutOptions{}, cards, res, map[string]bool{}, &progress{}); err != nil {
		t.Fatal(err)
	}
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x@t\r\nDTSTAMP:20240101T000000Z\r\n" +
		"DTSTART:20240102T100000Z\r\nDTEND:20240102T110000Z\r\nSUMMARY:Dentist\r\n" +
		"BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	if err := putEvents(ctx, sh, PutOptions{}, []Record{{From: "a.ics", Data: []byte(ics)}}, res, map[string]bool{}, &progress{}); err != nil {
		t.Fatal(err)
	}
	if res.Contacts.Added != 1 || res.Events.Added != 1 || len(res.Failed) != 0 {
		t.Fatalf("put: %+v", res)
	}
	refs := map[string]string{} // uri → the id its rows hang from
	for _, in := range p.Inserts() {
		for _, b := range in.Binds {
			if b.Name == "raw_contact_id" || b.Name == "event_id" {
				refs[in.URI] = b.Value
			}
		}
	}
	// Each table was empty: lifeboat's rows are _id 1, the synced ones 2.
	if refs[dataURI] != "1" || refs[remindersURI] != "1" {
		t.Errorf("data rows hang from raw contact %q, reminders from event %q; want lifeboat's own, 1 and 1", refs[dataURI], refs[remindersURI])
	}
}

// brokenLister is a sync connection that breaks the protocol (a name
// over 4 KiB, an unknown message) when it lists one folder.
type brokenLister struct {
	*adb.Sync
	at string
}

func (b brokenLister) List(dir string) ([]adb.Entry, error) {
	if dir == b.at {
		return nil, errors.New("list " + dir + ": adb protocol error: name of 5000 bytes")
	}
	return b.Sync.List(dir)
}

// TestListBrokenStopsBackup: a listing that breaks the protocol ends the
// backup's read of the phone, instead of a snapshot without that folder
// and every one listed after it; a folder the phone refuses is that
// folder's error alone.
func TestListBrokenStopsBackup(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"DCIM/a", "DCIM/b", "Pictures"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	_, d, ctx := phone(t, fakeadb.Options{Root: root})
	s, err := d.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tree := newTree(&pool{ctx: ctx, dev: d})
	if _, err := listMedia(ctx, brokenLister{s, "/sdcard/DCIM/a"}, []string{"DCIM", "Pictures"}, tree); err == nil {
		t.Error("a listing that broke the protocol was taken for a folder's error")
	}
	tree = newTree(&pool{ctx: ctx, dev: d})
	if _, err := listMedia(ctx, s, []string{"DCIM", "Pictures"}, tree); err != nil {
		t.Fatalf("the same phone without the fault: %v", err)
	}
	if _, err := tree.Lstat("Pictures"); err != nil {
		t.Errorf("Pictures not listed: %v", err)
	}
}

// phone starts a fake phone with o, points this test's adb client at it
// and connects to it.
func phone(t *testing.T, o fakeadb.Options) (*fakeadb.Phone, *adb.Device, context.Context) {
	t.Helper()
	p := fakeadb.Start(t, o)
	for _, kv := range p.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	d, err := Connect(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	return p, d, ctx
}

// localAccountShell is a phone whose provider keeps a contact inserted
// without an account under its own local account, as some makers' do.
type localAccountShell struct{ d *adb.Device }

func (l localAccountShell) Shell(ctx context.Context, cmd string) (adb.Result, error) {
	cmd = strings.ReplaceAll(cmd, "'--bind' 'account_name:n:' '--bind' 'account_type:n:'",
		"'--bind' 'account_name:s:vnd.sec.contact.phone' '--bind' 'account_type:s:vnd.sec.contact.phone'")
	return l.d.Shell(ctx, cmd)
}

// TestPutLocalAccountRenamed: contacts still go in whole on a phone that
// keeps contacts without an account under an account of its own.
func TestPutLocalAccountRenamed(t *testing.T) {
	empty := fakeadb.Provider{}
	for uri, tab := range phonedata.Provider() {
		empty[uri] = &fakeadb.Table{Columns: tab.Columns}
	}
	p, d, ctx := phone(t, fakeadb.Options{Content: empty})
	cards := []Record{{From: "a.vcf", Data: []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nN:Ada;;;;\r\nTEL:+1 555 0100\r\nEND:VCARD\r\n")}}
	res := &PutResult{}
	if err := putContacts(ctx, localAccountShell{d}, PutOptions{}, cards, res, map[string]bool{}, &progress{}); err != nil {
		t.Fatal(err)
	}
	if res.Contacts.Added != 1 || len(res.Failed) != 0 {
		t.Errorf("added %d, failed %q; want the contact added", res.Contacts.Added, res.Failed)
	}
	renamed := false
	for _, in := range p.Inserts() {
		for _, b := range in.Binds {
			renamed = renamed || b.Value == "vnd.sec.contact.phone"
		}
	}
	if !renamed {
		t.Error("the phone did not rename the account: the test tests nothing")
	}
}
