package contacts

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// rowsOf renders the rows of mimetype m as "col=val|..." over cols.
func rowsOf(rows []content.Row, m string, cols ...string) []string {
	var out []string
	for _, r := range find(rows, m) {
		var parts []string
		for _, c := range cols {
			parts = append(parts, r[c])
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return out
}

// TestAndroidCustom: what Android's VCardComposer writes beyond the
// standard properties: X-ANDROID-CUSTOM nickname, relation and event rows
// (quoted-printable UTF-8 among them), custom labels as TYPE=X-label, an
// app's own row (skipped) and X-ANDROID-STARRED.
func TestAndroidCustom(t *testing.T) {
	card := "BEGIN:VCARD\r\nVERSION:2.1\r\n" +
		"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=89lodie;Dupont;;;\r\n" +
		"TEL;X-Boat:+33 6 00 00 00 01\r\n" +
		"TEL;X-Other:+33 6 00 00 00 02\r\n" +
		"TEL;WORK;CELL:+33 6 00 00 00 03\r\n" +
		"TEL;PREF;HOME:+33 1 00 00 00 04\r\n" +
		"EMAIL;X-Club:club@example.fr\r\n" +
		"X-ANDROID-CUSTOM;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:vnd.android.cursor.item/nickname;=C3=89lo;1;;;;;;;;;;;;;\r\n" +
		"X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Marie\\;Anne;0;Godmother;;;;;;;;;;;;\r\n" +
		"X-ANDROID-CUSTOM:vnd.android.cursor.item/contact_event;2001-01-01;0;Met;;;;;;;;;;;;\r\n" +
		"X-ANDROID-CUSTOM:vnd.com.whatsapp.profile;33600000001@s.whatsapp.net;WhatsApp;;;;;;;;;;;;;\r\n" +
		"X-ANDROID-STARRED:1\r\n" +
		"END:VCARD\r\n"
	in, err := FromVCard([]byte(card))
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	check("name", rowsOf(in.Data, mimeName, "data1", "data2", "data3"), []string{"|Dupont|Élodie"})
	check("phones", rowsOf(in.Data, mimePhone, "data1", "data2", "data3", "is_primary"), []string{
		"+33 6 00 00 00 01|0|Boat|0", "+33 6 00 00 00 02|7||0", "+33 6 00 00 00 03|17||0", "+33 1 00 00 00 04|1||1"})
	check("emails", rowsOf(in.Data, mimeEmail, "data1", "data2", "data3"), []string{"club@example.fr|0|Club"})
	check("nickname", rowsOf(in.Data, mimeNickname, "data1", "data2"), []string{"Élo|1"})
	check("relation", rowsOf(in.Data, mimeRelation, "data1", "data2", "data3"), []string{"Marie;Anne|0|Godmother"})
	check("event", rowsOf(in.Data, mimeEvent, "data1", "data2", "data3"), []string{"2001-01-01|0|Met"})
	check("skipped", in.Skipped, []string{"X-ANDROID-CUSTOM"})
	if !in.Starred {
		t.Error("not starred")
	}
	if in.Data[0]["mimetype"] != mimeName {
		t.Errorf("first row is %s, want the name", in.Data[0]["mimetype"])
	}
}

// TestVCard4: vCard 4.0 forms: tel: URIs, PREF=1, SORT-AS, basic-format
// dates, ANNIVERSARY, IMPP with known and unknown schemes, CATEGORIES,
// KIND, GEO skipped.
func TestVCard4(t *testing.T) {
	card := "BEGIN:VCARD\nVERSION:4.0\nKIND:individual\n" +
		"FN:Ana María\nN;SORT-AS=\"Garcia,Ana\":García;Ana;;;\n" +
		"TEL;VALUE=uri;TYPE=\"voice,cell\";PREF=1:tel:+34-600-000-001\n" +
		"EMAIL;TYPE=work:ana@example.es\n" +
		"BDAY:19850412\nANNIVERSARY:--0612\n" +
		"IMPP;PREF=1:xmpp:ana@example.es\nIMPP:matrix:@ana:example.es\n" +
		"CATEGORIES:Friends,Work\\, Team,Friends\n" +
		"GEO:geo:40.4,-3.7\nX-STARRED:true\nEND:VCARD\n"
	in, err := FromVCard([]byte(card))
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	check("name", rowsOf(in.Data, mimeName, "data1", "data2", "data3", "data7", "data9"), []string{"Ana María|Ana|García|Ana|Garcia"})
	check("phones", rowsOf(in.Data, mimePhone, "data1", "data2", "is_primary"), []string{"+34-600-000-001|2|1"})
	check("emails", rowsOf(in.Data, mimeEmail, "data1", "data2"), []string{"ana@example.es|2"})
	check("events", rowsOf(in.Data, mimeEvent, "data1", "data2"), []string{"1985-04-12|3", "--06-12|1"})
	check("im", rowsOf(in.Data, mimeIm, "data1", "data5", "data6"), []string{"ana@example.es|7|", "@ana:example.es|-1|matrix"})
	check("groups", in.Groups, []string{"Friends", "Work, Team"})
	check("skipped", in.Skipped, []string{"GEO"})
	if !in.Starred {
		t.Error("not starred")
	}
}

// TestFromVCardEmpty: a card with nothing to insert is an error, and
// garbage is not a panic.
func TestFromVCardEmpty(t *testing.T) {
	for _, c := range []string{"", "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n",
		"BEGIN:VCARD\r\nPHOTO;ENCODING=b:AAAA\r\nEND:VCARD\r\n", "not a card at all"} {
		if in, err := FromVCard([]byte(c)); err == nil {
			t.Errorf("%q: no error, %+v", c, in)
		}
	}
}

// TestRestoreThroughThePhone: the rows FromVCard makes of a card with
// hostile values, bound with RowBinds and sent with InsertCommand through
// the real adb to the fake phone, read back with content query equal to
// what was sent, and have the card's signature.
func TestRestoreThroughThePhone(t *testing.T) {
	const uri = "content://com.android.contacts/data"
	cols := append([]string{"_id", "raw_contact_id", "mimetype", "is_primary"}, DataProjection[4:]...)
	p := fakeadb.Start(t, fakeadb.Options{Content: fakeadb.Provider{uri: &fakeadb.Table{Columns: cols}}})
	card := "BEGIN:VCARD\r\nVERSION:3.0\r\nN:O'Brien\\, data2=7;Seán;;;\r\nFN:Seán O'Brien\r\n" +
		"TEL;TYPE=CELL:+353 1 000 0000\r\nNOTE:first line\\nsecond, data3=x\\n'quoted'\r\n" +
		"item1.EMAIL:s@example.ie\r\nitem1.X-ABLabel:Ceól; ケルト\r\nEND:VCARD\r\n"
	in, err := FromVCard([]byte(card))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range in.Data {
		r := maps.Clone(r)
		r["raw_contact_id"] = "5"
		cmd, err := content.InsertCommand(uri, RowBinds(r))
		if err != nil {
			t.Fatal(err)
		}
		if out, err := p.ADB("-s", p.Serial, "shell", cmd); err != nil || len(out) != 0 {
			t.Fatalf("insert: %v\n%s", err, out)
		}
	}
	ins := p.Inserts()
	if len(ins) != len(in.Data) {
		t.Fatalf("%d inserts, want %d", len(ins), len(in.Data))
	}
	// Read back column by column (a value holding ", data2=" would be
	// cut by Parse if another column followed it).
	back := make([]content.Row, len(in.Data))
	for i := range back {
		back[i] = content.Row{"raw_contact_id": "5"}
	}
	for _, c := range cols[2:] {
		q := content.Query{URI: uri, Projection: []string{"_id", c}}
		qc, err := q.Command()
		if err != nil {
			t.Fatal(err)
		}
		out, err := p.ADB("-s", p.Serial, "exec-out", qc)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := content.Parse(out, q.Projection)
		if err != nil || len(rows) != len(back) {
			t.Fatalf("query %s: %d rows, %v", c, len(rows), err)
		}
		for i, r := range rows {
			if v, ok := r[c]; ok {
				back[i][c] = v
			}
		}
	}
	for i, r := range in.Data {
		for c, v := range r {
			if back[i][c] != v {
				t.Errorf("row %d %s: read back %q, sent %q", i, c, back[i][c], v)
			}
		}
	}
	if Signature(back) != Signature(in.Data) {
		t.Error("signature of the rows read back differs")
	}
	name := find(back, mimeName)
	if len(name) != 1 || name[0]["data3"] != "O'Brien, data2=7" || name[0]["data2"] != "Seán" {
		t.Errorf("name read back %v", name)
	}
	if e := find(back, mimeEmail); len(e) != 1 || e[0]["data3"] != "Ceól; ケルト" || e[0]["data2"] != "0" {
		t.Errorf("email read back %v", e)
	}
	if n := find(back, mimeNote); len(n) != 1 || n[0]["data1"] != "first line\nsecond, data3=x\n'quoted'" {
		t.Errorf("note read back %v", n)
	}
}

// TestRelations: Apple's X-ABRELATEDNAMES with built-in and custom labels,
// vCard 4 RELATED, Evolution's X-EVOLUTION-SPOUSE.
func TestRelations(t *testing.T) {
	card := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A B\r\n" +
		"item1.X-ABRELATEDNAMES:Jane\r\nitem1.X-ABLabel:_$!<Spouse>!$_\r\n" +
		"item2.X-ABRELATEDNAMES:Bob\r\nitem2.X-ABLabel:Godfather\r\n" +
		"RELATED;TYPE=friend;VALUE=text:Carol\r\nX-EVOLUTION-SPOUSE:Dan\r\nEND:VCARD\r\n"
	in, err := FromVCard([]byte(card))
	if err != nil {
		t.Fatal(err)
	}
	got := rowsOf(in.Data, mimeRelation, "data1", "data2", "data3")
	if want := []string{"Jane|14|", "Bob|0|Godfather", "Carol|6|", "Dan|14|"}; !slices.Equal(got, want) {
		t.Errorf("relations %q, want %q", got, want)
	}
}
