package content

import (
	"errors"
	"fmt"
	"strings"
)

// Query is one `content query` call.
type Query struct {
	URI        string   // content://authority/path
	Projection []string // columns, in the order Parse expects them
	Where      string   // SQL selection, "" for none
	Sort       string   // sort order, "" for none
}

// Args returns the command's arguments, unquoted:
// content query --uri U --projection a:b:c [--where W] [--sort S].
// It refuses what Content.java would reject or misread: a URI that is not
// content://, a bad projection, and a where or sort clause that is empty
// after trimming is simply left out, while one starting with "--" (taken
// for a missing value) or holding a NUL byte is an error.
func (q Query) Args() ([]string, error) {
	if !strings.HasPrefix(q.URI, "content://") || len(q.URI) == len("content://") {
		return nil, errors.New("content: query uri must start with content://")
	}
	if err := checkProjection(q.Projection); err != nil {
		return nil, err
	}
	args := []string{"content", "query", "--uri", q.URI, "--projection", strings.Join(q.Projection, ":")}
	for _, o := range []struct{ flag, val string }{{"--where", q.Where}, {"--sort", q.Sort}} {
		v := strings.TrimSpace(o.val)
		if v == "" {
			continue
		}
		if strings.HasPrefix(v, "--") {
			return nil, fmt.Errorf("content: %s value may not start with --", o.flag)
		}
		args = append(args, o.flag, v)
	}
	for _, a := range args {
		if strings.ContainsRune(a, 0) {
			return nil, errors.New("content: query argument holds a NUL byte")
		}
	}
	return args, nil
}

// Command returns the query as one command line for the device's shell
// (what adb's shell and exec services run through /system/bin/sh), every
// argument single-quoted so that no character of a URI or where clause is
// interpreted by the shell.
func (q Query) Command() (string, error) {
	args, err := q.Args()
	if err != nil {
		return "", err
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = ShellQuote(a)
	}
	return strings.Join(quoted, " "), nil
}

// ShellQuote quotes s for a POSIX shell: inside single quotes, each single
// quote in s closing the quotes, escaped, and reopening them:
//
//	O'Brien  ->  'O'\''Brien'
//
// as adb's own escape_arg (adb_utils.cpp) quotes `adb shell` arguments.
// (Debian's SERVICES.TXT still says shell: arguments take double quotes
// and cannot hold one: that describes an old adbd; today's runs the line
// with /system/bin/sh -c.)
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
