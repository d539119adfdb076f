package fakeadb

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The --where clauses the fake understands: COL=VALUE, COL IN (V, ...)
// and COL IS NULL joined by AND, where a value is a number or a 'quoted'
// string. Anything else is refused loudly rather than ignored.
var (
	whereEq   = regexp.MustCompile(`^\s*(\w+)\s*=\s*('(?:[^']|'')*'|-?\d+)\s*$`)
	whereNull = regexp.MustCompile(`^\s*(\w+)\s+(?i:IS\s+NULL)\s*$`)
	whereIn   = regexp.MustCompile(`^\s*(\w+)\s+(?i:IN)\s*\(([^)]*)\)\s*$`)
	andSep    = regexp.MustCompile(`\s+(?i:AND)\s+`)
)

// filter returns the rows of t that the where clause selects.
func filter(t *Table, where string) ([][]any, error) {
	if strings.TrimSpace(where) == "" {
		return t.Rows, nil
	}
	type cond struct {
		col  int
		vals []string
		null bool // IS NULL
	}
	var conds []cond
	for _, part := range andSep.Split(where, -1) {
		var name string
		var vals []string
		null := false
		if m := whereNull.FindStringSubmatch(part); m != nil {
			name, null = m[1], true
		} else if m := whereEq.FindStringSubmatch(part); m != nil {
			name, vals = m[1], []string{unquote(m[2])}
		} else if m := whereIn.FindStringSubmatch(part); m != nil {
			name = m[1]
			for _, v := range strings.Split(m[2], ",") {
				vals = append(vals, unquote(strings.TrimSpace(v)))
			}
		} else {
			return nil, fmt.Errorf("fakeadb understands no --where like %q", part)
		}
		i := indexOf(t.Columns, name)
		if i < 0 {
			return nil, fmt.Errorf("no such column: %s", name)
		}
		conds = append(conds, cond{i, vals, null})
	}
	var rows [][]any
	for _, row := range t.Rows {
		ok := true
		for _, c := range conds {
			v := valueString(row, c.col)
			if c.null {
				ok = ok && (c.col >= len(row) || row[c.col] == nil)
				continue
			}
			ok = ok && indexOf(c.vals, v) >= 0 && v != "NULL"
		}
		if ok {
			rows = append(rows, row)
		}
	}
	return rows, nil
}

func unquote(v string) string {
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return strings.ReplaceAll(v[1:len(v)-1], "''", "'")
	}
	return v
}

// order sorts rows by --sort "COL [ASC|DESC]", numbers as numbers.
func order(t *Table, rows [][]any, by string) ([][]any, error) {
	f := strings.Fields(by)
	if len(f) == 0 {
		return rows, nil
	}
	i := indexOf(t.Columns, f[0])
	desc := len(f) == 2 && strings.EqualFold(f[1], "DESC")
	if i < 0 || len(f) > 2 || len(f) == 2 && !desc && !strings.EqualFold(f[1], "ASC") {
		return nil, fmt.Errorf("fakeadb understands no --sort like %q", by)
	}
	rows = append([][]any(nil), rows...)
	sort.SliceStable(rows, func(a, b int) bool {
		x, y := valueString(rows[a], i), valueString(rows[b], i)
		if desc {
			x, y = y, x
		}
		nx, ex := strconv.ParseFloat(x, 64)
		ny, ey := strconv.ParseFloat(y, 64)
		if ex == nil && ey == nil {
			return nx < ny
		}
		return x < y
	})
	return rows, nil
}
