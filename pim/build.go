package pim

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxNameRunes bounds Record.Name.
const maxNameRunes = 200

// build decodes the parsed lines and assembles the Record.
func (p *recParser) build() Record {
	rec := Record{Kind: p.kind, Fields: make(map[string][]string, len(p.props))}
	own := make(map[string][]*field, len(p.props)) // the record's own fields by name, volatile ones included
	// One allocation for all the fields own points into (its capacity is
	// never exceeded, so the pointers stay good).
	fields := make([]field, 0, len(p.props))
	for i := range p.props {
		fields = append(fields, decodeField(&p.props[i], p.paths[i], p.charsets, p.damaged))
		f := &fields[len(fields)-1]
		if f.path == "" {
			own[f.name] = append(own[f.name], f)
		}
		if !Volatile(f.name) {
			k := f.key()
			rec.Fields[k] = append(rec.Fields[k], f.render())
		}
	}
	first := func(name string) string {
		for _, f := range own[name] {
			if f.text != "" {
				return f.text
			}
		}
		return ""
	}
	rec.UID = oneLine(first("UID"))
	rec.Start = oneLine(first("DTSTART"))
	rec.Due = oneLine(first("DUE"))
	rec.Status = strings.ToUpper(oneLine(first("STATUS")))
	rec.RecurrenceID = oneLine(first("RECURRENCE-ID"))
	kind := p.kind.String()
	switch p.kind {
	case RecContact:
		rec.Name = contactName(own)
		if rec.UID == "" {
			fn, n := first("FN"), first("N")
			switch {
			case fn != "" || n != "":
				rec.Key = kind + ":fn:" + fold(fn) + "|" + fold(n)
			case rec.Name != noName:
				rec.Key = kind + ":name:" + fold(rec.Name)
			}
		}
	case RecEvent, RecJournal, RecTodo:
		title := first("SUMMARY")
		if title == "" {
			title = firstLine(first("DESCRIPTION"))
		}
		for _, alt := range []string{"LOCATION", "COMMENT"} {
			if title == "" {
				title = firstLine(first(alt))
			}
		}
		if p.kind == RecTodo {
			rec.Name = todoName(title, rec.Due, rec.Status)
		} else {
			rec.Name = withDate(title, rec.Start)
		}
		if rec.UID == "" {
			when := rec.Start
			if when == "" {
				when = rec.Due
			}
			if sum := first("SUMMARY"); sum != "" || when != "" {
				rec.Key = kind + ":sum:" + fold(sum) + "|" + when
			}
		}
	case RecFreeBusy:
		rec.Name = withDate("free/busy", rec.Start)
	case RecTimezone:
		rec.Name = first("TZID")
		if rec.UID == "" && rec.Name != "" {
			rec.Key = kind + ":tzid:" + rec.Name
		}
	default:
		if len(p.items) > 0 && p.items[0].begin {
			rec.Name = strings.ToLower(p.items[0].comp)
		}
	}
	rec.Name = clip(oneLine(rec.Name), maxNameRunes)
	switch {
	case rec.UID != "":
		rec.Key = kind + ":" + rec.UID
	case rec.Key == "":
		rec.Key = kind + ":hash:" + fieldsDigest(rec.Fields)
	}
	return rec
}

// contactName picks a vCard's display name.
func contactName(own map[string][]*field) string {
	for _, f := range own["FN"] {
		if s := oneLine(f.text); s != "" {
			return s
		}
	}
	for _, f := range own["N"] {
		// N is Family;Given;Additional;Prefix;Suffix.
		var family, given string
		if len(f.comps) > 0 {
			family = f.comps[0]
		}
		if len(f.comps) > 1 {
			given = f.comps[1]
		}
		if s := oneLine(strings.TrimSpace(given + " " + family)); s != "" {
			return s
		}
		if s := oneLine(strings.Join(f.comps, " ")); s != "" {
			return s
		}
	}
	for _, f := range own["ORG"] {
		var parts []string
		for _, c := range f.comps {
			if c != "" {
				parts = append(parts, c)
			}
		}
		if s := oneLine(strings.Join(parts, ", ")); s != "" {
			return s
		}
	}
	for _, name := range []string{"TEL", "EMAIL", "NICKNAME", "X-ANDROID-CUSTOM"} {
		for _, f := range own[name] {
			s := f.text
			if name == "X-ANDROID-CUSTOM" { // "vnd.android.cursor.item/nickname;Nick;..."
				parts := strings.Split(s, ";")
				if len(parts) < 2 || parts[0] != "vnd.android.cursor.item/nickname" {
					continue
				}
				s = parts[1]
			}
			if s = oneLine(s); s != "" {
				return s
			}
		}
	}
	for _, name := range imProps {
		for _, f := range own[name] {
			if s := oneLine(f.text); s != "" {
				return s
			}
		}
	}
	for _, f := range own["ADR"] {
		// ADR is PO box;extended;street;locality;region;code;country.
		var parts []string
		for i, c := range f.comps {
			if c != "" && (i == 2 || i == 3) {
				parts = append(parts, c)
			}
		}
		if s := oneLine(strings.Join(parts, ", ")); s != "" {
			return s
		}
	}
	return noName
}

// Placeholders for records with nothing to name them by.
const (
	noName  = "(no name)"
	noTitle = "(no title)"
)

// imProps are instant-messaging properties, a contact's name of last resort.
var imProps = []string{"IMPP", "X-GOOGLE-TALK", "X-JABBER", "X-SKYPE", "X-SKYPE-USERNAME",
	"X-AIM", "X-ICQ", "X-MSN", "X-YAHOO", "X-QQ", "X-SIP", "X-GADUGADU", "X-TWITTER"}

// todoName is SUMMARY, ", due DUE", ", status".
func todoName(title, due, status string) string {
	s := title
	if s == "" {
		s = noTitle
	}
	if due != "" {
		s = strings.TrimPrefix(s+", due "+humanDate(due), ", ")
	}
	if status != "" {
		s = strings.TrimPrefix(s+", "+strings.ReplaceAll(strings.ToLower(status), "-", " "), ", ")
	}
	return s
}

// withDate is title+" ("+date+")".
func withDate(title, start string) string {
	if title == "" {
		title = noTitle
	}
	if start == "" {
		return title
	}
	return title + " (" + humanDate(start) + ")"
}

// humanDate writes an iCalendar DATE or DATE-TIME value ("20250617",
// "20250617T093000", "20250623T150000Z") as "2025-06-17", "2025-06-17 09:30",
// "2025-06-23 15:00 UTC". Anything else is returned as it is.
func humanDate(v string) string {
	digits := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	if len(v) < 8 || !digits(v[:8]) {
		return v
	}
	date := v[:4] + "-" + v[4:6] + "-" + v[6:8]
	rest := v[8:]
	switch {
	case rest == "":
		return date
	case len(rest) >= 7 && rest[0] == 'T' && digits(rest[1:7]):
		s := date + " " + rest[1:3] + ":" + rest[3:5]
		if rest[5:7] != "00" {
			s += ":" + rest[5:7]
		}
		switch rest[7:] {
		case "":
			return s
		case "Z", "z":
			return s + " UTC"
		}
	}
	return v
}

// fold normalises text for keys: NFKC, lower case, blanks collapsed.
func fold(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(norm.NFKC.String(s))), " ")
}

// oneLine collapses all blanks, newlines included, to single spaces.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\n\t\r") && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// firstLine returns the first non-blank line of s.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// clip cuts s to n runes, marking a cut with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// fieldsDigest is a short digest of the fields, independent of map order.
func fieldsDigest(fields map[string][]string) string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	slices.Sort(names)
	h := sha256.New()
	for _, k := range names {
		vals := slices.Clone(fields[k])
		slices.Sort(vals)
		for _, v := range vals {
			fmt.Fprintf(h, "%s\x00%s\x00", k, v)
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:12])
}
