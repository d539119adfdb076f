package content

import (
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
)

const dataURI = "content://com.android.contacts/data"

// TestInsertCommandThroughThePhone: values holding ", data2=", a newline,
// a single quote, ':' and non-Latin text reach the provider whole through
// the real adb, the phone's shell and Content.java's bind parsing (as the
// fake phone does it), and a query reads them back.
func TestInsertCommandThroughThePhone(t *testing.T) {
	p := fakeadb.Start(t, fakeadb.Options{Content: fakeadb.Provider{dataURI: &fakeadb.Table{
		Columns: []string{"_id", "raw_contact_id", "mimetype", "data1", "data2", "data3"}}}})
	values := []string{
		"Smith, data2=7, data3=x",
		"line one\nline two\n",
		"O'Brien's \"note\" $HOME `id` \\n; | &",
		"Пётр Ильич 李小龍 محمد 🙂",
		"a:b:c",
		" leading and trailing blanks ",
	}
	for i, v := range values {
		binds := []Bind{{"raw_contact_id", "l", "12"}, {"mimetype", "s", "vnd.android.cursor.item/note"},
			{"data2", "i", "3"}, {"data3", "n", ""}, {"data1", "s", v}}
		cmd, err := InsertCommand(dataURI, binds)
		if err != nil {
			t.Fatal(err)
		}
		if out, err := p.ADB("-s", p.Serial, "shell", cmd); err != nil || len(out) != 0 {
			t.Fatalf("insert %d: %v\n%s", i, err, out)
		}
		ins := p.Inserts()
		got := ins[len(ins)-1]
		if got.URI != dataURI || len(got.Binds) != len(binds) {
			t.Fatalf("insert %d recorded as %+v", i, got)
		}
		for k, b := range got.Binds {
			if b.Name != binds[k].Name || b.Type != binds[k].Type || b.Value != binds[k].Value {
				t.Errorf("insert %d bind %d: %+v, want %+v", i, k, b, binds[k])
			}
		}
		q := Query{URI: dataURI, Projection: []string{"_id", "raw_contact_id", "data2", "data3", "data1"},
			Where: "_id=" + itoa(i+1)}
		qc, err := q.Command()
		if err != nil {
			t.Fatal(err)
		}
		out, err := p.ADB("-s", p.Serial, "exec-out", qc)
		if err != nil {
			t.Fatalf("query: %v\n%s", err, out)
		}
		rows, err := Parse(out, q.Projection)
		if err != nil || len(rows) != 1 {
			t.Fatalf("query %d: %d rows, %v\n%s", i, len(rows), err, out)
		}
		r := rows[0]
		if r["data1"] != v || r["data2"] != "3" || r["raw_contact_id"] != "12" || r["data3"] != "" {
			t.Errorf("row %d read back as %q, want data1 %q", i, r, v)
		}
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestInsertCommandRefuses(t *testing.T) {
	ok := []Bind{{"data1", "s", "x"}}
	for _, c := range []struct {
		name  string
		uri   string
		binds []Bind
	}{
		{"not content://", "file:///x", ok},
		{"bare scheme", "content://", ok},
		{"no binds", dataURI, nil},
		{"name with ':'", dataURI, []Bind{{"data1:s", "s", "x"}}},
		{"name with a space", dataURI, []Bind{{"data 1", "s", "x"}}},
		{"empty name", dataURI, []Bind{{"", "s", "x"}}},
		{"name starting with a digit", dataURI, []Bind{{"1data", "s", "x"}}},
		{"unknown type", dataURI, []Bind{{"data1", "x", "1"}}},
		{"upper-case S (Content.java compares s exactly)", dataURI, []Bind{{"data1", "S", "1"}}},
		{"i not an int", dataURI, []Bind{{"data2", "i", "two"}}},
		{"i beyond 32 bits", dataURI, []Bind{{"data2", "i", "4294967296"}}},
		{"b not a boolean", dataURI, []Bind{{"starred", "b", "yes"}}},
		{"n with a value", dataURI, []Bind{{"data3", "n", "x"}}},
		{"NUL in a value", dataURI, []Bind{{"data1", "s", "a\x00b"}}},
		{"NUL in the uri", dataURI + "\x00", ok},
	} {
		if cmd, err := InsertCommand(c.uri, c.binds); err == nil {
			t.Errorf("%s: accepted as %q", c.name, cmd)
		}
	}
	cmd, err := InsertCommand(dataURI, []Bind{{"data1", "s", "it's"}, {"data2", "i", "-2"}, {"x", "n", ""}})
	want := `'content' 'insert' '--uri' '` + dataURI + `' '--bind' 'data1:s:it'\''s' '--bind' 'data2:i:-2' '--bind' 'x:n:'`
	if err != nil || cmd != want {
		t.Errorf("got %q, %v\nwant %q", cmd, err, want)
	}
	if strings.Contains(cmd, "\x00") {
		t.Error("NUL in command")
	}
}
