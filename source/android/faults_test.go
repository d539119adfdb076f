package android

import (
	"context"
	"errors"
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
	p := fakeadb.Start(t, fakeadb.Options{Content: phonedata.Provider()})
	for _, kv := range p.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := Connect(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
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
	p := fakeadb.Start(t, fakeadb.Options{Locked: true, Features: []string{"stat_v2", "ls_v2"}})
	for _, kv := range p.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := Connect(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
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
	p := fakeadb.Start(t, fakeadb.Options{Content: empty})
	for _, kv := range p.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := Connect(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
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
