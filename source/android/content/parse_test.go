package content

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// render prints rows exactly as Content.java's QueryCommand does: one
// println per row, "Row: N " then col=val joined by ", ", NULL for a
// missing value.
func render(projection []string, rows []Row) []byte {
	if len(rows) == 0 {
		return []byte(noResult + "\n")
	}
	var b strings.Builder
	for n, r := range rows {
		b.WriteString("Row: ")
		b.WriteString(strconv.Itoa(n))
		b.WriteString(" ")
		for i, c := range projection {
			if i > 0 {
				b.WriteString(", ")
			}
			v, ok := r[c]
			if !ok {
				v = "NULL"
			}
			b.WriteString(c + "=" + v)
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

var proj = []string{"_id", "raw_contact_id", "mimetype", "data1", "data2"}

func TestParse(t *testing.T) {
	cases := []struct {
		name string
		rows []Row
	}{
		{"none", []Row{}},
		{"plain", []Row{{"_id": "1", "raw_contact_id": "7", "mimetype": "vnd.android.cursor.item/name", "data1": "Ada Lovelace", "data2": "Ada"}}},
		{"nulls", []Row{{"_id": "1", "raw_contact_id": "7"}, {"_id": "2", "data2": "x"}}},
		{"commas and equals", []Row{{"_id": "1", "raw_contact_id": "2", "mimetype": "m", "data1": "a, b=c, d", "data2": "x=y, z"}}},
		{"next column name in a value after another", []Row{{"_id": "1", "raw_contact_id": "2", "mimetype": "m", "data1": "see data2 and _id=3", "data2": ""}}},
		{"newlines", []Row{
			{"_id": "1", "raw_contact_id": "2", "mimetype": "note", "data1": "line one\nline two\n\nRow: 5 not a row\nRow: x _id=1", "data2": "last\n"},
			{"_id": "2", "raw_contact_id": "2", "mimetype": "note", "data1": "", "data2": "\n"},
		}},
		{"scripts", []Row{{"_id": "1", "raw_contact_id": "1", "mimetype": "m", "data1": "Пётр Чайковский", "data2": "李小龍, محمد"}}},
		{"blob", []Row{{"_id": "1", "raw_contact_id": "1", "mimetype": "vnd.android.cursor.item/photo", "data1": "BLOB"}}},
		{"empty values", []Row{{"_id": "", "raw_contact_id": "", "mimetype": "", "data1": "", "data2": ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Parse(render(proj, c.rows), proj)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.rows) {
				t.Fatalf("got %q\nwant %q", got, c.rows)
			}
		})
	}
}

// TestParseManyRows checks row numbers of several digits.
func TestParseManyRows(t *testing.T) {
	p := []string{"_id", "v"}
	var b strings.Builder
	for n := range 120 {
		b.WriteString("Row: " + strconv.Itoa(n) + " _id=" + strconv.Itoa(n) + ", v=a, v=b\n")
	}
	rows, err := Parse([]byte(b.String()), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 120 || rows[119]["_id"] != "119" || rows[7]["v"] != "a, v=b" {
		t.Fatalf("got %d rows, last %q, row 7 %q", len(rows), rows[len(rows)-1], rows[7])
	}
}

func TestParseHostile(t *testing.T) {
	p := []string{"_id", "a", "b"}
	cases := []struct {
		name, out string
		want      error
	}{
		{"empty", "", ErrNoOutput},
		{"truncated mid row", "Row: 0 _id=1, a=2, b=3\nRow: 1 _id=2, a=", ErrMalformed},
		{"truncated before newline", "Row: 0 _id=1, a=2, b=3", ErrMalformed},
		{"first row not 0", "Row: 1 _id=1, a=2, b=3\n", ErrMalformed},
		{"row skipped", "Row: 0 _id=1, a=2, b=3\nRow: 2 _id=1, a=2, b=3\n", ErrMalformed},
		{"column missing", "Row: 0 _id=1, b=3\n", ErrMalformed},
		{"columns swapped", "Row: 0 _id=1, b=3, a=2\n", ErrMalformed},
		{"usage text", "usage: adb shell content [subcommand] [options]\n", ErrMalformed},
		{"only newline", "\n", ErrMalformed},
		{"value imitating a row", "Row: 0 _id=1, a=2, b=3\nRow: 9 _id=4\n", ErrMalformed},
		{"error line", "[ERROR] Unsupported argument: --bogus\n", ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, err := Parse([]byte(c.out), p)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, %v; want %v", rows, err, c.want)
			}
			if strings.Contains(err.Error(), "=2") {
				t.Fatalf("error quotes a value: %v", err)
			}
		})
	}
}

func TestParseProjection(t *testing.T) {
	for _, p := range [][]string{nil, {""}, {"a", "a"}, {"a b"}, {"a:b"}, {"a,b"}, {"a=b"}} {
		if _, err := Parse([]byte("No result found.\n"), p); err == nil {
			t.Errorf("projection %q accepted", p)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("Row: 0 _id=1, a=x, b=y\nRow: 1 _id=2, a=NULL, b=z\n"), "_id:a:b")
	f.Add([]byte("No result found.\n"), "_id")
	f.Add([]byte("Row: 0 _id=1\n\nRow: 1 _id=\n"), "_id")
	f.Add([]byte("Row: 0 x=, y=, x=\n"), "x:y")
	f.Fuzz(func(t *testing.T, out []byte, projection string) {
		p := strings.Split(projection, ":")
		rows, err := Parse(out, p)
		if err != nil {
			return
		}
		// What parses renders back to the same bytes, NULLs aside
		// (a "NULL" value and a missing one print alike).
		if len(rows) > 0 {
			if got := render(p, rows); string(got) != string(out) {
				t.Fatalf("round trip: %q -> %q", out, got)
			}
		}
	})
}

// BenchmarkParse parses 10,000 data rows of 18 columns.
func BenchmarkParse(b *testing.B) {
	p := []string{"_id", "raw_contact_id", "mimetype", "is_primary", "data1", "data2", "data3", "data4", "data5",
		"data6", "data7", "data8", "data9", "data10", "data11", "data12", "data13", "data14"}
	var rows []Row
	for i := range 10000 {
		r := Row{"_id": strconv.Itoa(i), "raw_contact_id": strconv.Itoa(i / 10), "mimetype": "vnd.android.cursor.item/phone_v2",
			"is_primary": "0", "data1": "+1 555 0100, ext. 7", "data2": "2", "data4": "+15550100"}
		rows = append(rows, r)
	}
	out := render(p, rows)
	b.SetBytes(int64(len(out)))
	b.ResetTimer()
	for range b.N {
		if _, err := Parse(out, p); err != nil {
			b.Fatal(err)
		}
	}
}
