package contacts

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// Signature is the content identity of one raw contact's data rows:
// independent of row ids, raw_contact_id, row order, duplicate rows,
// account, is_primary and the provider's derived columns. Two contacts
// with the same names, phones, emails, ... have the same signature;
// restore skips a snapshot contact whose signature equals one already on
// the phone.
//
// It covers what a card carries (what Render writes and FromVCard reads
// back), kind by kind:
//
//   - name: the display name (data1, else the parts joined as Render's
//     FN), and the phonetic given, middle and family name;
//   - phone: the number's digits and dialling characters (+ * # , ;), so
//     "+44 20 7946 0000" equals "+442079460000"; email: data1 lower-case;
//     both with their type code and, for TYPE_CUSTOM or no type, label;
//   - postal address: its non-empty parts, else the formatted data1
//     (which the provider derives from the parts, or the parts from it);
//   - organization: company, title, department; nickname, note: data1;
//     website, SIP, event, relation: data1, type and custom label; im:
//     handle, protocol and a custom protocol's name.
//
// Types are read as a card carries them: a custom label that names a
// type ("Mobile", Apple's "_$!<Mobile>!$_") is that type, an unknown code
// with a label is custom. A row without its value (no number, no handle)
// does not count, nor does a name row holding only a display name that
// equals the contact's organization, nickname, phone or email (Android
// derives that display name anyway, and Render's card cannot tell it from
// no name).
//
// Photos, group memberships (their ids are the phone's own), identities
// and other apps' rows are left out: FromVCard does not restore them, so
// they cannot tell two contacts apart. Text is compared after NFC
// normalisation, without control characters, with blanks (line breaks
// included) collapsed and trimmed. The result is a hex SHA-256; a contact
// with no rows that count has the signature of the empty set.
func Signature(data []content.Row) string {
	var keys []string
	fallback := map[string]bool{} // what a card's FN falls back to (see Render)
	for _, r := range data {
		switch r["mimetype"] {
		case mimeOrg, mimeNickname, mimePhone, mimeEmail:
			fallback[text(r["data1"])] = true
		}
	}
	for _, r := range data {
		if r["mimetype"] == mimeName && fallback[text(r["data1"])] && structuredParts(r) == "" {
			// The display name Android derives anyway: a card cannot tell
			// it from none (Render writes it as FN when there is no name),
			// phonetic parts or not.
			r = maps.Clone(r)
			delete(r, "data1")
		}
		if k := rowKey(r); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	sum := sha256.Sum256([]byte(strings.Join(keys, "\x1e")))
	return hex.EncodeToString(sum[:])
}

// structuredParts joins the given, family, prefix, middle and suffix
// names of a name row.
func structuredParts(r content.Row) string {
	var b strings.Builder
	for _, c := range []string{"data2", "data3", "data4", "data5", "data6"} {
		b.WriteString(text(r[c]))
	}
	return b.String()
}

// rowKey is one row's part of a signature, "" for rows that do not count.
func rowKey(r content.Row) string {
	col := func(c string) string { return text(r[c]) }
	typed := func() string { return typeKey(r["mimetype"], r["data2"], r["data3"]) }
	var parts []string
	switch m := r["mimetype"]; m {
	case mimeName:
		display := col("data1")
		if display == "" {
			// As Render's FN: split on blanks before controls go.
			display = text(strings.Join(strings.Fields(strings.Join([]string{r["data4"], r["data2"], r["data5"], r["data3"], r["data6"]}, " ")), " "))
		}
		parts = []string{display, col("data7"), col("data8"), col("data9")}
	case mimePhone:
		parts = []string{dialable(r["data1"]), typed()}
	case mimeEmail:
		parts = []string{strings.ToLower(col("data1")), typed()}
	case mimePostal:
		var lines []string
		for _, c := range []string{"data4", "data5", "data6", "data7", "data8", "data9", "data10"} {
			if v := col(c); v != "" {
				lines = append(lines, v)
			}
		}
		addr := strings.Join(lines, " ")
		if addr == "" {
			addr = col("data1")
		}
		parts = []string{addr, typed()}
	case mimeOrg:
		parts = []string{col("data1"), col("data4"), col("data5")}
	case mimeNickname, mimeNote:
		parts = []string{col("data1")}
	case mimeWebsite, mimeSip, mimeEvent, mimeRelation:
		parts = []string{col("data1"), typed()}
	case mimeIm:
		proto := strings.TrimSpace(r["data5"])
		custom := ""
		if proto == "-1" || proto == "" {
			// A vCard parameter cannot hold '"': Render writes it as '.
			custom = strings.ReplaceAll(col("data6"), `"`, "'")
			// A custom protocol named as a standard one ("qq", "Skype")
			// is that protocol, as a custom label naming a type is that
			// type: a card cannot tell them apart.
			if code, ok := imSchemes[strings.ToLower(strings.TrimSpace(custom))]; ok {
				proto, custom = code, ""
			}
		}
		parts = []string{col("data1"), proto, custom}
	default:
		return ""
	}
	// A row without its value (a number, an address, a handle, ...) is
	// nothing a card carries; a name or organization needs one part.
	principal := parts[0]
	if m := r["mimetype"]; m == mimeName || m == mimeOrg {
		principal = strings.Join(parts, "")
	}
	if principal == "" {
		return ""
	}
	return r["mimetype"] + "\x1f" + strings.Join(parts, "\x1f")
}

// text is s in NFC without control characters, runs of blanks (line
// breaks too) made one space, trimmed: a card cannot carry the controls
// (pim drops them), nor blanks at the ends of a value.
func text(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// dialable keeps the characters of a phone number that dial: ASCII
// digits (fullwidth ones made ASCII by NFKC), '+', '*', '#', and the pause
// and wait ',' ';'; spaces, dashes, dots and brackets go.
func dialable(s string) string {
	var b strings.Builder
	for _, c := range norm.NFKC.String(s) {
		if c >= '0' && c <= '9' || strings.ContainsRune("+*#,;", c) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// sigKind is how a kind's type reads back from a card: the codes Render
// writes as such, the labels FromVCard turns into codes, and the code of
// a row with neither type nor label.
type sigKind struct {
	codes map[string]typed
	kind  kindTypes
	blank string
}

var sigKinds = map[string]sigKind{
	mimePhone: {phoneTypes, phoneKind, ""}, mimeEmail: {emailTypes, emailKind, ""},
	mimePostal: {postalTypes, postalKind, ""}, mimeSip: {postalTypes, postalKind, ""},
	mimeWebsite: {websiteTypes, websiteKind, ""},
	mimeEvent:   {map[string]typed{"1": {}, "2": {}, "3": {}}, eventKind, "2"},
}

// typeKey is a row's type as the signature sees it: the code, and the
// label only for a custom type. A custom label that names a type
// ("Mobile", Apple's "_$!<Mobile>!$_") is that type, and an unknown code
// with a label is custom, as they come back through a card.
func typeKey(mime, code, label string) string {
	code, label = strings.TrimSpace(code), text(label)
	k, ok := sigKinds[mime]
	if !ok {
		if code != "" && code != "0" {
			label = ""
		}
		return code + "\x1f" + label
	}
	if _, known := k.codes[code]; known && code != "0" {
		return code + "\x1f"
	}
	if label == "" {
		return k.blank + "\x1f"
	}
	c, l := resolve(k.kind, nil, label)
	return c + "\x1f" + text(l)
}
