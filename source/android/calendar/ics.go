package calendar

import (
	"strings"
)

// A tolerant iCalendar reader for FromICalendar. It is this package's own,
// not github.com/emersion/go-ical or pim's: go-ical's decoder gives up on a
// whole file at its first malformed line (Google and Outlook exports carry
// some), and pim.ParseRecord flattens sub-components into "VALARM.TRIGGER"
// fields and cuts a file into records apart from the VTIMEZONEs their TZIDs
// name, while restore needs the tree. Lines are unfolded (CRLF or LF,
// then a space or tab), parameters split outside double quotes, and lines
// without a colon are dropped. Input is bounded: at most maxICSLines
// logical lines and maxICSDepth nested components are read.

const (
	maxICSLines = 200000
	maxICSDepth = 8
)

// icsProp is one content line.
type icsProp struct {
	name   string              // upper-case
	params map[string][]string // upper-case names, values unquoted
	value  string              // raw: TEXT still escaped
}

// param returns the first value of a parameter, "" when absent.
func (p icsProp) param(name string) string {
	if v := p.params[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// icsComp is one component: BEGIN:NAME ... END:NAME.
type icsComp struct {
	name     string
	props    []icsProp
	children []*icsComp
}

// first returns the first property of that name.
func (c *icsComp) first(name string) (icsProp, bool) {
	for _, p := range c.props {
		if p.name == name {
			return p, true
		}
	}
	return icsProp{}, false
}

// all returns the properties of that name, in order.
func (c *icsComp) all(name string) []icsProp {
	var out []icsProp
	for _, p := range c.props {
		if p.name == name {
			out = append(out, p)
		}
	}
	return out
}

// parseICS reads data into a root component holding the top-level
// components. An END that closes nothing is ignored; components left open
// at the end are kept as read.
func parseICS(data []byte) *icsComp {
	root := &icsComp{}
	stack := []*icsComp{root}
	skipDepth := 0 // components nested too deep, skipped whole
	for i, ln := range unfoldICS(string(data)) {
		if i >= maxICSLines {
			break
		}
		p, ok := parseLine(ln)
		if !ok {
			continue
		}
		switch p.name {
		case "BEGIN":
			if skipDepth > 0 || len(stack) > maxICSDepth {
				skipDepth++
				continue
			}
			c := &icsComp{name: strings.ToUpper(strings.TrimSpace(p.value))}
			top := stack[len(stack)-1]
			top.children = append(top.children, c)
			stack = append(stack, c)
		case "END":
			if skipDepth > 0 {
				skipDepth--
				continue
			}
			name := strings.ToUpper(strings.TrimSpace(p.value))
			for j := len(stack) - 1; j > 0; j-- {
				if stack[j].name == name {
					stack = stack[:j]
					break
				}
			}
		default:
			if skipDepth == 0 {
				top := stack[len(stack)-1]
				top.props = append(top.props, p)
			}
		}
	}
	return root
}

// unfoldICS splits data into logical lines.
func unfoldICS(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var out []string
	var cur strings.Builder
	have := false
	for _, ln := range strings.Split(s, "\n") {
		if ln != "" && (ln[0] == ' ' || ln[0] == '\t') && have {
			cur.WriteString(ln[1:])
			continue
		}
		if strings.TrimSpace(ln) == "" {
			continue
		}
		if have {
			out = append(out, cur.String())
			cur.Reset()
		}
		cur.WriteString(ln)
		have = true
	}
	if have {
		out = append(out, cur.String())
	}
	return out
}

// parseLine splits NAME;P=V;P="V,W":value.
func parseLine(ln string) (icsProp, bool) {
	inQuote := false
	var parts []string
	start := 0
	for i := 0; i < len(ln); i++ {
		switch ln[i] {
		case '"':
			inQuote = !inQuote
		case ';':
			if !inQuote {
				parts = append(parts, ln[start:i])
				start = i + 1
			}
		case ':':
			if !inQuote {
				parts = append(parts, ln[start:i])
				p := icsProp{name: strings.ToUpper(strings.TrimSpace(parts[0])), value: ln[i+1:]}
				if p.name == "" {
					return icsProp{}, false
				}
				for _, kv := range parts[1:] {
					k, v, _ := strings.Cut(kv, "=")
					if p.params == nil {
						p.params = map[string][]string{}
					}
					k = strings.ToUpper(strings.TrimSpace(k))
					p.params[k] = append(p.params[k], splitParam(v)...)
				}
				return p, true
			}
		}
	}
	return icsProp{}, false
}

// splitParam splits a parameter value list at commas outside quotes and
// unquotes each value.
func splitParam(v string) []string {
	var out []string
	inQuote := false
	start := 0
	for i := 0; i <= len(v); i++ {
		if i == len(v) || (v[i] == ',' && !inQuote) {
			out = append(out, strings.Trim(v[start:i], `"`))
			start = i + 1
			continue
		}
		if v[i] == '"' {
			inQuote = !inQuote
		}
	}
	return out
}

// unescapeText reverses escapeText: \n \N \, \; \\.
func unescapeText(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
