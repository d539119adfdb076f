// Package contacts renders the rows of Android's Contacts provider (raw
// contacts and their data rows) as one vCard 3.0 file per raw contact.
package contacts

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// RawProjection and DataProjection are the columns Render reads, for
// content://com.android.contacts/raw_contacts and .../data.
var (
	RawProjection  = []string{"_id", "contact_id", "account_type", "account_name", "sourceid", "version", "deleted", "starred"}
	DataProjection = []string{"_id", "raw_contact_id", "mimetype", "is_primary",
		"data1", "data2", "data3", "data4", "data5", "data6", "data7",
		"data8", "data9", "data10", "data11", "data12", "data13", "data14"}
)

// Card is one rendered raw contact.
type Card struct {
	Path  string // "<account>/<id>.vcf", slash-separated
	RawID string // the raw contact's _id
	Data  []byte // the vCard 3.0, CRLF lines folded at 75 octets
}

// Render turns raw_contacts rows and data rows into cards, one per raw
// contact not marked deleted, sorted by Path. groups maps a group's _id
// (the data1 of a group_membership row) to its title; memberships of
// groups it does not name are left out. A column absent from a row is
// taken as NULL, so the rows of a smaller projection (an older Android that
// refused some columns) render with what they hold.
//
// The same rows give the same bytes, whatever their order: data rows are
// written by kind in a fixed order (N, FN, phonetic name, NICKNAME, ORG,
// TITLE, TEL, EMAIL, ADR, URL, IM, X-SIP, BDAY and other dates,
// X-ANDROID-CUSTOM for relations, NOTE, X-ANDROID-CUSTOM for other
// mimetypes by mimetype, CATEGORIES, X-STARRED), rows of one kind by _id. The card's UID is the raw
// contact's sourceid when its account gave one, else "android-raw-<_id>".
// A starred contact gets X-STARRED:1 (it is not a group, so it is not a
// CATEGORIES value). Photos are not rendered: `content query` prints
// blobs as BLOB.
//
// The directory <account> is the account name, with " (type)" after it
// when the account has a type other than its name, or "local" for the
// phone's own account (no name, no type), made safe as a file name (see
// safeName); <id> is the sourceid, else
// "raw-<_id>". Two raw contacts that would share a path keep it apart with
// "-<_id>".
func Render(raw, data []content.Row, groups map[string]string) ([]Card, error) {
	byRaw := map[string][]content.Row{}
	for _, d := range data {
		byRaw[d["raw_contact_id"]] = append(byRaw[d["raw_contact_id"]], d)
	}
	raws := slices.Clone(raw)
	slices.SortFunc(raws, func(a, b content.Row) int { return cmpID(a["_id"], b["_id"]) })
	var cards []Card
	used := map[string]bool{}
	for _, r := range raws {
		id := r["_id"]
		if id == "" {
			return nil, fmt.Errorf("contacts: a raw contact without _id")
		}
		if r["deleted"] != "" && r["deleted"] != "0" {
			continue
		}
		p := accountDir(r) + "/" + fileID(r)
		if used[p+".vcf"] {
			p += "-" + safeName(id)
		}
		if used[p+".vcf"] {
			return nil, fmt.Errorf("contacts: raw contact _id %s twice", safeName(id))
		}
		p += ".vcf"
		used[p] = true
		cards = append(cards, Card{Path: p, RawID: id, Data: renderCard(r, byRaw[id], groups)})
	}
	slices.SortFunc(cards, func(a, b Card) int { return strings.Compare(a.Path, b.Path) })
	return cards, nil
}

// renderCard writes one raw contact. Text that is not UTF-8 (which a
// phone's `content` never prints, Java strings being Unicode, but a broken
// or hostile one could) becomes U+FFFD, so the card is always UTF-8.
func renderCard(r content.Row, rows []content.Row, groups map[string]string) []byte {
	r = validRow(r)
	rows = slices.Clone(rows)
	for i := range rows {
		rows[i] = validRow(rows[i])
	}
	slices.SortStableFunc(rows, func(a, b content.Row) int {
		if c := kindRank(a["mimetype"]) - kindRank(b["mimetype"]); c != 0 {
			return c
		}
		if c := strings.Compare(a["mimetype"], b["mimetype"]); c != 0 {
			return c
		}
		return cmpID(a["_id"], b["_id"])
	})
	c := &card{}
	c.Line("BEGIN", "VCARD")
	c.Line("VERSION", "3.0")
	uid := r["sourceid"]
	if uid == "" {
		uid = "android-raw-" + r["_id"]
	}
	c.Line("UID", escape(uid))
	c.name(rows)
	for _, d := range rows {
		c.render(d)
	}
	var cats []string
	for _, d := range rows {
		if t := groups[d["data1"]]; d["mimetype"] == mimeGroup && t != "" && !slices.Contains(cats, t) {
			cats = append(cats, t)
		}
	}
	if len(cats) > 0 {
		slices.Sort(cats)
		for i, t := range cats {
			cats[i] = escape(t)
		}
		c.Line("CATEGORIES", strings.Join(cats, ","))
	}
	if r["starred"] != "" && r["starred"] != "0" {
		c.Line("X-STARRED", "1")
	}
	c.Line("END", "VCARD")
	return []byte(c.String())
}

// name writes N, FN and the phonetic name from the first StructuredName
// row (data1 display name, data2 given, data3 family, data4 prefix, data5
// middle, data6 suffix, data7..data9 phonetic given, middle, family). FN
// falls back to the parts, then to the organization, nickname, phone or
// email, as Android's display name does; vCard 3.0 requires both.
func (c *card) name(rows []content.Row) {
	n := content.Row{}
	for _, d := range rows {
		if d["mimetype"] == mimeName {
			n = d
			break
		}
	}
	c.Line("N", compound(n["data3"], n["data2"], n["data5"], n["data4"], n["data6"]))
	fn := n["data1"]
	if fn == "" {
		fn = strings.Join(strings.Fields(strings.Join([]string{n["data4"], n["data2"], n["data5"], n["data3"], n["data6"]}, " ")), " ")
	}
	for _, m := range []string{mimeOrg, mimeNickname, mimePhone, mimeEmail} {
		for _, d := range rows {
			if fn == "" && d["mimetype"] == m {
				fn = d["data1"]
			}
		}
	}
	c.Line("FN", escape(fn))
	for _, p := range []struct{ prop, col string }{
		{"X-PHONETIC-FIRST-NAME", "data7"}, {"X-PHONETIC-MIDDLE-NAME", "data8"}, {"X-PHONETIC-LAST-NAME", "data9"},
	} {
		if v := n[p.col]; v != "" {
			c.Line(p.prop, escape(v))
		}
	}
}

// kindRank is a mimetype's place in kindOrder, after all of it if absent.
func kindRank(m string) int {
	if i := slices.Index(kindOrder, m); i >= 0 {
		return i
	}
	return len(kindOrder)
}

// cmpID orders _id values numerically, non-numbers after, by text.
func cmpID(a, b string) int {
	x, errA := strconv.ParseInt(a, 10, 64)
	y, errB := strconv.ParseInt(b, 10, 64)
	switch {
	case errA == nil && errB == nil:
		return cmp.Compare(x, y)
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return strings.Compare(a, b)
}

// GroupsFile is the name, beside the account folders, of the file a
// snapshot keeps the groups' rows in: no account folder is named so.
const GroupsFile = "groups.rows.json"

// accountDir names the folder of a raw contact's account. An account
// named GroupsFile (in any case) gets the hash of its name after it, as
// safeName gives a name it changed, so that its folder is not the file.
func accountDir(r content.Row) string {
	dir := accountName(r)
	if strings.EqualFold(dir, GroupsFile) {
		sum := sha256.Sum256([]byte(dir))
		dir += "-" + hex.EncodeToString(sum[:4])
	}
	return dir
}

func accountName(r content.Row) string {
	name, typ := r["account_name"], r["account_type"]
	switch {
	case name == "" && typ == "":
		return "local"
	case typ == "" || typ == name: // Samsung's local account is named as its type
		return safeName(name)
	case name == "":
		return safeName("(" + typ + ")")
	}
	return safeName(name + " (" + typ + ")")
}

// fileID is a raw contact's stable id for its file name.
func fileID(r content.Row) string {
	if s := r["sourceid"]; s != "" {
		return safeName(s)
	}
	return "raw-" + safeName(r["_id"])
}

// safeName makes s one safe path element on Linux, macOS and Windows:
// characters outside letters, digits, space and "._-@+()=~," (so '/', '\',
// ':', control characters, ...) become '_', and so do a leading '.' or
// space and a trailing '.' or space; a name that had to change, or is over
// 100 bytes, is cut and followed by '-' and 8 hex digits of its SHA-256, so
// that two ids never share a file.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			r > 127 && r != 0xFFFD && !(r >= 0x80 && r < 0xA0), strings.ContainsRune(" ._-@+()=~,", r):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out != "" && strings.ContainsRune(". ", rune(out[0])) {
		out = "_" + out[1:]
	}
	if out != "" && strings.ContainsRune(". ", rune(out[len(out)-1])) {
		out = out[:len(out)-1] + "_"
	}
	if out == s && len(out) <= 100 && out != "" {
		return out
	}
	if len(out) > 80 {
		cut := 80
		for cut > 0 && out[cut]&0xC0 == 0x80 {
			cut--
		}
		out = out[:cut]
	}
	sum := sha256.Sum256([]byte(s))
	return out + "-" + hex.EncodeToString(sum[:4])
}

// validRow is r with every value made valid UTF-8 (a copy only when one
// is not).
func validRow(r content.Row) content.Row {
	for _, v := range r {
		if !utf8.ValidString(v) {
			out := make(content.Row, len(r))
			for k, v := range r {
				out[k] = strings.ToValidUTF8(v, "\uFFFD")
			}
			return out
		}
	}
	return r
}

// GroupProjection is the columns GroupTitles reads, for
// content://com.android.contacts/groups.
var GroupProjection = []string{"_id", "title", "deleted"}

// GroupTitles maps each group's _id to its title, for Render; deleted and
// untitled groups are left out.
func GroupTitles(rows []content.Row) map[string]string {
	m := map[string]string{}
	for _, r := range rows {
		if r["title"] != "" && (r["deleted"] == "" || r["deleted"] == "0") {
			m[r["_id"]] = r["title"]
		}
	}
	return m
}
