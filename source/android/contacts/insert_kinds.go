package contacts

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/lifeboat-backup/lifeboat/pim"
)

// kindTypes is how one kind's data2 code is read back from a card: TYPE
// words (upper-case, all present) and labels (lower-case) to codes.
type kindTypes struct {
	words  []wordRule // first match wins
	labels map[string]string
}

// wordRule gives code when every word of all is among the TYPE words.
type wordRule struct {
	all  []string
	code string
}

// The inverse of phoneTypes, emailTypes, postalTypes and websiteTypes
// (kinds.go), with the words and labels Android's and Apple's exports use.
var (
	phoneKind = kindTypes{
		words: []wordRule{{[]string{"CELL", "WORK"}, "17"}, {[]string{"IPHONE", "WORK"}, "17"},
			{[]string{"PAGER", "WORK"}, "18"}, {[]string{"FAX", "WORK"}, "4"}, {[]string{"FAX", "HOME"}, "5"},
			{[]string{"FAX"}, "5"}, {[]string{"CELL"}, "2"}, {[]string{"IPHONE"}, "2"}, {[]string{"PAGER"}, "6"},
			{[]string{"CAR"}, "9"}, {[]string{"ISDN"}, "11"}, {[]string{"MSG"}, "20"}, {[]string{"MAIN"}, "12"},
			{[]string{"OTHER"}, "7"}, {[]string{"WORK"}, "3"}, {[]string{"HOME"}, "1"}},
		labels: map[string]string{"home": "1", "mobile": "2", "cell": "2", "work": "3", "workfax": "4", "work fax": "4",
			"homefax": "5", "home fax": "5", "pager": "6", "other": "7", "callback": "8", "car": "9",
			"company main": "10", "isdn": "11", "main": "12", "other fax": "13", "otherfax": "13", "radio": "14",
			"telex": "15", "tty/tdd": "16", "tty_tdd": "16", "work mobile": "17", "work pager": "18",
			"assistant": "19", "mms": "20"},
	}
	emailKind = kindTypes{
		words:  []wordRule{{[]string{"WORK"}, "2"}, {[]string{"HOME"}, "1"}, {[]string{"CELL"}, "4"}, {[]string{"OTHER"}, "3"}},
		labels: map[string]string{"home": "1", "work": "2", "other": "3", "mobile": "4"},
	}
	postalKind = kindTypes{
		words:  []wordRule{{[]string{"WORK"}, "2"}, {[]string{"HOME"}, "1"}, {[]string{"OTHER"}, "3"}},
		labels: map[string]string{"home": "1", "work": "2", "other": "3"},
	}
	websiteKind = kindTypes{
		words: []wordRule{{[]string{"HOME"}, "4"}, {[]string{"WORK"}, "5"}, {[]string{"OTHER"}, "7"}},
		labels: map[string]string{"homepage": "1", "home page": "1", "blog": "2", "profile": "3", "home": "4",
			"work": "5", "ftp": "6", "other": "7"},
	}
	eventKind    = kindTypes{labels: map[string]string{"anniversary": "1", "other": "2", "birthday": "3"}}
	relationKind = kindTypes{labels: map[string]string{"assistant": "1", "brother": "2", "child": "3",
		"domestic partner": "4", "father": "5", "friend": "6", "manager": "7", "mother": "8", "parent": "9",
		"partner": "10", "referred by": "11", "relative": "12", "sister": "13", "spouse": "14"}}
)

// imProtocol maps the property Android's composer writes for an Im
// protocol (kinds.go imProps), and a few other producers' names, to it.
var imProtocol = map[string]string{"X-AIM": "0", "X-MSN": "1", "X-YAHOO": "2", "X-SKYPE-USERNAME": "3",
	"X-SKYPE": "3", "X-QQ": "4", "X-GOOGLE-TALK": "5", "X-GTALK": "5", "X-ICQ": "6", "X-JABBER": "7",
	"X-NETMEETING": "8"}

// imSchemes maps IMPP URI schemes and X-SERVICE-TYPE names (lower-case).
var imSchemes = map[string]string{"aim": "0", "msn": "1", "msnim": "1", "ymsgr": "2", "yahoo": "2",
	"skype": "3", "qq": "4", "gtalk": "5", "googletalk": "5", "google talk": "5", "icq": "6",
	"xmpp": "7", "jabber": "7", "netmeeting": "8"}

// appleLabel matches Apple's built-in labels, _$!<HomePage>!$_.
var appleLabel = regexp.MustCompile(`^_\$!<(.*)>!\$_$`)

// label is the X-ABLabel of p's group, "" for none.
func (m *mapper) label(p pim.Property) string {
	if p.Group == "" {
		return ""
	}
	return m.labels[strings.ToUpper(p.Group)]
}

// resolve returns the data2 code and data3 label for TYPE words and a
// label: a label that names a code gives it, another label is custom
// ("0" and the label); else the words decide, then an Android X-label
// word; "" when nothing does.
func resolve(k kindTypes, types []string, label string) (code, custom string) {
	if s := appleLabel.FindStringSubmatch(label); s != nil {
		label = s[1]
	}
	if label != "" {
		if c, ok := k.labels[strings.ToLower(label)]; ok {
			return c, ""
		}
		return "0", label
	}
	words := map[string]bool{}
	for _, t := range types {
		words[strings.ToUpper(t)] = true
	}
	for _, r := range k.words {
		all := true
		for _, w := range r.all {
			all = all && words[w]
		}
		if all {
			return r.code, ""
		}
	}
	for _, t := range types {
		if len(t) > 2 && strings.EqualFold(t[:2], "X-") {
			if c, ok := k.labels[strings.ToLower(t[2:])]; ok {
				return c, ""
			}
			return "0", t[2:]
		}
	}
	return "", ""
}

// typesOf returns p's TYPE values split on commas, and whether PREF is
// among them or a PREF parameter is set.
func typesOf(p pim.Property) (types []string, pref bool) {
	for _, t := range p.Param("TYPE") {
		for _, w := range strings.Split(t, ",") {
			if w = strings.TrimSpace(w); strings.EqualFold(w, "PREF") {
				pref = true
			} else if w != "" {
				types = append(types, w)
			}
		}
	}
	return types, pref || len(p.Param("PREF")) > 0
}

// typedRow adds a row whose data1 is v and whose type comes from p.
func (m *mapper) typedRow(p pim.Property, mime string, k kindTypes, v string) {
	if v == "" {
		return
	}
	types, pref := typesOf(p)
	code, label := resolve(k, types, m.label(p))
	m.add(mime, pref, "data1", v, "data2", code, "data3", label)
	if mime == mimePhone || mime == mimeEmail {
		m.derived = append(m.derived, v)
	}
}

// address adds a postal row: ADR is pobox;ext;street;city;region;code;
// country; data1 is the LABEL parameter (vCard 4), else the parts on
// lines as Android formats them.
func (m *mapper) address(p pim.Property) {
	c := pim.SplitValue(p.Value, ';')
	for len(c) < 7 {
		c = append(c, "")
	}
	for i := range c {
		c[i] = clean(c[i])
	}
	pobox, ext, street, city, region, code, country := c[0], c[1], c[2], c[3], c[4], c[5], c[6]
	if pobox+ext+street+city+region+code+country == "" {
		return
	}
	formatted := ""
	if l := p.Param("LABEL"); len(l) > 0 {
		formatted = strings.Join(l, ",")
	} else {
		var lines []string
		for _, s := range []string{street, pobox, ext,
			strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(city+", "+region), ",") + " " + code), country} {
			if s = strings.TrimSpace(strings.TrimPrefix(s, ",")); s != "" {
				lines = append(lines, s)
			}
		}
		formatted = strings.Join(lines, "\n")
	}
	types, pref := typesOf(p)
	t, label := resolve(postalKind, types, m.label(p))
	m.add(mimePostal, pref, "data1", formatted, "data2", t, "data3", label, "data4", street, "data5", pobox,
		"data6", ext, "data7", city, "data8", region, "data9", code, "data10", country)
}

// impp adds an Im row (or a SIP address for sip:) from a URI value.
func (m *mapper) impp(p pim.Property, v string) {
	scheme, handle, ok := strings.Cut(v, ":")
	if !ok {
		scheme, handle = "", v
	}
	if handle = clean(handle); handle == "" {
		return
	}
	if strings.EqualFold(scheme, "sip") {
		types, pref := typesOf(p)
		code, label := resolve(postalKind, types, m.label(p))
		m.add(mimeSip, pref, "data1", v, "data2", code, "data3", label)
		return
	}
	service := strings.Join(p.Param("X-SERVICE-TYPE"), ",")
	proto, ok := imSchemes[strings.ToLower(service)]
	if !ok && service == "" {
		proto, ok = imSchemes[strings.ToLower(scheme)]
	}
	if !ok {
		proto = "-1"
		switch {
		case service == "custom" && scheme == "x-custom", service == "" && scheme == "x-im":
			service = "" // Render's stand-ins for a custom protocol without a name
		case service == "":
			service = strings.TrimPrefix(strings.ToLower(scheme), "x-")
		}
	} else {
		service = ""
	}
	m.add(mimeIm, false, "data1", handle, "data5", proto, "data6", service)
}

// dateForm matches the basic ISO 8601 dates of vCard 3 and 4: 19901231,
// --1231.
var dateForm = regexp.MustCompile(`^(\d{4}|--)(\d{2})(\d{2})$`)

// event adds an Event row: the date as the provider holds it
// ("1990-05-17", "--05-17"), code its data2, label its data3.
func (m *mapper) event(v, code, label string) {
	if i := strings.IndexByte(v, 'T'); i > 0 && len(v) >= 8 {
		v = v[:i]
	}
	if s := dateForm.FindStringSubmatch(v); s != nil {
		year := s[1] + "-"
		if s[1] == "--" {
			year = "--"
		}
		v = year + s[2] + "-" + s[3]
	}
	if strings.HasPrefix(v, "1604-") { // Apple's year-less date (X-APPLE-OMIT-YEAR=1604)
		v = "--" + v[5:]
	}
	if v != "" {
		m.add(mimeEvent, false, "data1", v, "data2", code, "data3", label)
	}
}

// custom adds an X-ANDROID-CUSTOM row (mimetype;data1;...;data15) of one
// of the standard kinds; another app's rows are skipped.
func (m *mapper) custom(p pim.Property) {
	parts := pim.SplitValue(p.Value, ';')
	mime := clean(parts[0])
	if kindRank(mime) == len(kindOrder) || mime == mimeName {
		m.skip(p.Name)
		return
	}
	var kv []string
	for i := 1; i < len(parts) && i <= 14; i++ {
		kv = append(kv, "data"+strconv.Itoa(i), parts[i])
	}
	r := m.add(mime, false, kv...)
	if r["data1"] == "" {
		m.rows = m.rows[:len(m.rows)-1]
		return
	}
	if mime == mimeNickname {
		m.derived = append(m.derived, r["data1"])
	}
}

// relation adds a Relation row: the type is code when given, else from
// the label or the TYPE words (RELATED;TYPE=spouse), else custom.
func (m *mapper) relation(p pim.Property, v, code string) {
	v = strings.TrimPrefix(v, "text:")
	if v == "" {
		return
	}
	label := ""
	if code == "" {
		types, _ := typesOf(p)
		code, label = resolve(relationKind, nil, m.label(p))
		for _, t := range types {
			if c, ok := relationKind.labels[strings.ToLower(t)]; ok && code == "" {
				code = c
			}
		}
	}
	m.add(mimeRelation, false, "data1", v, "data2", code, "data3", label)
}
