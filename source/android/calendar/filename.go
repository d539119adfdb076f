package calendar

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// File names. A calendar's file is its display name (else its account name,
// else "calendar") with every character that is not a letter, digit,
// space, '-', '_' or '.' replaced by '_', leading dots and spaces removed,
// cut to 100 bytes, plus ".ics". Windows device names get a leading '_'.
// A name already taken (ignoring case) gets "-<_id>" added; one still
// taken (only a provider that repeats an _id does that) gets "-<_id>-N"
// with the first free N from 2, so that names stay short however many
// calendars repeat one. Calendars are named in _id order.

const maxNameBytes = 100

// names are the file names given so far (lower-cased), and for each
// "-<_id>" name the next N to try.
type names struct {
	taken map[string]bool
	next  map[string]int
}

func newNames() *names { return &names{taken: map[string]bool{}, next: map[string]int{}} }

func fileName(cal map[string]string, n *names) string {
	base := safeName(cal["calendar_displayName"])
	if base == "" {
		base = safeName(cal["account_name"])
	}
	if base == "" {
		base = "calendar"
	}
	suffix := safeName(cal["_id"])
	if suffix == "" {
		suffix = "0"
	}
	name := base
	if n.taken[strings.ToLower(name)] {
		name = base + "-" + suffix
	}
	stem := strings.ToLower(name)
	for n.taken[strings.ToLower(name)] {
		i := max(n.next[stem], 2)
		n.next[stem] = i + 1
		name = base + "-" + suffix + "-" + strconv.Itoa(i)
	}
	n.taken[strings.ToLower(name)] = true
	return name + ".ics"
}

func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError:
			return '_'
		case unicode.IsLetter(r), unicode.IsDigit(r), r == ' ', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
	s = strings.TrimLeft(s, ". ")
	if len(s) > maxNameBytes {
		cut := maxNameBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	s = strings.TrimRight(s, ". ")
	switch strings.ToUpper(strings.SplitN(s, ".", 2)[0]) {
	case "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		s = "_" + s
	}
	return s
}
