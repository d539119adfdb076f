package addressbook

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/lifeboat-backup/lifeboat/source/iphone/addressbook/abvalue"
)

// renderCard writes one person: UID, N, FN, the phonetic name, NICKNAME,
// ORG, TITLE, X-ABShowAs for an organization, then TEL, EMAIL, ADR, URL,
// IMPP, X-SOCIALPROFILE, X-ABRELATEDNAMES (each in its values' order),
// BDAY, X-ABDATE, NOTE and PHOTO. It gives the values it dropped.
func renderCard(p person, values []value, photo []byte, photoType string) ([]byte, int) {
	f := p.f
	c := &card{}
	drops := 0
	c.Line("BEGIN", "VCARD")
	c.Line("VERSION", "3.0")
	c.Line("UID", escape(uid(p)))
	c.Line("N", compound(f["Last"], f["First"], f["Middle"], f["Prefix"], f["Suffix"]))
	c.Line("FN", escape(fullName(p, values)))
	for _, ph := range []struct{ prop, col string }{
		{"X-PHONETIC-FIRST-NAME", "FirstPhonetic"}, {"X-PHONETIC-MIDDLE-NAME", "MiddlePhonetic"}, {"X-PHONETIC-LAST-NAME", "LastPhonetic"},
	} {
		if v := f[ph.col]; v != "" {
			c.Line(ph.prop, escape(v))
		}
	}
	if v := f["Nickname"]; v != "" {
		c.Line("NICKNAME", escape(v))
	}
	if f["Organization"] != "" || f["Department"] != "" {
		c.Line("ORG", compound(f["Organization"], f["Department"]))
	}
	if v := f["JobTitle"]; v != "" {
		c.Line("TITLE", escape(v))
	}
	if k, _ := strconv.Atoi(f["Kind"]); k == 1 {
		c.Line("X-ABShowAs", "COMPANY")
	}
	for _, prop := range []int{propPhone, propEmail, propAddress, propURL, propIM, propSocial, propRelated} {
		for _, v := range values {
			if v.prop == prop {
				c.value(v)
			}
		}
	}
	if b := f["Birthday"]; b != "" {
		if day, omit, err := abvalue.Date(b); err == nil {
			c.Line("BDAY"+omitYear(omit), day)
		} else {
			drops++
		}
	}
	for _, v := range values {
		if v.prop == propDate && v.hasValue {
			day, omit, err := abvalue.Date(v.value)
			if err != nil {
				drops++
				continue
			}
			c.Labelled("X-ABDATE"+omitYear(omit), day, v.label)
		}
	}
	if v := f["Note"]; v != "" {
		c.Line("NOTE", escape(v))
	}
	if photo != nil {
		c.Line("PHOTO;ENCODING=b;TYPE="+photoType, base64.StdEncoding.EncodeToString(photo))
	}
	c.Line("END", "VCARD")
	return []byte(c.String()), drops
}

func omitYear(omit bool) string {
	if omit {
		return ";X-APPLE-OMIT-YEAR=1604"
	}
	return ""
}

// uid is the person's guid (without iOS's ":ABPerson" after it), else its
// ExternalUUID or ExternalIdentifier, else "ios-abperson-<ROWID>".
func uid(p person) string {
	for _, c := range []string{"guid", "ExternalUUID", "ExternalIdentifier"} {
		if v := strings.TrimSuffix(p.f[c], ":ABPerson"); v != "" {
			return v
		}
	}
	return "ios-abperson-" + strconv.FormatInt(p.id, 10)
}

// fullName is FN: the name's parts, or for an organization (Kind 1) its
// name first; then the organization, nickname, first phone or email, as
// the Contacts app shows a card without a name. vCard 3.0 requires FN.
func fullName(p person, values []value) string {
	f := p.f
	name := strings.Join(strings.Fields(strings.Join([]string{f["Prefix"], f["First"], f["Middle"], f["Last"], f["Suffix"]}, " ")), " ")
	if k, _ := strconv.Atoi(f["Kind"]); k == 1 && f["Organization"] != "" {
		return f["Organization"]
	}
	if name == "" {
		name = f["Organization"]
	}
	if name == "" {
		name = f["Nickname"]
	}
	for _, prop := range []int{propPhone, propEmail} {
		for _, v := range values {
			if name == "" && v.prop == prop && v.hasValue {
				name = v.value
			}
		}
	}
	return name
}

// typed is a label's vCard rendering: TYPE words, or a label for an
// X-ABLabel when vCard has no word for it.
type typed struct {
	types []string
	label string
}

func mapLabel(prop int, label string) typed {
	t, l := abvalue.Label(prop, label)
	return typed{types: t, label: l}
}

// typeParam renders TYPE words, extra first.
func typeParam(t typed, extra ...string) string {
	words := append(extra, t.types...)
	if len(words) == 0 {
		return ""
	}
	return ";TYPE=" + strings.Join(words, ",")
}

// value writes one multi-value row; one without a value writes nothing.
func (c *card) value(v value) {
	t := mapLabel(v.prop, v.label)
	switch v.prop {
	case propPhone:
		if v.hasValue {
			c.Labelled("TEL"+typeParam(t), escape(v.value), t.label)
		}
	case propEmail:
		if v.hasValue {
			c.Labelled("EMAIL"+typeParam(t, "INTERNET"), escape(v.value), t.label)
		}
	case propURL:
		if v.hasValue {
			c.Labelled("URL"+typeParam(t), uriValue(v.value), t.label)
		}
	case propRelated:
		if v.hasValue {
			c.Labelled("X-ABRELATEDNAMES", escape(v.value), v.label)
		}
	case propAddress:
		e := v.entries
		street, city, state := entry(e, "Street"), entry(e, "City"), entry(e, "State")
		zip, country := entry(e, "ZIP"), entry(e, "Country")
		if street+city+state+zip+country == "" {
			street = strings.TrimSpace(v.value)
		}
		if street+city+state+zip+country != "" {
			c.Labelled("ADR"+typeParam(t), compound("", "", street, city, state, zip, country), t.label)
		}
	case propIM:
		c.im(v, t)
	case propSocial:
		c.social(v)
	}
}

// imSchemes maps an IM service (ABMultiValueEntry key "service") to the
// URI scheme iOS's export writes in IMPP.
var imSchemes = map[string]string{
	"aim": "aim", "jabber": "xmpp", "msn": "msnim", "yahoo": "ymsgr", "icq": "aim",
	"skype": "skype", "facebook": "xmpp", "gadugadu": "x-apple", "qq": "x-apple",
}

func (c *card) im(v value, t typed) {
	user, svc := entry(v.entries, "username"), entry(v.entries, "service")
	if user == "" {
		user = strings.TrimSpace(v.value)
	}
	if user == "" {
		return
	}
	scheme := imSchemes[strings.ToLower(svc)]
	if scheme == "" {
		scheme = "x-apple"
	}
	name := "IMPP"
	if svc != "" {
		name += ";X-SERVICE-TYPE=" + param(svc)
	}
	c.Labelled(name+typeParam(t), scheme+":"+uriValue(user), t.label)
}

func (c *card) social(v value) {
	e := v.entries
	url, user, svc := entry(e, "url"), entry(e, "username"), entry(e, "service")
	if url == "" && user != "" {
		url = "x-apple:" + user
	}
	if url == "" {
		return
	}
	name := "X-SOCIALPROFILE"
	if svc != "" {
		name += ";TYPE=" + param(svc)
	}
	if user != "" {
		name += ";X-USER=" + param(user)
	}
	c.Line(name, uriValue(url))
}
