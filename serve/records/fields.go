package records

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"

	"github.com/lifeboat-backup/lifeboat/pim"
)

// Field is one property of a record, ready to show.
type Field struct {
	Name   string // upper-case property name, e.g. "TEL"; sub-components as "VALARM.TRIGGER"
	Group  string // vCard group ("item1"), "" for none
	Label  string // TYPE values, lower-case, comma-separated ("cell, voice"), or an X-ABLabel
	Params string // every parameter, as "TYPE=CELL;PREF=1"
	Value  string // the value, escapes undone, structured values joined; "[binary, N bytes]" for base64
}

// clean removes C0 control characters other than tab and newline (and
// DEL) from a display value; everything else, markup included, is kept.
func clean(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' || c == 0x7f {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// oneLine is clean with newlines and tabs as spaces, for names.
func oneLine(s string) string {
	return strings.Join(strings.Fields(clean(s)), " ")
}

// recordID is a record's id in URLs: a digest of its identity (stable
// while the record keeps it: always for a UID, until an edit without).
func recordID(identity string) string {
	sum := sha256.Sum256([]byte(identity))
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:10]))
}

// displayFields turns properties into Fields: vCard X-ABLabel lines label
// their group's property instead of standing alone.
func displayFields(props []pim.Property) []Field {
	labels := map[string]string{}
	for _, p := range props {
		if p.Group != "" && p.Name == "X-ABLABEL" {
			labels[strings.ToLower(p.Group)] = abLabel(pim.Unescape(p.Value))
		}
	}
	out := make([]Field, 0, len(props))
	for _, p := range props {
		if p.Name == "X-ABLABEL" && p.Group != "" && labels[strings.ToLower(p.Group)] != "" {
			continue
		}
		f := Field{Name: clean(fieldName(p)), Group: clean(p.Group), Params: clean(params(p.Params)), Value: clean(displayValue(p))}
		var types []string
		for _, t := range p.Param("TYPE") {
			for _, x := range strings.Split(t, ",") {
				if x = strings.ToLower(strings.TrimSpace(x)); x != "" && x != "internet" && x != "pref" {
					types = append(types, x)
				}
			}
		}
		f.Label = clean(strings.Join(types, ", "))
		if l := labels[strings.ToLower(p.Group)]; l != "" {
			f.Label = clean(l)
		}
		out = append(out, f)
	}
	return out
}

// abLabel turns Apple's "_$!<Mobile>!$_" into "mobile".
func abLabel(s string) string {
	if strings.HasPrefix(s, "_$!<") && strings.HasSuffix(s, ">!$_") {
		s = strings.ToLower(s[4 : len(s)-4])
	}
	return s
}

func fieldName(p pim.Property) string {
	if p.Path != "" {
		return p.Path + "." + p.Name
	}
	return p.Name
}

func params(ps []pim.Param) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(p.Name)
		b.WriteByte('=')
		b.WriteString(strings.Join(p.Values, ","))
	}
	return b.String()
}

// displayValue is a property's value as a person reads it.
func displayValue(p pim.Property) string {
	if p.Binary {
		return "[binary data]"
	}
	switch p.Name {
	case "N":
		// Family;Given;Additional;Prefix;Suffix → "Prefix Given Additional Family Suffix"
		c := append(pim.SplitValue(p.Value, ';'), "", "", "", "", "")
		return joinNonEmpty(" ", c[3], c[1], c[2], c[0], c[4])
	case "ADR":
		// PO box;extended;street;locality;region;code;country
		return joinNonEmpty(", ", pim.SplitValue(p.Value, ';')...)
	case "ORG", "GENDER":
		return joinNonEmpty(", ", pim.SplitValue(p.Value, ';')...)
	case "CATEGORIES", "NICKNAME":
		return joinNonEmpty(", ", pim.SplitValue(p.Value, ',')...)
	case "PHOTO", "LOGO", "SOUND", "KEY":
		if strings.HasPrefix(strings.ToLower(p.Value), "data:") {
			return "[inline data]"
		}
	}
	return strings.TrimSpace(pim.Unescape(p.Value))
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
