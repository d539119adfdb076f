package calendar

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// todo is one reminder, from whichever table held it.
type todo struct {
	list, key    string // the list's key; the row's key for ordering
	uid          string
	title, notes string
	due          int64 // Unix ms; 0 for none
	dueAllDay    bool
	completed    bool
	completedAt  int64 // Unix ms; 0 for none
	priority     int64
}

// list is one reminder list.
type list struct{ key, title, uid string }

// renderLists writes one VCALENDAR of VTODOs per list, in key order; to-dos
// of lists not given are left out and counted in res.
func renderLists(lists []list, todos []todo, res *Result) ([]File, int) {
	sort.Slice(lists, func(i, j int) bool { return numLess(lists[i].key, lists[j].key) })
	by := map[string][]todo{}
	known := map[string]bool{}
	for _, l := range lists {
		known[l.key] = true
	}
	for _, t := range todos {
		if !known[t.list] {
			res.Skipped++
			continue
		}
		by[t.list] = append(by[t.list], t)
	}
	var files []File
	n := 0
	taken := map[string]bool{}
	for _, l := range lists {
		ts := by[l.key]
		sort.Slice(ts, func(i, j int) bool { return numLess(ts[i].key, ts[j].key) })
		var b lines
		b.add("BEGIN", "VCALENDAR")
		b.add("VERSION", "2.0")
		b.add("PRODID", prodid)
		if l.title != "" {
			b.add("X-WR-CALNAME", escapeText(l.title))
		}
		for _, t := range ts {
			writeTodo(&b, l, t)
			n++
		}
		b.add("END", "VCALENDAR")
		files = append(files, File{Name: uniqueName(l.title, taken), Title: l.title, Data: []byte(b.b.String())})
	}
	return files, n
}

func writeTodo(b *lines, l list, t todo) {
	const utc = "20060102T150405Z"
	b.add("BEGIN", "VTODO")
	uid := t.uid
	if uid == "" {
		h := sha256.Sum256([]byte(l.uid + "\x00" + l.key + "\x00" + t.key))
		uid = hex.EncodeToString(h[:16]) + "@iphone.lifeboat"
	}
	b.add("UID", escapeText(uid))
	// No modification time is read: DTSTAMP is the due or completion
	// time, else 2001-01-01, so the bytes stay the same.
	stamp := time.Unix(appleEpoch, 0)
	switch {
	case t.due != 0:
		stamp = time.UnixMilli(t.due)
	case t.completedAt != 0:
		stamp = time.UnixMilli(t.completedAt)
	}
	b.add("DTSTAMP", stamp.UTC().Format(utc))
	if t.title != "" {
		b.add("SUMMARY", escapeText(t.title))
	}
	if t.notes != "" {
		b.add("DESCRIPTION", escapeText(t.notes))
	}
	if t.due != 0 {
		if t.dueAllDay {
			b.add("DUE;VALUE=DATE", time.UnixMilli(t.due).UTC().Format("20060102"))
		} else {
			b.add("DUE", time.UnixMilli(t.due).UTC().Format(utc))
		}
	}
	if t.priority >= 1 && t.priority <= 9 {
		b.add("PRIORITY", strconv.FormatInt(t.priority, 10))
	}
	if t.completed || t.completedAt != 0 {
		b.add("STATUS", "COMPLETED")
		if t.completedAt != 0 {
			b.add("COMPLETED", time.UnixMilli(t.completedAt).UTC().Format(utc))
		}
	} else {
		b.add("STATUS", "NEEDS-ACTION")
	}
	b.add("END", "VTODO")
}

// numLess orders keys that are row ids numerically, others after them.
func numLess(a, b string) bool {
	x, ex := strconv.ParseInt(a, 10, 64)
	y, ey := strconv.ParseInt(b, 10, 64)
	switch {
	case ex == nil && ey == nil:
		return x < y
	case ex == nil || ey == nil:
		return ex == nil
	}
	return a < b
}

// uniqueName is a safe .ics file name from title, unique (ignoring case)
// among taken.
func uniqueName(title string, taken map[string]bool) string {
	base := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, strings.ToValidUTF8(title, "_"))
	base = strings.Trim(base, " .")
	for len(base) > 100 {
		_, n := utf8.DecodeLastRuneInString(base)
		base = base[:len(base)-n]
	}
	if base == "" {
		base = "Reminders"
	}
	name := base + ".ics"
	for i := 2; taken[strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("%s (%d).ics", base, i)
	}
	taken[strings.ToLower(name)] = true
	return name
}

// lines builds content lines: CRLF-terminated, folded at 75 octets, never
// inside a UTF-8 sequence (RFC 5545 section 3.1).
type lines struct{ b strings.Builder }

func (l *lines) add(name, value string) {
	s, limit := name+":"+value, 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		l.b.WriteString(s[:cut] + "\r\n ")
		s, limit = s[cut:], 74
	}
	l.b.WriteString(s + "\r\n")
}

// escapeText escapes a TEXT value; control characters other than tab are
// dropped (newlines become \n) and bytes that are not UTF-8 become U+FFFD.
func escapeText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\r\n", "\n"), "\r", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t' || r >= 0x20 && r != 0x7f:
			b.WriteRune(r)
		}
	}
	return b.String()
}
