package fakeadb

import (
	"fmt"
	"regexp"
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

// content is Android's `content` command (frameworks/base cmds/content
// Content.java): query prints "Row: N col=val, col=val" with no escaping;
// a usage error prints the usage and "[ERROR] ..." on stdout, a provider's
// error goes to stderr, and the exit code is 0 either way, as on a phone.
func content(p *Phone, e *Exec) int {
	op, flags, bad := contentArgs(e.Args[1:])
	if bad == "" && op != "query" && op != "insert" {
		bad = "Unsupported operation: " + op
	}
	if bad != "" {
		usage(e, bad)
		return 0
	}
	uri := last(flags["--uri"])
	if p.lockedQuery(e.Stderr, uri) {
		return 0
	}
	if t := p.opts.Content; !t.knows(authority(uri)) {
		fmt.Fprintf(e.Stderr, "Error while accessing provider:%s\njava.lang.IllegalStateException: Could not find provider: %s\n", authority(uri), authority(uri))
		return 0
	}
	if op == "query" {
		return p.query(e, uri, last(flags["--projection"]), last(flags["--where"]), last(flags["--sort"]))
	}
	return p.insert(e, uri, flags["--bind"])
}

// usage prints the first line of the usage and Content.java's message.
func usage(e *Exec, msg string) {
	fmt.Fprintf(e.Stdout, "usage: adb shell content [subcommand] [options]\n\n[ERROR] %s\n", msg)
}

// contentArgs reads the operation and its flags, or says what is wrong
// with them in Content.java's words.
func contentArgs(args []string) (op string, flags map[string][]string, bad string) {
	if len(args) == 0 {
		return "", nil, "Unsupported operation: null"
	}
	flags = map[string][]string{}
	for i := 1; i < len(args); i += 2 {
		switch a := args[i]; {
		case a != "--uri" && a != "--projection" && a != "--where" && a != "--sort" && a != "--bind" && a != "--user":
			return "", nil, "Unsupported argument: " + a
		case a == "--bind":
			// Parser.parseBindValue takes the next argument as it is
			// (mTokenizer.nextArg, not argumentValueRequired): null when
			// there is none, and a value starting with "--" is a bind.
			if i+1 >= len(args) {
				return "", nil, "Binding not well formed: null"
			}
			flags[a] = append(flags[a], args[i+1])
		case i+1 >= len(args) || args[i+1] == "" || strings.HasPrefix(args[i+1], "--"):
			return "", nil, "No value for argument: " + a
		default:
			flags[a] = append(flags[a], args[i+1])
		}
	}
	if len(flags["--uri"]) == 0 {
		return "", nil, "Content provider URI not specified. Did you specify --uri argument?"
	}
	if args[0] == "insert" && len(flags["--bind"]) == 0 {
		return "", nil, "Bindings not specified. Did you specify --bind argument(s)?"
	}
	return args[0], flags, ""
}

// knows reports whether some table's URI has this authority.
func (pr Provider) knows(auth string) bool {
	for uri := range pr {
		if authority(uri) == auth {
			return true
		}
	}
	return false
}

func last(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

func (p *Phone) query(e *Exec, uri, projection, where, sortBy string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.opts.Content[table(uri)]
	if t == nil {
		fmt.Fprintf(e.Stderr, "Error while accessing provider:%s\njava.lang.IllegalArgumentException: Unknown URI %s\n", authority(uri), uri)
		return 0
	}
	cols := t.Columns
	if projection != "" {
		cols = regexp.MustCompile(`\s*:\s*`).Split(projection, -1)
	}
	// A column the table lacks is refused as SQLiteQueryBuilder's
	// computeProjection refuses it when the provider set a projection map
	// (ContactsProvider2 does, strictly): IllegalArgumentException "Invalid
	// column X", which crosses Binder whole and which Content.java prints
	// after its "Error while accessing provider:" line, followed by a
	// stack trace the fake leaves out. A table queried without a
	// projection map would print SQLite's "no such column: X (code 1
	// SQLITE_ERROR)" instead; the fake does not imitate that. A test of an
	// older phone gives a Table without the columns that phone lacks.
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = indexOf(t.Columns, c)
		if idx[i] < 0 {
			fmt.Fprintf(e.Stderr, "Error while accessing provider:%s\njava.lang.IllegalArgumentException: Invalid column %s\n", authority(uri), c)
			return 0
		}
	}
	rows, err := filter(t, where)
	if err == nil {
		rows, err = order(t, rows, sortBy)
	}
	if err != nil {
		fmt.Fprintf(e.Stderr, "Error while accessing provider:%s\n%v\n", authority(uri), err)
		return 0
	}
	if len(rows) == 0 {
		fmt.Fprintln(e.Stdout, "No result found.")
		return 0
	}
	for n, row := range rows {
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

// table is the URI of the table a URI addresses: without its query string
// (?caller_is_syncadapter=true&account_name=...), which a provider reads as
// parameters, not as part of the path.
func table(uri string) string {
	t, _, _ := strings.Cut(uri, "?")
	return t
}

// maxID is the largest integer in column i of t, 0 for none, so that an
// insert takes the next _id as SQLite's INTEGER PRIMARY KEY does.
func maxID(t *Table, i int) int64 {
	var m int64
	for _, row := range t.Rows {
		if n, err := strconv.ParseInt(valueString(row, i), 10, 64); err == nil && n > m {
			m = n
		}
	}
	return m
}

func authority(uri string) string {
	a := strings.TrimPrefix(uri, "content://")
	a, _, _ = strings.Cut(a, "/")
	return a
}

// insert records the binds and adds a row to the URI's table (when there
// is one; a query string in the URI is not part of the table's name), so a
// later query sees it; columns it does not name are NULL and _id is the
// largest _id + 1, as SQLite assigns a rowid.
func (p *Phone) insert(e *Exec, uri string, binds []string) int {
	in := Insert{URI: uri}
	var values []any
	for _, b := range binds {
		// Parser.parseBindValue: cut at the first two ':', the rest is the
		// value, whole.
		parts := strings.SplitN(b, ":", 3)
		if b == "" || len(parts) != 3 {
			usage(e, "Binding not well formed: "+b)
			return 0
		}
		v, bad := bindValue(parts[1], parts[2])
		if bad != "" {
			usage(e, bad)
			return 0
		}
		in.Binds = append(in.Binds, Bind{parts[0], parts[1], parts[2]})
		values = append(values, v)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ins = append(p.ins, in)
	t := p.opts.Content[table(uri)]
	if t == nil {
		return 0
	}
	row := make([]any, len(t.Columns))
	if i := indexOf(t.Columns, "_id"); i >= 0 {
		row[i] = strconv.FormatInt(maxID(t, i)+1, 10)
	}
	for k, b := range in.Binds {
		if i := indexOf(t.Columns, b.Name); i >= 0 {
			row[i] = values[k]
		}
	}
	t.Rows = append(t.Rows, row)
	return 0
}

// bindValue converts a bind's value as Content.java does: "s" (that case
// only) is the text, the other types in any case go through Java's
// parsers (Boolean.parseBoolean is true for "true" in any case, false for
// anything else, stored as 1 or 0), "n" is NULL. A number the parser
// refuses is its NumberFormatException, an IllegalArgumentException that
// Content.java reports as a usage error.
func bindValue(typ, v string) (val any, bad string) {
	switch strings.ToLower(typ) {
	case "s":
		if typ == "s" {
			return v, ""
		}
	case "b":
		if strings.EqualFold(v, "true") {
			return 1, ""
		}
		return 0, ""
	case "i", "l":
		bits := 32
		if strings.EqualFold(typ, "l") {
			bits = 64
		}
		n, err := strconv.ParseInt(strings.TrimPrefix(v, "+"), 10, bits)
		if err != nil {
			return nil, fmt.Sprintf("For input string: %q", v)
		}
		return n, ""
	case "f", "d":
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return nil, fmt.Sprintf("For input string: %q", v)
		}
		return f, ""
	case "n":
		return nil, ""
	}
	return nil, "Unsupported type: " + typ
}
