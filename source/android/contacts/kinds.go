package contacts

import (
	"strconv"
	"strings"

	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// The mimetypes of ContactsContract.CommonDataKinds.
const (
	mimeName     = "vnd.android.cursor.item/name"
	mimeNickname = "vnd.android.cursor.item/nickname"
	mimeOrg      = "vnd.android.cursor.item/organization"
	mimePhone    = "vnd.android.cursor.item/phone_v2"
	mimeEmail    = "vnd.android.cursor.item/email_v2"
	mimePostal   = "vnd.android.cursor.item/postal-address_v2"
	mimeWebsite  = "vnd.android.cursor.item/website"
	mimeIm       = "vnd.android.cursor.item/im"
	mimeSip      = "vnd.android.cursor.item/sip_address"
	mimeEvent    = "vnd.android.cursor.item/contact_event"
	mimeRelation = "vnd.android.cursor.item/relation"
	mimeNote     = "vnd.android.cursor.item/note"
	mimeGroup    = "vnd.android.cursor.item/group_membership"
	mimePhoto    = "vnd.android.cursor.item/photo"
)

// kindOrder fixes the order of properties in a card; mimetypes not listed
// come after, sorted by name.
var kindOrder = []string{mimeName, mimeNickname, mimeOrg, mimePhone, mimeEmail, mimePostal,
	mimeWebsite, mimeIm, mimeSip, mimeEvent, mimeRelation, mimeNote}

// typed is a TYPE code's vCard rendering: TYPE words, or a label for an
// X-ABLabel when vCard 3.0 has no word for it.
type typed struct {
	types []string
	label string
}

// phoneTypes maps Phone.TYPE_* (data2).
var phoneTypes = map[string]typed{
	"1": {types: []string{"HOME", "VOICE"}}, "2": {types: []string{"CELL"}},
	"3": {types: []string{"WORK", "VOICE"}}, "4": {types: []string{"WORK", "FAX"}},
	"5": {types: []string{"HOME", "FAX"}}, "6": {types: []string{"PAGER"}},
	"7": {types: []string{"VOICE"}, label: "Other"}, "8": {label: "Callback"},
	"9": {types: []string{"CAR"}}, "10": {types: []string{"WORK"}, label: "Company main"},
	"11": {types: []string{"ISDN"}}, "12": {types: []string{"VOICE"}, label: "Main"},
	"13": {types: []string{"FAX"}, label: "Other fax"}, "14": {label: "Radio"},
	"15": {label: "Telex"}, "16": {label: "TTY/TDD"},
	"17": {types: []string{"WORK", "CELL"}}, "18": {types: []string{"WORK", "PAGER"}},
	"19": {label: "Assistant"}, "20": {types: []string{"MSG"}},
}

// emailTypes maps Email.TYPE_* (data2).
var emailTypes = map[string]typed{
	"1": {types: []string{"HOME"}}, "2": {types: []string{"WORK"}},
	"3": {label: "Other"}, "4": {label: "Mobile"},
}

// postalTypes maps StructuredPostal.TYPE_* (data2); also used for SIP.
var postalTypes = map[string]typed{
	"1": {types: []string{"HOME"}}, "2": {types: []string{"WORK"}}, "3": {label: "Other"},
}

// websiteTypes maps Website.TYPE_* (data2).
var websiteTypes = map[string]typed{
	"1": {label: "Homepage"}, "2": {label: "Blog"}, "3": {label: "Profile"},
	"4": {types: []string{"HOME"}}, "5": {types: []string{"WORK"}},
	"6": {label: "FTP"}, "7": {label: "Other"},
}

// imProps maps Im.PROTOCOL_* (data5) to the property Android's own vCard
// composer writes for it.
var imProps = map[string]string{
	"0": "X-AIM", "1": "X-MSN", "2": "X-YAHOO", "3": "X-SKYPE-USERNAME", "4": "X-QQ",
	"5": "X-GOOGLE-TALK", "6": "X-ICQ", "7": "X-JABBER", "8": "X-NETMEETING",
}

// typeOf resolves data2/data3 of a row: TYPE_CUSTOM (0) or an unknown
// code takes the custom label data3.
func typeOf(r content.Row, table map[string]typed) typed {
	t, ok := table[r["data2"]]
	if !ok || r["data2"] == "0" {
		return typed{label: r["data3"]}
	}
	return t
}

// params renders TYPE parameters, with extra words first and PREF when
// the row is primary.
func params(t typed, primary bool, extra ...string) string {
	words := append(extra, t.types...)
	if primary {
		words = append(words, "PREF")
	}
	if len(words) == 0 {
		return ""
	}
	return ";TYPE=" + strings.Join(words, ",")
}

// render writes the properties of one data row; a row without a value
// writes nothing.
func (c *card) render(r content.Row) {
	primary := r["is_primary"] != "" && r["is_primary"] != "0"
	d1 := r["data1"]
	switch r["mimetype"] {
	case mimeName:
		// Written by the caller (N and FN come first).
	case mimeNickname:
		if d1 != "" {
			c.Line("NICKNAME", escape(d1))
		}
	case mimeOrg:
		if d1 != "" || r["data5"] != "" {
			c.Line("ORG", compound(d1, r["data5"]))
		}
		if r["data4"] != "" {
			c.Line("TITLE", escape(r["data4"]))
		}
	case mimePhone:
		if d1 != "" {
			t := typeOf(r, phoneTypes)
			c.Labelled("TEL"+params(t, primary), escape(d1), t.label)
		}
	case mimeEmail:
		if d1 != "" {
			t := typeOf(r, emailTypes)
			c.Labelled("EMAIL"+params(t, primary, "INTERNET"), escape(d1), t.label)
		}
	case mimePostal:
		c.address(r, primary)
	case mimeWebsite:
		if d1 != "" {
			t := typeOf(r, websiteTypes)
			c.Labelled("URL"+params(t, false), uriValue(d1), t.label)
		}
	case mimeIm:
		c.im(r)
	case mimeSip:
		if d1 != "" {
			t := typeOf(r, postalTypes)
			c.Labelled("X-SIP"+params(t, primary), escape(d1), t.label)
		}
	case mimeEvent:
		c.event(r)
	case mimeNote:
		if d1 != "" {
			c.Line("NOTE", escape(d1))
		}
	case mimeGroup, mimePhoto:
		// Groups become CATEGORIES (written by the caller); photos are
		// blobs that `content query` does not print.
	default:
		c.custom(r)
	}
}

func (c *card) address(r content.Row, primary bool) {
	street, pobox, ext := r["data4"], r["data5"], r["data6"]
	city, region, code, country := r["data7"], r["data8"], r["data9"], r["data10"]
	if street+pobox+ext+city+region+code+country == "" {
		street = r["data1"] // only the formatted address is known
	}
	if street+pobox+ext+city+region+code+country == "" {
		return
	}
	t := typeOf(r, postalTypes)
	c.Labelled("ADR"+params(t, primary), compound(pobox, ext, street, city, region, code, country), t.label)
}

func (c *card) im(r content.Row) {
	handle := r["data1"]
	if handle == "" {
		return
	}
	if p, ok := imProps[r["data5"]]; ok {
		c.Line(p, escape(handle))
		return
	}
	proto := r["data6"] // PROTOCOL_CUSTOM (-1): the custom protocol's name
	if proto == "" {
		proto = "custom"
	}
	c.Line("IMPP;X-SERVICE-TYPE="+param(proto), "x-"+strings.ToLower(safeScheme(proto))+":"+uriValue(handle))
}

// safeScheme keeps the letters and digits of a protocol name for a URI
// scheme ("My Chat!" -> "MyChat"), "im" when none are left.
func safeScheme(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "im"
	}
	return b.String()
}

// event writes Event rows: TYPE_BIRTHDAY (3) as BDAY, TYPE_ANNIVERSARY (1)
// as X-ANNIVERSARY, others as an X-ABDATE with their label. The date is
// data1 as the provider holds it ("1990-05-17", or "--05-17" without a
// year).
func (c *card) event(r content.Row) {
	d := uriValue(r["data1"])
	if d == "" {
		return
	}
	switch r["data2"] {
	case "3":
		c.Line("BDAY", d)
	case "1":
		c.Line("X-ANNIVERSARY", d)
	default:
		label := r["data3"]
		if r["data2"] == "2" || label == "" {
			label = "Other"
		}
		c.Labelled("X-ABDATE", d, label)
	}
}

// custom writes a row of any other mimetype (relations, identities, app
// rows such as a messenger's) as Android's own vCard composer does:
// X-ANDROID-CUSTOM:mimetype;data1;...;data15, each part escaped, so
// nothing read is left out of the card. Android's Contacts app reads it
// back on import.
func (c *card) custom(r content.Row) {
	parts := []string{r["mimetype"]}
	any := false
	for i := 1; i <= 15; i++ {
		v := r["data"+strconv.Itoa(i)]
		if i == 15 && v == "BLOB" {
			v = ""
		}
		any = any || v != ""
		parts = append(parts, v)
	}
	if any && r["mimetype"] != "" {
		c.Line("X-ANDROID-CUSTOM", compound(parts...))
	}
}
