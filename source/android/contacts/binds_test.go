package contacts

import (
	"slices"
	"testing"

	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

func TestRowBinds(t *testing.T) {
	for _, c := range []struct {
		name string
		row  content.Row
		want []content.Bind
	}{
		{"phone: type code as i, number as s", content.Row{"_id": "9", "raw_contact_id": "5", "mimetype": mimePhone,
			"is_primary": "1", "data1": "007", "data2": "2", "data3": "x"},
			[]content.Bind{bind("raw_contact_id", "i", "5"), bind("mimetype", "s", mimePhone), bind("is_primary", "i", "1"),
				bind("data1", "s", "007"), bind("data2", "i", "2"), bind("data3", "s", "x")}},
		{"name: data2 is the given name", content.Row{"mimetype": mimeName, "data2": "42", "data1": "42"},
			[]content.Bind{bind("mimetype", "s", mimeName), bind("data1", "s", "42"), bind("data2", "s", "42")}},
		{"im protocol as i", content.Row{"mimetype": mimeIm, "data1": "me", "data5": "-1", "data6": "Signal"},
			[]content.Bind{bind("mimetype", "s", mimeIm), bind("data1", "s", "me"), bind("data5", "i", "-1"), bind("data6", "s", "Signal")}},
		{"app row: data2 stays s", content.Row{"mimetype": "vnd.x", "data2": "3"},
			[]content.Bind{bind("mimetype", "s", "vnd.x"), bind("data2", "s", "3")}},
		{"not a number stays s; big raw id is l; others sorted last", content.Row{"mimetype": mimeEmail, "data2": "two",
			"raw_contact_id": "4294967296", "zz": "1", "is_super_primary": "0"},
			[]content.Bind{bind("raw_contact_id", "l", "4294967296"), bind("mimetype", "s", mimeEmail), bind("data2", "s", "two"),
				bind("is_super_primary", "i", "0"), bind("zz", "s", "1")}},
	} {
		if got := RowBinds(c.row); !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, c.want)
		}
	}
}

func bind(name, typ, value string) content.Bind {
	return content.Bind{Name: name, Type: typ, Value: value}
}
