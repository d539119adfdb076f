package pim

import (
	"slices"
	"testing"
)

// TestProperties: groups, escapes, parameter case and quoted-printable
// UTF-8 are kept or decoded as Property promises; BEGIN and END are not
// properties.
func TestProperties(t *testing.T) {
	card := "BEGIN:VCARD\r\r\nVERSION:2.1\r\r\n" +
		"item1.TEL;type=pref:+1 555\r\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\r\n" +
		"TEL;X-Boat;VOICE:+1 556\r\r\n" +
		"X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Mary\\; Jane;0;Aunt\\, dear;;\r\r\n" +
		"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E6=9D=8E;=E9=9B=B7=\r\r\n=E9=9B=B7;;;\r\r\n" +
		"PHOTO;ENCODING=BASE64;JPEG:AAAA\r\r\nEND:VCARD\r\r\n"
	props, err := Properties(RecContact, []byte(card))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range props {
		names = append(names, p.Group+"."+p.Name)
	}
	if want := []string{".VERSION", "item1.TEL", "item1.X-ABLABEL", ".TEL", ".X-ANDROID-CUSTOM", ".N", ".PHOTO"}; !slices.Equal(names, want) {
		t.Fatalf("properties %q, want %q", names, want)
	}
	if got := props[1].Param("TYPE"); !slices.Equal(got, []string{"pref"}) {
		t.Errorf("item1.TEL TYPE %q", got)
	}
	if got := props[3].Param("TYPE"); !slices.Equal(got, []string{"X-Boat", "VOICE"}) {
		t.Errorf("bare TYPE words %q, want case kept", got)
	}
	if got := SplitValue(props[4].Value, ';'); !slices.Equal(got, []string{"vnd.android.cursor.item/relation", "Mary; Jane", "0", "Aunt, dear", "", ""}) {
		t.Errorf("X-ANDROID-CUSTOM parts %q", got)
	}
	if got := SplitValue(props[5].Value, ';'); !slices.Equal(got, []string{"李", "雷雷", "", "", ""}) {
		t.Errorf("N parts %q", got)
	}
	if !props[6].Binary || props[6].Value != "" {
		t.Errorf("PHOTO %+v", props[6])
	}
	// Record.Fields is unchanged by the kept case: TYPE is upper-cased there.
	rec, _ := ParseRecord(RecContact, []byte(card))
	if got := rec.Fields["TEL"]; !slices.Contains(got, "TYPE=VOICE,X-BOAT:+1 556") {
		t.Errorf("Fields TEL %q", got)
	}
	if _, err := Properties(RecContact, []byte("no card")); err == nil {
		t.Error("no error for text without BEGIN")
	}
}
