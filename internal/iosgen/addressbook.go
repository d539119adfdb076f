package iosgen

import (
	"database/sql"
	"fmt"
	"sort"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// The paths of the address book in HomeDomain.
const (
	AddressBookPath       = "Library/AddressBook/AddressBook.sqlitedb"
	AddressBookImagesPath = "Library/AddressBook/AddressBookImages.sqlitedb"
)

// ABProperty numbers of ABMultiValue.property.
const (
	ABPhone   = 3
	ABEmail   = 4
	ABAddress = 5
	ABDate    = 12
	ABIM      = 13
	ABURL     = 22
	ABRelated = 23
	ABSocial  = 46
)

// Labelled is one value of a multi-value property with its label as
// ABMultiValueLabel holds it ("_$!<Mobile>!$_", "iPhone", a custom one,
// or "" for none).
type Labelled struct{ Label, Value string }

// Address is a postal address (an ABMultiValue of property 5 and its
// ABMultiValueEntry rows).
type Address struct {
	Label                                string
	Street, City, State, ZIP, Country    string
	CountryCode, SubLocality, SubAdmArea string
}

// Contact is one ABPerson row with its multi-values and picture.
type Contact struct {
	RowID                               int64  // ABPerson.ROWID; 0 is its index + 1
	GUID                                string // ABPerson.guid; "" leaves it NULL
	Kind                                int    // 0 person, 1 organization
	First, Last, Middle, Prefix, Suffix string
	Nickname, Organization, Department  string
	JobTitle, Note                      string
	FirstPhonetic, LastPhonetic         string
	Birthday                            string // "1990-05-17", "--05-17" without a year, "" none
	Phones, Emails, URLs, Related       []Labelled
	Dates                               []Labelled // Value "2015-06-20"
	Addresses                           []Address
	IM                                  []Labelled // Value "service:username"
	Photo                               []byte     // ABFullSizeImage data, a JPEG
	// Modified is ABPerson.ModificationDate; zero is 2025-09-19
	// (780000000 seconds after 2001), a date before every edit.
	Modified time.Time
}

// addressBookSchema is the part of iOS 17's AddressBook.sqlitedb schema a
// reader uses (iLEAPP's addressBook.py and lifeboat's), with iOS's column
// names and types; guid has no ab_generate_guid() default, a function
// only iOS registers.
const addressBookSchema = `
CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, First TEXT, Last TEXT, Middle TEXT, FirstPhonetic TEXT, MiddlePhonetic TEXT, LastPhonetic TEXT, Organization TEXT, Department TEXT, Note TEXT, Kind INTEGER, Birthday TEXT, JobTitle TEXT, Nickname TEXT, Prefix TEXT, Suffix TEXT, FirstSort TEXT, LastSort TEXT, CreationDate INTEGER, ModificationDate INTEGER, CompositeNameFallback TEXT, ExternalIdentifier TEXT, ExternalModificationTag TEXT, ExternalUUID TEXT, StoreID INTEGER, DisplayName TEXT, ExternalRepresentation BLOB, FirstSortSection TEXT, LastSortSection TEXT, FirstSortLanguageIndex INTEGER DEFAULT 2147483647, LastSortLanguageIndex INTEGER DEFAULT 2147483647, PersonLink INTEGER DEFAULT -1, ImageURI TEXT, IsPreferredName INTEGER DEFAULT 1, guid TEXT, PhonemeData TEXT, AlternateBirthday TEXT, MapsData TEXT, UNIQUE(guid));
CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, identifier INTEGER, label INTEGER, value TEXT, guid TEXT, UNIQUE(guid));
CREATE TABLE ABMultiValueEntry (parent_id INTEGER, key INTEGER, value TEXT, UNIQUE(parent_id, key));
CREATE TABLE ABMultiValueEntryKey (value TEXT, UNIQUE(value));
CREATE TABLE ABMultiValueLabel (value TEXT, UNIQUE(value));
CREATE TABLE ABStore (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, Name TEXT, Type INTEGER);
CREATE TABLE ABGroup (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, Name TEXT);
CREATE TABLE ABGroupMembers (UID INTEGER PRIMARY KEY, group_id INTEGER, member_type INTEGER, member_id INTEGER, UNIQUE(group_id, member_type, member_id));
`

const imagesSchema = `
CREATE TABLE ABThumbnailImage (record_id INTEGER, format INTEGER, derived_from_format INTEGER, data BLOB, crop_x INTEGER, crop_y INTEGER, crop_width INTEGER, crop_height INTEGER, UNIQUE(record_id, format));
CREATE TABLE ABFullSizeImage (record_id INTEGER, crop_x INTEGER, crop_y INTEGER, crop_width INTEGER, crop_height INTEGER, data BLOB, UNIQUE(record_id));
`

// cocoa is 2001-01-01, the zero of the address book's dates.
var cocoa = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)

// CocoaDate is a "YYYY-MM-DD" or "--MM-DD" date as the address book stores
// it: seconds since 2001-01-01 at noon UTC, year 1604 standing for none.
func CocoaDate(d string) (string, error) {
	if len(d) == 7 && d[:2] == "--" {
		d = "1604" + d[1:]
	}
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d.0", t.Unix()+12*3600-cocoa.Unix()), nil
}

// AddressBookFiles are the HomeDomain files of an address book holding
// contacts, for Options.Files.
func AddressBookFiles(contacts []Contact) ([]File, error) {
	db, images, err := AddressBook(contacts, nil)
	if err != nil {
		return nil, err
	}
	return []File{
		{Domain: "HomeDomain", RelativePath: AddressBookPath, Data: db},
		{Domain: "HomeDomain", RelativePath: AddressBookImagesPath, Data: images},
	}, nil
}

// AddressBook writes AddressBook.sqlitedb and AddressBookImages.sqlitedb
// holding contacts, and gives their bytes. order, when set, gives the
// order in which the ABPerson rows are inserted (indexes into contacts):
// the same contacts in another order must read the same.
func AddressBook(contacts []Contact, order []int) (db, images []byte, err error) {
	if order == nil {
		for i := range contacts {
			order = append(order, i)
		}
	}
	db, err = sqliteBytes(addressBookSchema, func(tx *sql.Tx) error { return fillAddressBook(tx, contacts, order) })
	if err != nil {
		return nil, nil, fmt.Errorf("AddressBook.sqlitedb: %w", err)
	}
	images, err = sqliteBytes(imagesSchema, func(tx *sql.Tx) error {
		for _, i := range order {
			c := contacts[i]
			if c.Photo == nil {
				continue
			}
			if _, err := tx.Exec(`INSERT INTO ABFullSizeImage (record_id, crop_x, crop_y, crop_width, crop_height, data) VALUES (?, 0, 0, 100, 100, ?)`, rowID(c, i), c.Photo); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("AddressBookImages.sqlitedb: %w", err)
	}
	return db, images, nil
}

// modified is c's ModificationDate: seconds since 2001.
func modified(c Contact) int64 {
	if c.Modified.IsZero() {
		return 780000000
	}
	return c.Modified.Unix() - cocoa.Unix()
}

func rowID(c Contact, i int) int64 {
	if c.RowID != 0 {
		return c.RowID
	}
	return int64(i + 1)
}

// ids gives the ROWID of a label or entry key, inserting it on first use.
type ids struct {
	tx    *sql.Tx
	table string
	m     map[string]int64
}

func (x *ids) id(v string) (any, error) {
	if v == "" {
		return nil, nil
	}
	if id, ok := x.m[v]; ok {
		return id, nil
	}
	r, err := x.tx.Exec(`INSERT INTO `+x.table+` (value) VALUES (?)`, v)
	if err != nil {
		return nil, err
	}
	id, err := r.LastInsertId()
	x.m[v] = id
	return id, err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func fillAddressBook(tx *sql.Tx, contacts []Contact, order []int) error {
	labels := &ids{tx: tx, table: "ABMultiValueLabel", m: map[string]int64{}}
	keys := &ids{tx: tx, table: "ABMultiValueEntryKey", m: map[string]int64{}}
	uid := int64(0)
	for _, i := range order {
		c := contacts[i]
		id := rowID(c, i)
		var bday any
		if c.Birthday != "" {
			s, err := CocoaDate(c.Birthday)
			if err != nil {
				return fmt.Errorf("contact %d: birthday: %w", id, err)
			}
			bday = s
		}
		if _, err := tx.Exec(`INSERT INTO ABPerson (ROWID, First, Last, Middle, Prefix, Suffix, Nickname, Organization, Department, JobTitle, Note, FirstPhonetic, LastPhonetic, Kind, Birthday, guid, CreationDate, ModificationDate, StoreID)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 700000000, ?, 0)`,
			id, nullable(c.First), nullable(c.Last), nullable(c.Middle), nullable(c.Prefix), nullable(c.Suffix),
			nullable(c.Nickname), nullable(c.Organization), nullable(c.Department), nullable(c.JobTitle), nullable(c.Note),
			nullable(c.FirstPhonetic), nullable(c.LastPhonetic), c.Kind, bday, nullable(c.GUID), modified(c)); err != nil {
			return err
		}
		// Multi-value UIDs follow the person so that another insertion
		// order gives each value the same UID.
		uid = id * 1000
		add := func(prop int, l Labelled, entries map[string]string) error {
			uid++
			lab, err := labels.id(l.Label)
			if err != nil {
				return err
			}
			var value any = nullable(l.Value)
			if prop == ABDate {
				s, err := CocoaDate(l.Value)
				if err != nil {
					return fmt.Errorf("contact %d: date: %w", id, err)
				}
				value = s
			}
			if _, err := tx.Exec(`INSERT INTO ABMultiValue (UID, record_id, property, identifier, label, value) VALUES (?, ?, ?, ?, ?, ?)`,
				uid, id, prop, uid%1000-1, lab, value); err != nil {
				return err
			}
			ks := make([]string, 0, len(entries))
			for k := range entries {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			for _, k := range ks {
				v := entries[k]
				if v == "" {
					continue
				}
				key, err := keys.id(k)
				if err != nil {
					return err
				}
				if _, err := tx.Exec(`INSERT INTO ABMultiValueEntry (parent_id, key, value) VALUES (?, ?, ?)`, uid, key, v); err != nil {
					return err
				}
			}
			return nil
		}
		for _, p := range []struct {
			prop int
			vs   []Labelled
		}{{ABPhone, c.Phones}, {ABEmail, c.Emails}, {ABURL, c.URLs}, {ABRelated, c.Related}, {ABDate, c.Dates}} {
			for _, l := range p.vs {
				if err := add(p.prop, l, nil); err != nil {
					return err
				}
			}
		}
		for _, a := range c.Addresses {
			if err := add(ABAddress, Labelled{Label: a.Label}, map[string]string{
				"Street": a.Street, "City": a.City, "State": a.State, "ZIP": a.ZIP, "Country": a.Country,
				"CountryCode": a.CountryCode, "SubLocality": a.SubLocality, "SubAdministrativeArea": a.SubAdmArea,
			}); err != nil {
				return err
			}
		}
		for _, im := range c.IM {
			svc, user := splitIM(im.Value)
			if err := add(ABIM, Labelled{Label: im.Label}, map[string]string{"service": svc, "username": user}); err != nil {
				return err
			}
		}
	}
	return nil
}

func splitIM(v string) (service, user string) {
	for i := 0; i < len(v); i++ {
		if v[i] == ':' {
			return v[:i], v[i+1:]
		}
	}
	return "", v
}
