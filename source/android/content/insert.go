package content

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Bind is one `--bind name:type:value` of `content insert`. Type is one of
// Content.java's: s (string), i (int), l (long), b (bool), f (float), d
// (double), n (null, Value empty).
type Bind struct{ Name, Type, Value string }

// InsertCommand returns `content insert --uri U --bind name:type:value ...`
// as one command line for the device's shell, every argument quoted with
// ShellQuote.
//
// Content.java (frameworks/base cmds/content, Parser.parseBindValue) cuts
// a bind at its first two ':' and keeps the rest whole
// (argument.substring(secondColonIndex + 1)), so a value may hold ':',
// ", data2=", quotes and line breaks: single quotes carry a newline
// through /system/bin/sh unchanged, and Content.java passes it to
// ContentValues as it is. InsertCommand refuses what would be misread: a
// URI that is not content://, no binds, a name that is not a column name
// (letters, digits, '_', not starting with a digit), an unknown type, a
// number that the type's Java parser (Integer.parseInt, Long.parseLong,
// ...) would reject, an n bind with a value, and a NUL byte anywhere (an
// argv string cannot hold one).
func InsertCommand(uri string, binds []Bind) (string, error) {
	if !strings.HasPrefix(uri, "content://") || len(uri) == len("content://") {
		return "", errors.New("content: insert uri must start with content://")
	}
	if len(binds) == 0 {
		return "", errors.New("content: insert without binds")
	}
	args := []string{"content", "insert", "--uri", uri}
	for _, b := range binds {
		if err := b.check(); err != nil {
			return "", err
		}
		args = append(args, "--bind", b.Name+":"+b.Type+":"+b.Value)
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsRune(a, 0) {
			return "", errors.New("content: insert argument holds a NUL byte")
		}
		quoted[i] = ShellQuote(a)
	}
	return strings.Join(quoted, " "), nil
}

// check refuses a bind Content.java would misread or reject.
func (b Bind) check() error {
	if !columnName(b.Name) {
		return fmt.Errorf("content: bind name %q is not a column name", clipName(b.Name))
	}
	var err error
	switch b.Type {
	case "s":
	case "i":
		_, err = strconv.ParseInt(b.Value, 10, 32)
	case "l":
		_, err = strconv.ParseInt(b.Value, 10, 64)
	case "f":
		_, err = strconv.ParseFloat(b.Value, 32)
	case "d":
		_, err = strconv.ParseFloat(b.Value, 64)
	case "b":
		if b.Value != "true" && b.Value != "false" {
			err = errors.New("not true or false")
		}
	case "n":
		if b.Value != "" {
			err = errors.New("a null bind has no value")
		}
	default:
		return fmt.Errorf("content: bind %s: unknown type %q", b.Name, clipName(b.Type))
	}
	if err != nil {
		return fmt.Errorf("content: bind %s: value is not of type %s: %w", b.Name, b.Type, err)
	}
	return nil
}

// columnName reports whether s is a plain SQL column name.
func columnName(s string) bool {
	if s == "" || len(s) > 64 || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// clipName cuts a refused name for an error message.
func clipName(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}
