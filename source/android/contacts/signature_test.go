package contacts

import (
	"maps"
	"math/rand/v2"
	"testing"

	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// contactRows is the data rows of fixture raw contact id.
func contactRows(id string) []content.Row {
	_, data, _ := fixture()
	var rows []content.Row
	for _, d := range data {
		if d["raw_contact_id"] == id {
			rows = append(rows, d)
		}
	}
	return rows
}

func cloneRows(rows []content.Row) []content.Row {
	out := make([]content.Row, len(rows))
	for i, r := range rows {
		out[i] = maps.Clone(r)
	}
	return out
}

// TestSignatureIgnores: ids, raw_contact_id, order, account, is_primary,
// duplicate rows, the provider's derived columns and blank differences
// do not change a signature.
func TestSignatureIgnores(t *testing.T) {
	for _, id := range []string{"1", "2", "3", "4", "6"} {
		rows := contactRows(id)
		base := Signature(rows)
		other := cloneRows(rows)
		rng := rand.New(rand.NewPCG(1, uint64(len(id))))
		rng.Shuffle(len(other), func(i, j int) { other[i], other[j] = other[j], other[i] })
		for i, r := range other {
			r["_id"] = itoa(900 + i)
			r["raw_contact_id"] = "77"
			r["account_name"], r["account_type"] = "someone@example.com", "com.google"
			r["is_primary"], r["is_super_primary"] = "1", "1"
			r["data_version"] = "9"
			switch r["mimetype"] {
			case mimePhone:
				r["data4"] = "+" + dialable(r["data1"]) // the provider's normalized number
			case mimeName:
				r["data10"], r["data11"] = "3", "0" // full-name and phonetic-name style
			}
		}
		other = append(other, maps.Clone(other[0])) // a duplicate row
		if got := Signature(other); got != base {
			t.Errorf("raw %s: signature changed by ids, order, account or derived columns", id)
		}
	}
	// Spacing and dashes of a number, NFC and blanks of text.
	a := []content.Row{{"mimetype": mimePhone, "data1": "+44 20 7946-0000", "data2": "2"},
		{"mimetype": mimeName, "data1": "Zoe\u0308  Smith"}}
	b := []content.Row{{"mimetype": mimePhone, "data1": "+442079460000", "data2": "2"},
		{"mimetype": mimeName, "data1": "Zoë Smith "}}
	if Signature(a) != Signature(b) {
		t.Error("formatting of a number or NFC/blanks of a name changed the signature")
	}
	// Photo, group and app rows do not count.
	c := append(cloneRows(b), content.Row{"mimetype": mimePhoto, "data15": "BLOB"},
		content.Row{"mimetype": mimeGroup, "data1": "5"}, content.Row{"mimetype": "vnd.com.whatsapp.profile", "data1": "x"})
	if Signature(c) != Signature(b) {
		t.Error("photo, group or app rows changed the signature")
	}
}

// TestSignatureDiffers: a changed number, name, type, label or a row more
// or less changes the signature.
func TestSignatureDiffers(t *testing.T) {
	rows := contactRows("1")
	base := Signature(rows)
	for _, c := range []struct {
		name string
		edit func([]content.Row) []content.Row
	}{
		{"phone number", func(r []content.Row) []content.Row { set(r, mimePhone, "data1", "+44 20 7946 0009"); return r }},
		{"display name", func(r []content.Row) []content.Row { set(r, mimeName, "data1", "Ada King"); return r }},
		{"phonetic name", func(r []content.Row) []content.Row { set(r, mimeName, "data7", "アダ"); return r }},
		{"phone type", func(r []content.Row) []content.Row { set(r, mimePhone, "data2", "1"); return r }},
		{"email", func(r []content.Row) []content.Row { set(r, mimeEmail, "data1", "ada@example.org"); return r }},
		{"birthday", func(r []content.Row) []content.Row { set(r, mimeEvent, "data1", "1815-12-11"); return r }},
		{"note", func(r []content.Row) []content.Row { set(r, mimeNote, "data1", "Line one"); return r }},
		{"one phone less", func(r []content.Row) []content.Row {
			for i, x := range r {
				if x["mimetype"] == mimePhone {
					return append(r[:i], r[i+1:]...)
				}
			}
			return r
		}},
		{"a nickname more", func(r []content.Row) []content.Row {
			return append(r, content.Row{"mimetype": mimeNickname, "data1": "Ada"})
		}},
	} {
		if Signature(c.edit(cloneRows(rows))) == base {
			t.Errorf("%s: signature unchanged", c.name)
		}
	}
	// The label of a custom phone type counts.
	x := []content.Row{{"mimetype": mimePhone, "data1": "1", "data2": "0", "data3": "Boat"}}
	y := []content.Row{{"mimetype": mimePhone, "data1": "1", "data2": "0", "data3": "Car"}}
	if Signature(x) == Signature(y) {
		t.Error("custom label ignored")
	}
}

// set sets col of the first row of mimetype m.
func set(rows []content.Row, m, col, v string) {
	for _, r := range rows {
		if r["mimetype"] == m {
			r[col] = v
			return
		}
	}
}
