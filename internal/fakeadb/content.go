package fakeadb

import (
	"fmt"
	"strconv"
	"strings"
)

// Table is one content URI's rows. A value is nil (printed NULL), []byte
// (printed BLOB), string, or a Go number.
type Table struct {
	Columns []string
	Rows    [][]any
}

// Provider maps a content URI (content://com.android.contacts/data) to
// its rows.
type Provider map[string]*Table

// Bind is one `--bind name:type:value` of `content insert`.
type Bind struct{ Name, Type, Value string }

// Insert is one `content insert` the phone was given.
type Insert struct {
	URI   string
	Binds []Bind
}

// content is Android's `content` command (cmds/content Content.java):
// query prints "Row: N col=val, col=val" with no escaping, and errors go
// to stderr with exit code 0, as on a phone.
func content(p *Phone, e *Exec) int {
	if len(e.Args) < 2 {
		fmt.Fprintln(e.Stderr, "usage: adb shell content [subcommand] [options]")
		return 1
	}
	flags := map[string][]string{}
	for i := 2; i < len(e.Args); i++ {
		if !strings.HasPrefix(e.Args[i], "--") || i+1 >= len(e.Args) {
			fmt.Fprintf(e.Stderr, "Error: Unsupported argument: %s\n", e.Args[i])
			return 1
		}
		flags[e.Args[i]] = append(flags[e.Args[i]], e.Args[i+1])
		i++
	}
	uri := last(flags["--uri"])
	if uri == "" {
		fmt.Fprintln(e.Stderr, "Error: Content provider URI not specified")
		return 1
	}
	switch e.Args[1] {
	case "query":
		return p.query(e, uri, last(flags["--projection"]))
	case "insert":
		return p.insert(e, uri, flags["--bind"])
	}
	fmt.Fprintf(e.Stderr, "Error: Unsupported operation: %s\n", e.Args[1])
	return 1
}

func last(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

func (p *Phone) query(e *Exec, uri, projection string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.opts.Content[uri]
	if t == nil {
		fmt.Fprintf(e.Stderr, "Error while accessing provider:%s\njava.lang.IllegalArgumentException: Unknown URI %s\n", authority(uri), uri)
		return 0
	}
	cols := t.Columns
	if projection != "" {
		cols = strings.Split(projection, ":")
	}
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = indexOf(t.Columns, c)
		if idx[i] < 0 {
			fmt.Fprintf(e.Stderr, "Error while accessing provider:%s\njava.lang.IllegalArgumentException: Invalid column %s\n", authority(uri), c)
			return 0
		}
	}
	if len(t.Rows) == 0 {
		fmt.Fprintln(e.Stdout, "No result found.")
		return 0
	}
	for n, row := range t.Rows {
		var b strings.Builder
		fmt.Fprintf(&b, "Row: %d ", n)
		for i, c := range cols {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(c + "=" + valueString(row, idx[i]))
		}
		fmt.Fprintln(e.Stdout, b.String())
	}
	return 0
}

func valueString(row []any, i int) string {
	if i >= len(row) {
		return "NULL"
	}
	switch v := row[i].(type) {
	case nil:
		return "NULL"
	case []byte:
		return "BLOB"
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func authority(uri string) string {
	a := strings.TrimPrefix(uri, "content://")
	a, _, _ = strings.Cut(a, "/")
	return a
}

// insert records the binds and adds a row to the URI's table (when there
// is one), so a later query sees it; columns it does not name are NULL.
func (p *Phone) insert(e *Exec, uri string, binds []string) int {
	in := Insert{URI: uri}
	for _, b := range binds {
		parts := strings.SplitN(b, ":", 3)
		if len(parts) != 3 {
			fmt.Fprintf(e.Stderr, "Error: Invalid binding: %s\n", b)
			return 1
		}
		in.Binds = append(in.Binds, Bind{parts[0], parts[1], parts[2]})
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ins = append(p.ins, in)
	t := p.opts.Content[uri]
	if t == nil {
		return 0
	}
	row := make([]any, len(t.Columns))
	if i := indexOf(t.Columns, "_id"); i >= 0 {
		row[i] = strconv.Itoa(len(t.Rows) + 1)
	}
	for _, b := range in.Binds {
		if i := indexOf(t.Columns, b.Name); i >= 0 && b.Type != "n" {
			row[i] = b.Value
		}
	}
	t.Rows = append(t.Rows, row)
	return 0
}
