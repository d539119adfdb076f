package addressbook

import (
	"bytes"
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// sqliteDB makes a database in a temporary folder by running stmts.
func sqliteDB(t *testing.T, stmts ...string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "db.sqlitedb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return db
}

// TestOlderSchema: an address book of an older iOS (no guid, Kind,
// phonetic names or identifier columns, no entry tables, no pictures)
// renders with what it holds.
func TestOlderSchema(t *testing.T) {
	db := sqliteDB(t,
		`CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, First TEXT, Last TEXT, Organization TEXT, Note TEXT, Birthday TEXT)`,
		`CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, label INTEGER, value TEXT)`,
		`CREATE TABLE ABMultiValueLabel (value TEXT, UNIQUE(value))`,
		`INSERT INTO ABMultiValueLabel (value) VALUES ('_$!<Mobile>!$_'), ('Cabin')`,
		`INSERT INTO ABPerson (ROWID, First, Last, Birthday) VALUES (2, 'Old', 'Timer', '-31622400'), (1, NULL, NULL, NULL)`,
		`INSERT INTO ABPerson (ROWID, Organization) VALUES (3, 'Shop')`,
		`INSERT INTO ABMultiValue (record_id, property, label, value) VALUES (2, 3, 1, '555-1'), (2, 3, 2, '555-2'), (2, 5, NULL, 'no entries'), (1, 4, NULL, 'x@example.com')`,
	)
	cards, rep, err := Render(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != 3 || rep != (Report{}) {
		t.Fatalf("%d cards, %+v", len(cards), rep)
	}
	old := string(cards[1].Data)
	for _, s := range []string{"UID:ios-abperson-2\r\n", "N:Timer;Old;;;\r\n", "TEL;TYPE=CELL:555-1\r\n", "item1.TEL:555-2\r\nitem1.X-ABLabel:Cabin\r\n",
		"BDAY:2000-01-01\r\n", "ADR:;;no entries;;;;\r\n"} {
		if !strings.Contains(old, s) {
			t.Errorf("card lacks %q:\n%s", s, old)
		}
	}
	if cards[1].Name != "2.vcf" || cards[0].Name != "1.vcf" {
		t.Errorf("names %q, %q", cards[0].Name, cards[1].Name)
	}
	if !strings.Contains(string(cards[0].Data), "FN:x@example.com\r\n") || !strings.Contains(string(cards[2].Data), "FN:Shop\r\n") {
		t.Errorf("FN does not fall back to the email or organization:\n%s\n%s", cards[0].Data, cards[2].Data)
	}
}

// TestHostileRows: huge values, NULLs everywhere, values of the wrong
// type, dates that are none and pictures that are no JPEG give cards or
// counted skips, never a panic.
func TestHostileRows(t *testing.T) {
	huge := strings.Repeat("é", 100_000)
	db := sqliteDB(t,
		`CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY, First TEXT, Last TEXT, Note TEXT, Birthday TEXT, Kind INTEGER, guid TEXT)`,
		`CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, identifier INTEGER, label INTEGER, value TEXT)`,
		`CREATE TABLE ABMultiValueLabel (value TEXT)`,
		`CREATE TABLE ABMultiValueEntry (parent_id INTEGER, key INTEGER, value TEXT)`,
		`CREATE TABLE ABMultiValueEntryKey (value TEXT)`,
		`INSERT INTO ABMultiValueLabel (value) VALUES (NULL), (x'ff00fe'), ('`+huge+`')`,
		`INSERT INTO ABMultiValueEntryKey (value) VALUES (NULL), ('Street')`,
		`INSERT INTO ABPerson VALUES (1, '`+huge+`', x'c328', '`+huge+`', 'not a date', 'kind?', '../../etc/passwd:ABPerson')`,
		`INSERT INTO ABPerson VALUES (2, NULL, NULL, NULL, '1e300', NULL, NULL)`,
		`INSERT INTO ABPerson VALUES (3, x'00', NULL, NULL, 'NaN', 1, '')`,
		`INSERT INTO ABPerson VALUES (4, NULL, NULL, NULL, -1e11, NULL, NULL)`,
		`INSERT INTO ABMultiValue VALUES (1, 1, 3, NULL, 3, '`+huge+`'), (2, NULL, 3, 0, 1, 'orphan'), (3, 'one', 3, 0, 1, 'typed'),
			(4, 1, NULL, 0, 1, 'no property'), (5, 1, 12, 0, 2, 'never'), (6, 1, 5, 0, 99, NULL), (7, 2, 4, 0, NULL, NULL),
			(8, 2, 13, 0, 1, NULL), (9, 2, 46, 0, 1, NULL), (10, 2, 999, 0, 1, 'unknown property'), (11, 1, 12, 0, 1, '1e400')`,
		`INSERT INTO ABMultiValueEntry VALUES (6, 2, '`+huge+`'), (6, 1, 'keyless'), (NULL, 2, 'parentless'), (9, 7, 'no key'), (6, 2, 'twice')`,
	)
	images := sqliteDB(t,
		`CREATE TABLE ABFullSizeImage (record_id INTEGER, data BLOB)`,
		`CREATE TABLE ABThumbnailImage (record_id INTEGER, format INTEGER, data BLOB)`,
		`INSERT INTO ABFullSizeImage VALUES (1, x'47494638396101'), (2, x'474946'), (3, NULL), (NULL, x'ffd8ff')`,
		`INSERT INTO ABThumbnailImage VALUES (1, 0, x'ffd8ffe000'), (2, 0, 'text, not a picture'), (4, 'x', x'89504e470d0a1a0a00')`,
	)
	cards, rep, err := Render(db, images)
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != 4 {
		t.Fatalf("%d cards, want 4", len(cards))
	}
	// Skipped: two rows of no record, one typed record_id, one without a
	// property. Dropped: four birthdays, two dates, person 2's pictures.
	if rep.Skipped != 4 || rep.Dropped != 7 {
		t.Errorf("report %+v, want 4 skipped and 7 dropped", rep)
	}
	for _, c := range cards {
		if !utf8.Valid(c.Data) || !bytes.HasPrefix(c.Data, []byte("BEGIN:VCARD\r\n")) || !bytes.HasSuffix(c.Data, []byte("END:VCARD\r\n")) {
			t.Errorf("%s is not a whole UTF-8 card:\n%.300s", c.Name, c.Data)
		}
		for _, l := range strings.Split(string(c.Data), "\r\n") {
			if len(l) > 75 {
				t.Fatalf("%s: a line of %d octets", c.Name, len(l))
			}
		}
		if strings.ContainsAny(c.Name, "/\\") || len(c.Name) > 90 {
			t.Errorf("card name %q", c.Name)
		}
		if len(c.Data) > 3*maxNote {
			t.Errorf("%s: %d bytes, more than the bounds allow", c.Name, len(c.Data))
		}
	}
	one := strings.ReplaceAll(string(cards[0].Data), "\r\n ", "")
	if !strings.Contains(one, "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AA=") || strings.Contains(one, "BDAY") || strings.Contains(one, "X-ABDATE") {
		t.Errorf("person 1: want the JPEG thumbnail (the full-size picture is a GIF), no dates:\n%.2000s", one)
	}
	if n := props(unfold(cards[0].Data), "N"); len(n) != 1 || n[0] != "\uFFFD(;"+strings.Repeat("é", maxText)+";;;" {
		t.Error("person 1: the huge first name is not cut at maxText, or the last name (not UTF-8) is not U+FFFD")
	}
	if n := props(unfold(cards[0].Data), "NOTE"); len(n) != 1 || n[0] != huge {
		t.Error("person 1: the note, under maxNote, is not whole")
	}
	// Two entries of one key (which iOS's UNIQUE(parent_id, key) forbids):
	// the first by value is kept, whatever the order of the rows.
	if !strings.Contains(one, "ADR:;;twice;;;;\r\n") {
		t.Errorf("person 1's address:\n%.3000s", one)
	}
	if strings.Contains(string(cards[1].Data), "PHOTO") || !strings.Contains(string(cards[3].Data), "PHOTO;ENCODING=b;TYPE=PNG:") {
		t.Errorf("person 2 has a picture, or person 4 lacks its PNG thumbnail")
	}
}

// TestNotAnAddressBook: a database without ABPerson, and bytes that are
// no database, are errors.
func TestNotAnAddressBook(t *testing.T) {
	if _, _, err := Render(sqliteDB(t, `CREATE TABLE Files (x)`), nil); err == nil {
		t.Error("a database without ABPerson rendered")
	}
	junk := bytes.Repeat([]byte("not sqlite "), 1000)
	if _, _, err := Render(open(t, junk).DB, nil); err == nil {
		t.Error("bytes that are no database rendered")
	}
}

// TestValuesPerPerson: a person's values after maxPerson are dropped and
// counted.
func TestValuesPerPerson(t *testing.T) {
	db := sqliteDB(t,
		`CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY, First TEXT)`,
		`CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, identifier INTEGER, label INTEGER, value TEXT)`,
		`INSERT INTO ABPerson VALUES (1, 'Many')`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < `+strconv.Itoa(maxPerson+5)+`)
			INSERT INTO ABMultiValue SELECT i, 1, 3, i, NULL, 'tel ' || i FROM n`,
	)
	cards, rep, err := Render(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Dropped != 5 || len(cards) != 1 {
		t.Fatalf("%d cards, %+v; want 5 dropped", len(cards), rep)
	}
	tels := props(unfold(cards[0].Data), "TEL")
	if len(tels) != maxPerson || tels[len(tels)-1] != "tel "+strconv.Itoa(maxPerson) {
		t.Errorf("%d TEL lines, the last %q", len(tels), tels[len(tels)-1])
	}
}
