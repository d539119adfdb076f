package android

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/lifeboat-backup/lifeboat/source/android/adb"
	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// query is one provider table read with `content query`, and how far it
// may fall back: the first required columns must be there; the others
// are left out, one at a time, when the provider refuses them (an older
// Android without a column), so a backup reads what the phone has rather
// than failing.
type query struct {
	uri      string
	cols     []string
	required int
	where    string
}

// errNoProvider is a provider the phone does not have (no calendar app
// and no provider, on some stripped-down phones).
var errNoProvider = errors.New("the phone has no such provider")

// invalidColumn finds the column a provider refused: ContactsProvider and
// CalendarProvider say "Invalid column X"; SQLite itself "no such column: X".
var invalidColumn = regexp.MustCompile(`(?:Invalid column|no such column:?)\s+([A-Za-z_][A-Za-z0-9_]*)`)

// maxStderr is how much of a provider's error a message quotes.
const maxStderr = 300

// run reads a table and returns its rows, the columns it read, and the
// columns the phone refused.
func (q query) run(ctx context.Context, d shell) (rows []content.Row, cols, dropped []string, err error) {
	cols = slices.Clone(q.cols)
	for {
		cmd, err := content.Query{URI: q.uri, Projection: cols, Where: q.where}.Command()
		if err != nil {
			return nil, nil, nil, err
		}
		res, err := d.Shell(ctx, cmd)
		if err != nil {
			return nil, nil, nil, err
		}
		res = withoutLinkerWarnings(res)
		rows, perr := content.Parse(res.Stdout, cols)
		if perr == nil && len(bytes.TrimSpace(res.Stderr)) == 0 {
			return rows, cols, dropped, nil
		}
		// Errors go to stderr with exit code 0 (Content.java); without
		// shell protocol v2 they are mixed into stdout.
		msg := string(res.Stderr)
		if perr != nil {
			msg += "\n" + string(res.Stdout)
		}
		col := ""
		if m := invalidColumn.FindStringSubmatch(msg); m != nil {
			col = m[1]
		}
		i := slices.Index(cols, col)
		switch {
		case i >= q.required:
			cols = slices.Delete(cols, i, i+1)
			dropped = append(dropped, col)
			continue
		case i >= 0:
			return nil, nil, nil, fmt.Errorf("%s: the phone refused the column %s, which lifeboat needs", q.uri, col)
		}
		return nil, nil, nil, providerError(q.uri, msg, perr)
	}
}

// linkerWarning starts the lines that the linker of some Android 5 and 6
// phones (custom ROMs, x86 phones) prints on stderr for every process it
// starts, `content` included: "WARNING: linker: /system/lib/libx.so:
// unused DT entry: type 0x6ffffffe arg 0x1188". They say nothing of the
// command.
const linkerWarning = "WARNING: linker: "

// withoutLinkerWarnings drops the linker's warnings from stderr, and from
// the start of stdout, where a phone without shell protocol v2 mixes
// them in before the command prints anything.
func withoutLinkerWarnings(res adb.Result) adb.Result {
	if !bytes.Contains(res.Stdout, []byte(linkerWarning)) && !bytes.Contains(res.Stderr, []byte(linkerWarning)) {
		return res
	}
	for bytes.HasPrefix(res.Stdout, []byte(linkerWarning)) {
		_, res.Stdout, _ = bytes.Cut(res.Stdout, []byte("\n"))
	}
	var errb []byte
	for _, l := range bytes.SplitAfter(res.Stderr, []byte("\n")) {
		if !bytes.HasPrefix(l, []byte(linkerWarning)) {
			errb = append(errb, l...)
		}
	}
	res.Stderr = errb
	return res
}

// providerError words what a failed query printed.
func providerError(uri, msg string, perr error) error {
	lower := strings.ToLower(msg)
	switch {
	case strings.Contains(lower, "could not find provider") || strings.Contains(lower, "unknown uri") || strings.Contains(lower, "unknown url"):
		return fmt.Errorf("%s: %w", uri, errNoProvider)
	case strings.Contains(lower, "locked") || strings.Contains(lower, "credential encrypted") || strings.Contains(lower, "not unlocked"):
		return fmt.Errorf("%s: %w (the provider says: %s)", uri, ErrLocked, firstLine(msg))
	case strings.Contains(lower, "permission denial") || strings.Contains(lower, "securityexception"):
		return fmt.Errorf("%s: the phone refused the query: %s", uri, firstLine(msg))
	}
	if strings.TrimSpace(msg) == "" && perr != nil {
		return fmt.Errorf("%s: %w", uri, perr)
	}
	return fmt.Errorf("%s: the query failed: %s", uri, firstLine(msg))
}

// firstLine is the first line of msg that says something, cut short.
func firstLine(msg string) string {
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "Error while accessing provider") || strings.HasPrefix(l, "usage:") {
			continue
		}
		if len(l) > maxStderr {
			l = l[:maxStderr] + "..."
		}
		return l
	}
	return "(no message)"
}

// shell is what reading providers needs of a phone.
type shell interface {
	Shell(ctx context.Context, cmd string) (adb.Result, error)
}
