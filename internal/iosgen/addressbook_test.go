package iosgen

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// readerQuery reads, with Python's own sqlite3, the tables and columns
// iLEAPP's addressBook artifact reads (ABPerson's names, dates, store and
// groups; ABMultiValue with ABMultiValueLabel; ABMultiValueEntry with
// ABMultiValueEntryKey; both image tables of the attached
// AddressBookImages), and prints per person its phone count, labels,
// street and picture length.
const readerQuery = `
import sys, json, sqlite3
db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
db.execute("ATTACH DATABASE ? AS ABI", ('file:' + sys.argv[2] + '?mode=ro',))
rows = db.execute('''
SELECT p.ROWID, p.CreationDate, p.Prefix, p.First, p.Middle, p.Last, p.Suffix, p.DisplayName,
  p.FirstPhonetic, p.MiddlePhonetic, p.LastPhonetic, p.Organization, p.Department, p.JobTitle,
  p.Nickname, p.Note, CAST(p.Birthday AS INT), p.ModificationDate, s.Name,
  (SELECT count(*) FROM ABMultiValue m WHERE m.record_id = p.ROWID AND m.property = 3),
  (SELECT group_concat(l.value, '|') FROM ABMultiValue m LEFT JOIN ABMultiValueLabel l ON m.label = l.ROWID
     WHERE m.record_id = p.ROWID AND m.property = 3),
  (SELECT e.value FROM ABMultiValue m JOIN ABMultiValueEntry e ON e.parent_id = m.UID
     JOIN ABMultiValueEntryKey k ON e.key = k.ROWID WHERE m.record_id = p.ROWID AND m.property = 5 AND k.value = 'Street' LIMIT 1),
  (SELECT group_concat(g.Name) FROM ABGroupMembers gm LEFT JOIN ABGroup g ON gm.group_id = g.ROWID WHERE gm.member_id = p.ROWID),
  (SELECT length(data) FROM ABI.ABFullSizeImage f WHERE f.record_id = p.ROWID),
  (SELECT length(data) FROM ABI.ABThumbnailImage t WHERE t.record_id = p.ROWID AND t.format = 0)
FROM ABPerson p LEFT JOIN ABStore s ON p.StoreID = s.ROWID ORDER BY p.ROWID''').fetchall()
json.dump([[r[0], r[3], r[5], r[19], r[20] or '', r[21] or '', r[23] or 0] for r in rows], sys.stdout)
`

// TestAddressBookReadsInPython: another SQLite (Python's) reads the
// generated address book through the tables and columns a real reader
// uses, and finds the generator's contacts in it.
func TestAddressBookReadsInPython(t *testing.T) {
	py := python(t)
	contacts := GeneratedContacts(300)
	db, images, err := AddressBook(contacts, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	dbPath, imgPath := filepath.Join(dir, "AddressBook.sqlitedb"), filepath.Join(dir, "AddressBookImages.sqlitedb")
	if err := os.WriteFile(dbPath, db, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(imgPath, images, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", readerQuery, dbPath, imgPath).Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	var rows [][]any
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(contacts) {
		t.Fatalf("%d people, want %d", len(rows), len(contacts))
	}
	for i, c := range contacts {
		r := rows[i]
		str := func(v any) string { s, _ := v.(string); return s }
		labels := "" // group_concat leaves out NULL, a phone without a label
		for _, p := range c.Phones {
			if p.Label != "" && labels != "" {
				labels += "|"
			}
			labels += p.Label
		}
		street := ""
		if len(c.Addresses) > 0 {
			street = c.Addresses[0].Street
		}
		if int64(r[0].(float64)) != c.RowID || str(r[1]) != c.First || str(r[2]) != c.Last ||
			int(r[3].(float64)) != len(c.Phones) || str(r[4]) != labels || str(r[5]) != street ||
			int(r[6].(float64)) != len(c.Photo) {
			t.Errorf("person %d reads %v, want %d %q %q, %d phones labelled %q, street %q, picture of %d bytes",
				i, r, c.RowID, c.First, c.Last, len(c.Phones), labels, street, len(c.Photo))
		}
	}
}
