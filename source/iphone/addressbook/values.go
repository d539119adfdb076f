package addressbook

import (
	"bytes"
	"database/sql"
	"fmt"
	"strings"
)

// readValues reads ABMultiValue with labels and entries, by record_id,
// each person's values in property, identifier and UID order.
func readValues(db *sql.DB, rep *Report, spent *int64) (map[int64][]value, error) {
	mv, err := columns(db, "ABMultiValue")
	if err != nil || len(mv) == 0 || !mv["record_id"] || !mv["property"] {
		return nil, err
	}
	lab, err := columns(db, "ABMultiValueLabel")
	if err != nil {
		return nil, err
	}
	uid, order := "NULL", "ABMultiValue.ROWID"
	if mv["UID"] {
		uid, order = "ABMultiValue.UID", "ABMultiValue.UID"
	}
	if mv["identifier"] {
		order = "ABMultiValue.identifier, " + order
	}
	label, join := "NULL", ""
	if mv["label"] && lab["value"] {
		label = textCol(lab, "l", "value", maxText)
		join = " LEFT JOIN ABMultiValueLabel l ON ABMultiValue.label = l.ROWID"
	}
	q := `SELECT ABMultiValue.record_id, ABMultiValue.property, ` + uid + `, ` + label + `, ` + textCol(mv, "ABMultiValue", "value", maxText) +
		` FROM ABMultiValue` + join + ` ORDER BY ABMultiValue.record_id, ABMultiValue.property, ` + order + ` LIMIT ?`
	rows, err := db.Query(q, maxValues+1)
	if err != nil {
		return nil, fmt.Errorf("address book: ABMultiValue: %w", err)
	}
	defer rows.Close()
	out := map[int64][]value{}
	byUID := map[int64]*value{}
	n := 0
	for rows.Next() {
		if n++; n > maxValues {
			return nil, fmt.Errorf("address book: more than %d values", maxValues)
		}
		var rec, prop, u sql.NullInt64
		var l, v sql.NullString
		if err := rows.Scan(&rec, &prop, &u, &l, &v); err != nil || !rec.Valid || !prop.Valid {
			rep.Skipped++
			continue
		}
		if len(out[rec.Int64]) == maxPerson {
			rep.Dropped++
			continue
		}
		if err := spend(spent, len(l.String)+len(v.String)); err != nil {
			return nil, err
		}
		out[rec.Int64] = append(out[rec.Int64], value{uid: u.Int64, prop: int(prop.Int64),
			label: valid(l.String), value: valid(v.String), hasValue: v.Valid && v.String != ""})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("address book: ABMultiValue: %w", err)
	}
	if !mv["UID"] {
		return out, nil
	}
	for k, vs := range out {
		for i := range vs {
			if p := vs[i].prop; p == propAddress || p == propIM || p == propSocial {
				byUID[vs[i].uid] = &out[k][i]
			}
		}
	}
	return out, readEntries(db, byUID, rep, spent)
}

// readEntries fills the entries (address parts, IM and social profile
// fields) of the values in byUID from ABMultiValueEntry.
func readEntries(db *sql.DB, byUID map[int64]*value, rep *Report, spent *int64) error {
	ent, err := columns(db, "ABMultiValueEntry")
	if err != nil || !ent["parent_id"] || !ent["key"] || !ent["value"] || len(byUID) == 0 {
		return err
	}
	keys, err := columns(db, "ABMultiValueEntryKey")
	if err != nil || !keys["value"] {
		return err
	}
	rows, err := db.Query(`SELECT e.parent_id, `+textCol(keys, "k", "value", maxText)+`, `+textCol(ent, "e", "value", maxText)+
		` FROM ABMultiValueEntry e JOIN ABMultiValueEntryKey k ON e.key = k.ROWID ORDER BY e.parent_id, k.value, e.value LIMIT ?`, maxValues+1)
	if err != nil {
		return fmt.Errorf("address book: ABMultiValueEntry: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if n++; n > maxValues {
			return fmt.Errorf("address book: more than %d entries", maxValues)
		}
		var parent sql.NullInt64
		var k, v sql.NullString
		if err := rows.Scan(&parent, &k, &v); err != nil || !parent.Valid {
			rep.Skipped++
			continue
		}
		mv := byUID[parent.Int64]
		if mv == nil || k.String == "" || v.String == "" {
			continue
		}
		if mv.entries == nil {
			mv.entries = map[string]string{}
		}
		if err := spend(spent, len(k.String)+len(v.String)); err != nil {
			return err
		}
		if _, dup := mv.entries[k.String]; !dup {
			mv.entries[valid(k.String)] = valid(v.String)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("address book: ABMultiValueEntry: %w", err)
	}
	return nil
}

// pictures reads AddressBookImages.
type pictures struct {
	db          *sql.DB
	full, thumb bool
}

func newPictures(db *sql.DB) (*pictures, error) {
	p := &pictures{db: db}
	if db == nil {
		return p, nil
	}
	for _, t := range []struct {
		name string
		ok   *bool
	}{{"ABFullSizeImage", &p.full}, {"ABThumbnailImage", &p.thumb}} {
		cols, err := columns(db, t.name)
		if err != nil {
			return nil, err
		}
		*t.ok = cols["record_id"] && cols["data"]
	}
	return p, nil
}

// photo is a person's picture: the full-size image if it is a JPEG or PNG
// of at most maxImage bytes, else the first such thumbnail (by format).
// dropped is a picture there was but none that could be used.
func (p *pictures) photo(id int64) (data []byte, typ string, dropped bool) {
	var qs []string
	if p.full {
		qs = append(qs, `SELECT length(data), CASE WHEN length(data) <= ?2 THEN data END FROM ABFullSizeImage WHERE record_id = ?1`)
	}
	if p.thumb {
		qs = append(qs, `SELECT length(data), CASE WHEN length(data) <= ?2 THEN data END FROM ABThumbnailImage WHERE record_id = ?1 ORDER BY format`)
	}
	for _, q := range qs {
		rows, err := p.db.Query(q, id, maxImage)
		if err != nil {
			dropped = true
			continue
		}
		for rows.Next() {
			var n sql.NullInt64
			var b []byte
			if rows.Scan(&n, &b) != nil || n.Int64 == 0 {
				continue
			}
			if t := imageType(b); t != "" {
				rows.Close()
				return b, t, false
			}
			dropped = true
		}
		rows.Close()
	}
	return nil, "", dropped
}

// imageType is "JPEG" or "PNG" by b's first bytes, "" for anything else
// (iOS keeps some thumbnails as raw pixels).
func imageType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		return "JPEG"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "PNG"
	}
	return ""
}

// entry gives the first of keys an entry map holds.
func entry(e map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(e[k]); v != "" {
			return v
		}
	}
	return ""
}
