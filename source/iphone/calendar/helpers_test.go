package calendar

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
)

// generated are the generator's Calendar.sqlitedb and Reminders store.
func generated(t *testing.T, d iosgen.CalendarData) (cal, rem []byte) {
	t.Helper()
	files, err := iosgen.CalendarFiles(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		switch f.RelativePath {
		case iosgen.CalendarPath:
			cal = f.Data
		case iosgen.RemindersPath:
			rem = f.Data
		}
	}
	if cal == nil || rem == nil {
		t.Fatalf("CalendarFiles gave %d files, not both databases", len(files))
	}
	return cal, rem
}

func renderBoth(t *testing.T, cal, rem []byte) (*Result, *Result) {
	t.Helper()
	ev, err := Events(context.Background(), bytes.NewReader(cal), int64(len(cal)))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Reminders(context.Background(), bytes.NewReader(rem), int64(len(rem)))
	if err != nil {
		t.Fatal(err)
	}
	return ev, rs
}

// tamper runs stmts on a copy of the SQLite database db.
func tamper(t *testing.T, db []byte, stmts ...string) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "db")
	if err := os.WriteFile(p, db, 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := sql.Open("sqlite", "file:"+p)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := h.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeFiles(t *testing.T, files []File) []string {
	t.Helper()
	dir := t.TempDir()
	var names []string
	for _, f := range files {
		p := filepath.Join(dir, f.Name)
		if err := os.WriteFile(p, f.Data, 0o600); err != nil {
			t.Fatal(err)
		}
		names = append(names, p)
	}
	return names
}
