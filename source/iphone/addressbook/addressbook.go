// Package addressbook renders an iPhone's address book, the HomeDomain
// files Library/AddressBook/AddressBook.sqlitedb (ABPerson and its
// ABMultiValue rows) and AddressBookImages.sqlitedb (pictures), as one
// vCard 3.0 per person, in the form source/android/contacts writes:
// CRLF lines folded at 75 octets, the same rows giving the same bytes.
//
// Render takes *sql.DB handles, not files: the caller opens them as it
// must (Open reads one from an io.ReaderAt, read-only, through a VFS, so
// that a decrypted backup file stays in memory), and tests hand in
// databases of any schema.
package addressbook

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on what Render reads. A value longer than its bound is cut; a
// picture longer than maxImage, and a person's values after maxPerson,
// are left out (and counted in Dropped); more rows than maxPersons or
// maxValues, or more than maxBytes of text in all, is an error. Pictures
// are read one person at a time, so at most one is held.
const (
	maxPersons = 1_000_000  // ABPerson rows
	maxValues  = 10_000_000 // ABMultiValue rows, and ABMultiValueEntry rows
	maxText    = 16 << 10   // characters of a name, number, label or entry
	maxNote    = 256 << 10  // characters of a note
	maxImage   = 16 << 20   // bytes of a picture
	maxPerson  = 10_000     // values of one person; more are dropped
	maxBytes   = 1 << 30    // bytes of text read in all
)

// ABMultiValue.property numbers.
const (
	propPhone   = 3
	propEmail   = 4
	propAddress = 5
	propDate    = 12
	propIM      = 13
	propURL     = 22
	propRelated = 23
	propSocial  = 46
)

// Card is one rendered person.
type Card struct {
	Name  string // "<ROWID>.vcf", or "<ROWID>-<guid>.vcf" with the guid made safe
	RowID int64  // ABPerson.ROWID
	Data  []byte // the vCard 3.0
}

// Report counts what Render left out.
type Report struct {
	Skipped int // ABPerson or ABMultiValue rows that could not be read
	Dropped int // values left out: dates that are no dates, pictures neither JPEG nor PNG or too large
}

// personCols are the ABPerson columns Render reads; a column an older iOS
// lacks reads as NULL.
var personCols = []string{"First", "Last", "Middle", "Prefix", "Suffix", "Nickname",
	"Organization", "Department", "JobTitle", "Birthday", "Note",
	"FirstPhonetic", "MiddlePhonetic", "LastPhonetic", "Kind", "guid", "ExternalUUID", "ExternalIdentifier"}

// person is one ABPerson row, by column name.
type person struct {
	id int64
	f  map[string]string
}

// value is one ABMultiValue row with its label and entries.
type value struct {
	uid      int64
	prop     int
	label    string
	value    string
	hasValue bool
	entries  map[string]string
}

// Render reads every ABPerson row of db and gives one card for each,
// sorted by ROWID. images, the AddressBookImages database, may be nil. A
// table or column that db lacks (an older iOS) reads as empty; a row
// that cannot be read is skipped and counted in Report. An error is a
// database that holds no ABPerson table or cannot be read at all.
func Render(db, images *sql.DB) ([]Card, Report, error) {
	var rep Report
	cols, err := columns(db, "ABPerson")
	if err != nil {
		return nil, rep, err
	}
	if len(cols) == 0 {
		return nil, rep, fmt.Errorf("address book: no ABPerson table")
	}
	spent := int64(0)
	people, err := readPeople(db, cols, &rep, &spent)
	if err != nil {
		return nil, rep, err
	}
	values, err := readValues(db, &rep, &spent)
	if err != nil {
		return nil, rep, err
	}
	pics, err := newPictures(images)
	if err != nil {
		return nil, rep, err
	}
	cards := make([]Card, 0, len(people))
	for _, p := range people {
		photo, typ, dropped := pics.photo(p.id)
		if dropped {
			rep.Dropped++
		}
		data, drops := renderCard(p, values[p.id], photo, typ)
		rep.Dropped += drops
		cards = append(cards, Card{Name: cardName(p), RowID: p.id, Data: data})
	}
	return cards, rep, nil
}

// columns gives the names of table's columns, none if it is missing.
func columns(db *sql.DB, table string) (map[string]bool, error) {
	rows, err := db.Query(`SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, fmt.Errorf("address book: %s: %w", table, err)
	}
	defer rows.Close()
	m := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("address book: %s: %w", table, err)
		}
		m[n] = true
	}
	return m, rows.Err()
}

// textCol selects col as text of at most max characters, or NULL when the
// table lacks it.
func textCol(cols map[string]bool, table, col string, max int) string {
	if !cols[col] {
		return "NULL"
	}
	q := table + `."` + col + `"`
	return "CAST(substr(" + q + ", 1, " + strconv.Itoa(max) + ") AS TEXT)"
}

// spend adds n bytes to spent, an error past maxBytes.
func spend(spent *int64, n int) error {
	if *spent += int64(n); *spent > maxBytes {
		return fmt.Errorf("address book: more than %d bytes of text", maxBytes)
	}
	return nil
}

func readPeople(db *sql.DB, cols map[string]bool, rep *Report, spent *int64) ([]person, error) {
	sel := []string{"ABPerson.ROWID"}
	for _, c := range personCols {
		max := maxText
		if c == "Note" {
			max = maxNote
		}
		sel = append(sel, textCol(cols, "ABPerson", c, max))
	}
	rows, err := db.Query(`SELECT `+strings.Join(sel, ", ")+` FROM ABPerson ORDER BY ABPerson.ROWID LIMIT ?`, maxPersons+1)
	if err != nil {
		return nil, fmt.Errorf("address book: ABPerson: %w", err)
	}
	defer rows.Close()
	var out []person
	for rows.Next() {
		if len(out) == maxPersons {
			return nil, fmt.Errorf("address book: more than %d people", maxPersons)
		}
		var id sql.NullInt64
		vals := make([]sql.NullString, len(personCols))
		dest := []any{&id}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil || !id.Valid {
			rep.Skipped++
			continue
		}
		p := person{id: id.Int64, f: map[string]string{}}
		for i, c := range personCols {
			if vals[i].Valid && vals[i].String != "" {
				p.f[c] = valid(vals[i].String)
				if err := spend(spent, len(vals[i].String)); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("address book: ABPerson: %w", err)
	}
	return out, nil
}

// cardName is "<ROWID>.vcf", with "-<guid>" after the ROWID when the
// person has one: letters, digits, '-' and '.' kept, others '_', cut at
// 64 bytes.
func cardName(p person) string {
	g := p.f["guid"]
	if g == "" {
		return strconv.FormatInt(p.id, 10) + ".vcf"
	}
	var b strings.Builder
	for _, r := range g {
		if b.Len() >= 64 {
			break
		}
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return strconv.FormatInt(p.id, 10) + "-" + b.String() + ".vcf"
}

// valid is s as valid UTF-8.
func valid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
