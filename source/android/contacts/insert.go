package contacts

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// Insert is one contact to put onto a phone: the data rows of a new raw
// contact.
type Insert struct {
	Starred bool
	// Data are the rows to insert into content://com.android.contacts/data:
	// each holds mimetype, is_primary and data1..data14 as the provider
	// stores them (no _id, no raw_contact_id; a NULL column is absent).
	Data []content.Row
	// Groups are the card's CATEGORIES, names in order, each once; the
	// caller maps them to the phone's groups.
	Groups []string
	// Skipped names the properties the card holds that FromVCard cannot
	// map (PHOTO, GEO, an app's X-ANDROID-CUSTOM row, ...), sorted, each
	// once: property names only, never values.
	Skipped []string
}

// ErrEmptyCard is returned by FromVCard for a card that holds nothing a
// contact could be made of.
var ErrEmptyCard = errors.New("contacts: the card holds no contact data")

// ignored are properties that carry nothing to restore: the format,
// identity and sync noise, and the names FromVCard reads as part of the
// name row.
var ignored = map[string]bool{"VERSION": true, "UID": true, "PRODID": true, "REV": true,
	"FN": true, "N": true, "X-ABLABEL": true, "X-PHONETIC-FIRST-NAME": true,
	"X-PHONETIC-MIDDLE-NAME": true, "X-PHONETIC-LAST-NAME": true, "KIND": true, "SOURCE": true,
	"CLASS": true, "NAME": true, "X-ABSHOWAS": true, "X-ABADR": true}

// FromVCard maps one vCard record (one piece as pim.Split cuts it; vCard
// 2.1, 3.0 or 4.0, from lifeboat's Render, Android's export, iOS or any
// other producer) to the rows of a new raw contact:
//
//   - N and FN: one name row (data1 FN, data2 given, data3 family, data4
//     prefix, data5 middle, data6 suffix, data7..data9 phonetic given,
//     middle, family from X-PHONETIC-* or N's SORT-AS). A card without N
//     whose FN only repeats its organization, nickname, phone or email (what
//     Render writes for a contact without a name) gets no name row.
//   - NICKNAME (each of its ','-separated values), ORG (company; the units
//     as department) with TITLE, TEL, EMAIL, ADR (parts and a formatted
//     data1), URL, IMPP and X-AIM, X-JABBER, ... (protocol in data5; a
//     custom protocol -1 with its name in data6), X-SIP, BDAY (event type
//     3), ANNIVERSARY and X-ANNIVERSARY (1), X-ABDATE (labelled), NOTE,
//     X-ANDROID-CUSTOM rows of the standard kinds (relation, nickname,
//     event, ...), and relations from Apple's X-ABRELATEDNAMES, vCard 4's
//     RELATED and the X-SPOUSE, X-MANAGER, X-ASSISTANT of Evolution and
//     Outlook.
//   - TYPE words become the kind's data2 code; a label (an X-ABLabel of
//     the same vCard group, Apple's _$!<Mobile>!$_ included, or Android's
//     TYPE=X-label) that names a code becomes it, any other is TYPE_CUSTOM
//     (data2 0, data3 the label). A value without type keeps data2 NULL.
//     PREF (a TYPE word, or vCard 4's PREF=n) sets is_primary.
//   - CATEGORIES go to Groups; X-STARRED or X-ANDROID-STARRED set Starred.
//
// Values are decoded (quoted-printable, charset, escapes) and trimmed.
// Anything else is named in Skipped. A card that is malformed is read as
// far as it goes; one that yields no row is an error (ErrEmptyCard,
// wrapping the parser's complaint if it had one).
func FromVCard(card []byte) (Insert, error) {
	props, perr := pim.Properties(pim.RecContact, card)
	m := &mapper{labels: map[string]string{}}
	for _, p := range props {
		if p.Name == "X-ABLABEL" && p.Group != "" && p.Path == "" {
			m.labels[strings.ToUpper(p.Group)] = clean(pim.Unescape(p.Value))
		}
	}
	for _, p := range props {
		if p.Path == "" {
			m.prop(p)
		}
	}
	m.finishOrgs()
	m.finishName()
	if len(m.rows) == 0 {
		if perr != nil {
			return Insert{}, fmt.Errorf("%w: %w", ErrEmptyCard, perr)
		}
		return Insert{}, ErrEmptyCard
	}
	in := Insert{Starred: m.starred, Data: m.rows, Groups: m.groups}
	for k := range m.skipped {
		in.Skipped = append(in.Skipped, k)
	}
	slices.Sort(in.Skipped)
	return in, nil
}

// mapper collects the rows of one card.
type mapper struct {
	labels   map[string]string // X-ABLabel by upper-case group
	rows     []content.Row
	groups   []string
	starred  bool
	skipped  map[string]bool
	fn       string
	n        []string // family, given, middle, prefix, suffix
	phonetic [3]string
	orgs     [][]string
	titles   []string
	derived  []string // values Android would take as a display name
}

// clean trims a decoded value.
func clean(s string) string { return strings.TrimSpace(s) }

func (m *mapper) skip(name string) {
	if m.skipped == nil {
		m.skipped = map[string]bool{}
	}
	m.skipped[name] = true
}

// add appends a row of mimetype with column/value pairs, empty values
// left out (NULL).
func (m *mapper) add(mime string, primary bool, kv ...string) content.Row {
	r := content.Row{"mimetype": mime, "is_primary": "0"}
	if primary {
		r["is_primary"] = "1"
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if v := clean(kv[i+1]); v != "" {
			r[kv[i]] = v
		}
	}
	m.rows = append(m.rows, r)
	return r
}

// prop maps one property of the card.
func (m *mapper) prop(p pim.Property) {
	v := clean(pim.Unescape(p.Value))
	switch p.Name {
	case "FN":
		if m.fn == "" {
			m.fn = v
		}
	case "N":
		if m.n == nil {
			m.n = pim.SplitValue(p.Value, ';')
			var sa []string
			for _, v := range p.Param("SORT-AS") {
				sa = append(sa, strings.Split(v, ",")...)
			}
			if len(sa) > 0 {
				// SORT-AS="family,given" (RFC 6350 5.9), quoted or not.
				if m.phonetic[2] == "" {
					m.phonetic[2] = sa[0]
				}
				if len(sa) > 1 && m.phonetic[0] == "" {
					m.phonetic[0] = sa[1]
				}
			}
		}
	case "X-PHONETIC-FIRST-NAME":
		m.phonetic[0] = v
	case "X-PHONETIC-MIDDLE-NAME":
		m.phonetic[1] = v
	case "X-PHONETIC-LAST-NAME":
		m.phonetic[2] = v
	case "NICKNAME":
		for _, nick := range pim.SplitValue(p.Value, ',') {
			if nick = clean(nick); nick != "" {
				m.add(mimeNickname, false, "data1", nick)
				m.derived = append(m.derived, nick)
			}
		}
	case "ORG":
		m.orgs = append(m.orgs, pim.SplitValue(p.Value, ';'))
	case "TITLE":
		m.titles = append(m.titles, v)
	case "TEL":
		v = strings.TrimPrefix(v, "tel:")
		m.typedRow(p, mimePhone, phoneKind, v)
	case "EMAIL":
		m.typedRow(p, mimeEmail, emailKind, strings.TrimPrefix(v, "mailto:"))
	case "ADR":
		m.address(p)
	case "URL":
		m.typedRow(p, mimeWebsite, websiteKind, v)
	case "X-SIP":
		m.typedRow(p, mimeSip, postalKind, v)
	case "IMPP":
		m.impp(p, v)
	case "BDAY":
		m.event(v, "3", "")
	case "ANNIVERSARY", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY", "X-MS-ANNIVERSARY":
		m.event(v, "1", "")
	case "X-ABDATE":
		code, label := resolve(eventKind, nil, m.label(p))
		if code == "" {
			code = "2"
		}
		m.event(v, code, label)
	case "NOTE":
		if v != "" {
			m.add(mimeNote, false, "data1", v)
		}
	case "CATEGORIES":
		for _, g := range pim.SplitValue(p.Value, ',') {
			if g = clean(g); g != "" && !slices.Contains(m.groups, g) {
				m.groups = append(m.groups, g)
			}
		}
	case "X-STARRED", "X-ANDROID-STARRED":
		m.starred = v == "1" || strings.EqualFold(v, "true")
	case "X-ANDROID-CUSTOM":
		m.custom(p)
	case "X-ABRELATEDNAMES", "RELATED":
		m.relation(p, v, "")
	case "X-SPOUSE", "X-EVOLUTION-SPOUSE", "X-MS-SPOUSE":
		m.relation(p, v, "14")
	case "X-MANAGER", "X-EVOLUTION-MANAGER", "X-MS-MANAGER":
		m.relation(p, v, "7")
	case "X-ASSISTANT", "X-EVOLUTION-ASSISTANT", "X-MS-ASSISTANT":
		m.relation(p, v, "1")
	default:
		if proto, ok := imProtocol[p.Name]; ok {
			if v != "" {
				m.add(mimeIm, false, "data1", v, "data5", proto)
			}
			return
		}
		if !ignored[p.Name] && !pim.Volatile(p.Name) {
			m.skip(p.Name)
		}
	}
}

// finishName writes the name row first, once the whole card is read.
func (m *mapper) finishName() {
	part := func(i int) string {
		if i < len(m.n) {
			return clean(m.n[i])
		}
		return ""
	}
	family, given, middle, prefix, suffix := part(0), part(1), part(2), part(3), part(4)
	parts := family + given + middle + prefix + suffix + m.phonetic[0] + m.phonetic[1] + m.phonetic[2]
	if parts == "" && (m.fn == "" || slices.Contains(m.derived, m.fn)) {
		return // Render's fallback FN, or no name at all
	}
	r := content.Row{"mimetype": mimeName, "is_primary": "0"}
	for _, kv := range [][2]string{{"data1", m.fn}, {"data2", given}, {"data3", family}, {"data4", prefix},
		{"data5", middle}, {"data6", suffix}, {"data7", m.phonetic[0]}, {"data8", m.phonetic[1]}, {"data9", m.phonetic[2]}} {
		if v := clean(kv[1]); v != "" {
			r[kv[0]] = v
		}
	}
	m.rows = append([]content.Row{r}, m.rows...)
}

// finishOrgs pairs the i-th ORG with the i-th TITLE.
func (m *mapper) finishOrgs() {
	for i := 0; i < max(len(m.orgs), len(m.titles)); i++ {
		var company, dept, title string
		if i < len(m.orgs) {
			o := m.orgs[i]
			company = clean(o[0])
			var units []string
			for _, u := range o[1:] {
				if u = clean(u); u != "" {
					units = append(units, u)
				}
			}
			dept = strings.Join(units, "; ")
		}
		if i < len(m.titles) {
			title = m.titles[i]
		}
		if company+dept+title != "" {
			m.add(mimeOrg, false, "data1", company, "data4", title, "data5", dept)
			if company != "" {
				m.derived = append(m.derived, company)
			}
		}
	}
}
