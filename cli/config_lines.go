package cli

import (
	"strings"

	"github.com/BurntSushi/toml"
)

// keyLines maps each key of a TOML text to the line that defines it, for
// error messages: the toml package keeps key positions to itself. It
// reads [table] headers and "key =" lines; a key it cannot place gets its
// table's line, or none.
func keyLines(text string) map[string]int {
	lines := map[string]int{}
	record := func(key string, n int) {
		if _, ok := lines[key]; !ok {
			lines[key] = n
		}
	}
	table, multi := "", ""
	for i, line := range strings.Split(text, "\n") {
		s := strings.TrimSpace(line)
		switch {
		case multi != "":
			if strings.Contains(s, multi) {
				multi = ""
			}
		case s == "" || s[0] == '#':
		case s[0] == '[':
			name, _, _ := strings.Cut(strings.TrimLeft(s, "["), "]")
			table = normKey(name)
			record(table, i+1)
		default:
			k, rest, ok := strings.Cut(s, "=")
			if !ok {
				continue
			}
			key := normKey(k)
			if table != "" {
				key = table + "." + key
			}
			record(key, i+1)
			for _, q := range []string{`"""`, `'''`} {
				if strings.Count(rest, q) == 1 {
					multi = q
				}
			}
		}
	}
	return lines
}

// normKey spells a dotted key as toml.Key.String does.
func normKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return toml.Key(parts).String()
}

// lineOf is the line of a key, or of the nearest table that holds it.
func lineOf(lines map[string]int, key string) int {
	for k := key; k != ""; {
		if n, ok := lines[k]; ok {
			return n
		}
		i := strings.LastIndex(k, ".")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}
