package calendar

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
	"github.com/lifeboat-backup/lifeboat/source/iphone/mobilebackup"
)

// TestEncryptedBackup: Calendar.sqlitedb and the Reminders store, read
// out of an encrypted generated backup through mobilebackup, render to
// the same files as the databases the generator made, with every event
// and to-do.
func TestEncryptedBackup(t *testing.T) {
	d := iosgen.DefaultCalendarData()
	dbs, err := iosgen.CalendarFiles(d)
	if err != nil {
		t.Fatal(err)
	}
	password := []byte("correct horse")
	gen, err := iosgen.Write(t.TempDir(), iosgen.Options{Password: password, Files: append(iosgen.DefaultFiles(), dbs...)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := mobilebackup.Open(gen.Dir, func() ([]byte, error) { return append([]byte(nil), password...), nil })
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	read := func(rel string) []byte {
		f, err := b.Find("HomeDomain", rel)
		if err != nil {
			t.Fatal(err)
		}
		onDisk, err := os.ReadFile(filepath.Join(gen.Dir, f.ID[:2], f.ID))
		if err != nil || bytes.Contains(onDisk, []byte("SQLite format 3")) {
			t.Fatalf("%s on disk: %v, or in the clear", rel, err)
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
		return data
	}
	cal, rem := read(iosgen.CalendarPath), read(iosgen.RemindersPath)
	ev, err := Events(context.Background(), bytes.NewReader(cal), int64(len(cal)))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Reminders(context.Background(), bytes.NewReader(rem), int64(len(rem)))
	if err != nil {
		t.Fatal(err)
	}
	gc, gr := generated(t, d)
	wantEv, wantRs := renderBoth(t, gc, gr)
	if ev.Events != len(d.WantEvents()) || rs.Todos != wantRs.Todos || rs.Todos == 0 {
		t.Errorf("%d events, %d to-dos from the backup; want %d, %d", ev.Events, rs.Todos, len(d.WantEvents()), wantRs.Todos)
	}
	for i, f := range wantEv.Calendars {
		if i >= len(ev.Calendars) || !bytes.Equal(ev.Calendars[i].Data, f.Data) || ev.Calendars[i].Name != f.Name {
			t.Errorf("calendar %s from the backup differs", f.Name)
		}
	}
	for i, f := range wantRs.Lists {
		if i >= len(rs.Lists) || !bytes.Equal(rs.Lists[i].Data, f.Data) {
			t.Errorf("list %s from the backup differs", f.Name)
		}
	}
}
