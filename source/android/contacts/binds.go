package contacts

import (
	"slices"
	"strconv"

	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// intColumns are the columns of a data row the provider reads as numbers.
var intColumns = map[string]bool{"raw_contact_id": true, "is_primary": true, "is_super_primary": true}

// RowBinds makes the --bind list of one data row for `content insert`
// into content://com.android.contacts/data: the columns of DataProjection
// in its order, then any others sorted, _id left out and NULL (absent)
// columns too. raw_contact_id, is_primary, is_super_primary, the type code
// data2 (every standard kind but the name, whose data2 is the given name)
// and an Im row's protocol data5 are bound as i when they are integers
// (raw_contact_id as l beyond 32 bits);
// every other value is s, so "007" stays "007".
func RowBinds(r content.Row) []content.Bind {
	cols := make([]string, 0, len(r))
	for c := range r {
		if c != "_id" {
			cols = append(cols, c)
		}
	}
	slices.SortFunc(cols, func(a, b string) int {
		ia, ib := slices.Index(DataProjection, a), slices.Index(DataProjection, b)
		switch {
		case ia >= 0 && ib >= 0:
			return ia - ib
		case ia >= 0:
			return -1
		case ib >= 0:
			return 1
		}
		if a < b {
			return -1
		}
		return 1
	})
	mime := r["mimetype"]
	standard := kindRank(mime) < len(kindOrder) || mime == mimeGroup
	var binds []content.Bind
	for _, c := range cols {
		v, typ := r[c], "s"
		isInt := intColumns[c] || c == "data2" && standard && mime != mimeName || c == "data5" && mime == mimeIm
		if _, err := strconv.ParseInt(v, 10, 32); isInt && err == nil {
			typ = "i"
		} else if _, err := strconv.ParseInt(v, 10, 64); c == "raw_contact_id" && err == nil {
			typ = "l"
		}
		binds = append(binds, content.Bind{Name: c, Type: typ, Value: v})
	}
	return binds
}
