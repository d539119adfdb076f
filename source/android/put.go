package android

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/source/android/adb"
	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// ErrAccount is an account the phone does not have.
var ErrAccount = errors.New("no such account")

// PutOptions configure putting a snapshot onto a phone.
type PutOptions struct {
	// Account is where contacts and events go: "" is the phone's own
	// (contacts without an account, events in a local calendar named
	// "lifeboat"); else an account the phone has (its name, as the
	// Accounts settings show it).
	Account string
	// DryRun counts what would be put, and puts nothing.
	DryRun bool
	// Progress, if set, is told each item done, of total.
	Progress func(done, total int)
}

// Items are what to put onto a phone.
type Items struct {
	Cards     []Record // vCard records, one each (pim.Split pieces)
	Calendars []Record // iCalendar files
	Files     []File   // media files, at their paths under /sdcard
}

// Record is one vCard record or iCalendar file, and the snapshot path it
// came from (for messages).
type Record struct {
	From string
	Data []byte
}

// File is one media file to push.
type File struct {
	Path  string // slash path under /sdcard, e.g. DCIM/Camera/IMG_1.jpg
	Size  int64
	MTime time.Time
	// Write writes the file's bytes to w.
	Write func(ctx context.Context, w io.Writer) error
}

// Count is what happened to one kind of item.
type Count struct {
	Added   int // put onto the phone (would be, with DryRun)
	Present int // already there with the same content: left alone
	Differ  int // a file already there with other content: left alone
}

// PutResult is what Put did.
type PutResult struct {
	Contacts, Events, Files Count
	// Todos are to-dos the calendars held: Android has no provider for
	// them, so they stay in the snapshot.
	Todos int
	// Skipped names the properties no provider column holds (PHOTO,
	// CATEGORIES, ...), each once.
	Skipped []string
	// Failed are items the phone refused or did not keep, each with why.
	Failed []string
	// Calendar names the calendar events went into.
	Calendar string
}

// Put puts items onto the phone: contacts and events through the
// providers, files through sync (with their mtimes, and the media scanner
// told of each). It never deletes or changes what is on the phone: a
// contact or event with the same content as one there is skipped, and so
// is a file whose path is taken. What it adds is read back: anything the
// phone did not keep is in Failed.
func Put(ctx context.Context, d *adb.Device, opts PutOptions, items Items) (*PutResult, error) {
	res := &PutResult{}
	if err := checkUnlocked(ctx, d); err != nil {
		return res, err
	}
	skipped := map[string]bool{}
	pr := &progress{f: opts.Progress, total: len(items.Cards) + len(items.Calendars) + len(items.Files)}
	if len(items.Cards) > 0 {
		if err := putContacts(ctx, d, opts, items.Cards, res, skipped, pr); err != nil {
			return res, err
		}
	}
	if len(items.Calendars) > 0 {
		if err := putEvents(ctx, d, opts, items.Calendars, res, skipped, pr); err != nil {
			return res, err
		}
	}
	if len(items.Files) > 0 {
		if err := putFiles(ctx, d, opts, items.Files, res, pr); err != nil {
			return res, err
		}
	}
	for k := range skipped {
		res.Skipped = append(res.Skipped, k)
	}
	slices.Sort(res.Skipped)
	return res, nil
}

type progress struct {
	f           func(done, total int)
	done, total int
}

func (p *progress) step() {
	p.done++
	if p.f != nil {
		p.f(p.done, p.total)
	}
}

// insert runs `content insert` for each row, in as few shell commands as
// fit in adb's request (see lines), and checks that they printed nothing:
// `content` exits 0 whatever happens, and says on stderr (or, without
// shell v2, on stdout) why a row was refused. Each still starts a Java
// process on the phone.
func insert(ctx context.Context, d shell, uri string, rows ...[]content.Bind) error {
	ls, err := lines(uri, rows)
	if err != nil {
		return err
	}
	for _, l := range ls {
		res, err := d.Shell(ctx, l)
		if err != nil {
			return err
		}
		res = withoutLinkerWarnings(res)
		if msg := strings.TrimSpace(string(res.Stderr) + string(res.Stdout)); msg != "" || res.Exit != 0 {
			return fmt.Errorf("the phone refused the row: %s", firstLine(msg))
		}
	}
	return nil
}

// maxLine bounds a shell command line: adb's host request carries at
// most 0xffff bytes, "shell,v2,raw:" and the command, or, without shell
// v2, the command single-quoted (each ' as 4 bytes) with the exit marker
// after it (adb.Device.Shell), which is at most 80 bytes more.
const maxLine = 0xffff - 80

// lineCost is what cmd takes of maxLine.
func lineCost(cmd string) int { return len(cmd) + 3*strings.Count(cmd, "'") }

// errTooLong is a row whose `content insert` cannot be one shell command.
var errTooLong = errors.New("too long for one adb shell command (64 KiB)")

// lines builds the `content insert` commands of rows and joins them with
// "; " into as few shell command lines as fit in maxLine. A row that
// cannot be put (a bind content.InsertCommand refuses, a command over
// maxLine) is an error before anything is run, so that a caller can check
// the rows of a record before it inserts the row they hang from.
func lines(uri string, rows [][]content.Bind) ([]string, error) {
	var out []string
	cur, cost := "", 0
	for _, binds := range rows {
		cmd, err := content.InsertCommand(uri, binds)
		if err != nil {
			return nil, err
		}
		c := lineCost(cmd)
		if c > maxLine {
			return nil, fmt.Errorf("a row of %s: %w", uri, errTooLong)
		}
		if cur != "" && cost+2+c <= maxLine {
			cur, cost = cur+"; "+cmd, cost+2+c
			continue
		}
		if cur != "" {
			out = append(out, cur)
		}
		cur, cost = cmd, c
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out, nil
}

// placeholderID stands for a row's id not yet known when its dependent
// rows are checked: as long as any id can be.
const placeholderID = "9223372036854775807"

// maxID returns the largest _id of a table, 0 when it is empty: how an
// insert learns the id the provider gave its row (`content insert`
// prints none).
func maxID(ctx context.Context, d shell, uri, where string) (int64, error) {
	rows, _, _, err := query{uri: uri, cols: []string{"_id"}, required: 1, where: where}.run(ctx, d)
	if err != nil {
		return 0, err
	}
	var m int64
	for _, r := range rows {
		if n, err := strconv.ParseInt(r["_id"], 10, 64); err == nil && n > m {
			m = n
		}
	}
	return m, nil
}

// kept checks what was added (signature → where it came from) against
// the signatures read back from the phone: each the phone does not have
// is taken off c.Added and named in res.Failed, in the order of where
// they came from.
func kept(added map[string]string, now map[string]bool, c *Count, res *PutResult, what string) {
	var lost []string
	for sig, from := range added {
		if !now[sig] {
			lost = append(lost, from)
		}
	}
	slices.Sort(lost)
	for _, from := range lost {
		c.Added--
		res.Failed = append(res.Failed, from+": the phone did not keep the "+what+" as sent")
	}
}

// accountWhere selects the rows of the account that binds give a new
// row: a null bind as IS NULL, a string as ='...'. An insert reads the
// largest _id of its own account (or calendar) only, so that a row a sync
// adapter adds meanwhile (a Google account syncing after a reset) is
// never taken for it, and given its data rows.
func accountWhere(binds []content.Bind) string {
	var parts []string
	for _, b := range binds {
		if b.Type == "n" {
			parts = append(parts, b.Name+" IS NULL")
		} else {
			parts = append(parts, b.Name+"='"+strings.ReplaceAll(b.Value, "'", "''")+"'")
		}
	}
	return strings.Join(parts, " AND ")
}

// newID is the id of the row an insert just made: the largest _id that
// where selects, when it is above last; else the largest of the table
// (a provider that keeps a new row under another account than the one
// given: some phones store contacts without an account under their own
// local account).
func newID(ctx context.Context, d shell, uri, where string, last int64) (int64, error) {
	id, err := maxID(ctx, d, uri, where)
	if err != nil || id > last || where == "" {
		return id, err
	}
	return maxID(ctx, d, uri, "")
}

// fatal is an error that ends a put: the phone gone, or the run cancelled.
func fatal(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, adb.ErrGone)
}
