// Package calendar renders an iPhone's calendars and reminders, as a backup
// holds them, as iCalendar files: each calendar of Calendar.sqlitedb
// (HomeDomain Library/Calendar/Calendar.sqlitedb) as one file of VEVENTs,
// and each reminder list, of a Reminders store (Library/Reminders/
// Container_v1/Stores/*.sqlite, table ZREMCDREMINDER, iOS 13 and later) or
// of Calendar.sqlitedb itself (CalendarItem rows of entity type 3, before
// iOS 13), as one file of VTODOs.
//
// The events are turned into the rows of Android's Calendar provider and
// rendered by source/android/calendar, so both phones' calendars come out
// in one style: VTIMEZONE from Go's zones, folded lines, escaped text,
// stable UIDs, RRULE, EXDATE, RECURRENCE-ID, VALARM, ATTENDEE. The bytes
// depend only on the database's rows.
//
// Columns differ between iOS versions: each table's columns are asked of
// SQLite (PRAGMA table_info) and a missing one reads as NULL. A row that
// cannot be rendered (no start, a time out of range, a text longer than
// MaxText) is skipped and counted; a database that is not SQLite, or lacks
// the main table, is an error.
//
// Limits: at most MaxRows rows of each table and MaxText bytes of each
// value are read; one Recurrence row per item (iOS writes one); a timed
// event of floating time ("_float") is written in UTC; alarms after the
// start or at an absolute time are counted, not written (DroppedAlarms).
package calendar

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite/vfs"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Limits.
const (
	// MaxRows bounds the rows read from any one table.
	MaxRows = 200_000
	// MaxText bounds one column's value in bytes; a longer one reads as
	// NULL.
	MaxText = 64 << 10
)

// appleEpoch is 2001-01-01 UTC in Unix seconds: iOS keeps times as
// seconds since then.
const appleEpoch = 978307200

// dbFS is the fs.FS SQLite reads the database from: one file, read-only.
type dbFS struct {
	r    io.ReaderAt
	size int64
}

func (d dbFS) Open(name string) (fs.File, error) {
	if name != "db" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &dbFile{io.NewSectionReader(d.r, 0, d.size)}, nil
}

type dbFile struct{ *io.SectionReader }

func (f *dbFile) Stat() (fs.FileInfo, error) { return dbInfo(f.Size()), nil }
func (f *dbFile) Close() error               { return nil }

type dbInfo int64

func (i dbInfo) Name() string       { return "db" }
func (i dbInfo) Size() int64        { return int64(i) }
func (i dbInfo) Mode() fs.FileMode  { return 0o400 }
func (i dbInfo) ModTime() time.Time { return time.Time{} }
func (i dbInfo) IsDir() bool        { return false }
func (i dbInfo) Sys() any           { return nil }

// database is an SQLite file open read-only and immutable: nothing is
// written beside it and no plaintext reaches the disk.
type database struct {
	db  *sql.DB
	vfs *vfs.FS
}

func openDB(r io.ReaderAt, size int64) (*database, error) {
	name, v, err := vfs.New(dbFS{r: r, size: size})
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:db?vfs="+name+"&mode=ro&immutable=1")
	if err != nil {
		v.Close()
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return &database{db: db, vfs: v}, nil
}

func (d *database) Close() error {
	err := d.db.Close()
	d.vfs.Close()
	return err
}

// columns are the columns of table, lower-cased; none when it is missing.
func (d *database) columns(ctx context.Context, table string) (map[string]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols := map[string]string{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		cols[strings.ToLower(n)] = n
	}
	return cols, rows.Err()
}

// rows reads the wanted columns of table (those it has; ROWID always, as
// "rowid"), at most MaxRows of them, each row a map from the lower-cased
// column name to its value as text; NULL, and values longer than MaxText,
// are absent. A missing table gives no rows.
func (d *database) rows(ctx context.Context, table string, wanted ...string) ([]map[string]string, error) {
	have, err := d.columns(ctx, table)
	if err != nil || len(have) == 0 {
		return nil, err
	}
	sel := []string{"ROWID"}
	var names []string
	for _, w := range wanted {
		if c, ok := have[strings.ToLower(w)]; ok {
			q := `"` + c + `"`
			sel = append(sel, fmt.Sprintf("CASE WHEN length(%s) <= %d THEN %s END", q, MaxText, q))
			names = append(names, strings.ToLower(w))
		}
	}
	rs, err := d.db.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM "%s" ORDER BY ROWID LIMIT %d`, strings.Join(sel, ", "), table, MaxRows))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", table, err)
	}
	defer rs.Close()
	var out []map[string]string
	vals := make([]any, len(sel))
	ptrs := make([]any, len(sel))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("%s: %w", table, err)
		}
		row := map[string]string{}
		for i, v := range vals {
			key := "rowid"
			if i > 0 {
				key = names[i-1]
			}
			if s, ok := text(v); ok {
				row[key] = s
			}
		}
		out = append(out, row)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", table, err)
	}
	return out, nil
}

// text is a column value as text.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case string:
		return x, true
	case []byte:
		return string(x), true
	case bool:
		if x {
			return "1", true
		}
		return "0", true
	case time.Time:
		return strconv.FormatFloat(float64(x.Unix()-appleEpoch), 'f', -1, 64), true
	}
	return "", false
}

// minApple and maxApple bound the times read: years 1800 to 2400.
var (
	minApple = float64(time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC).Unix() - appleEpoch)
	maxApple = float64(time.Date(2400, 1, 1, 0, 0, 0, 0, time.UTC).Unix() - appleEpoch)
)

// appleTime reads a column of seconds since 2001-01-01 UTC as Unix
// milliseconds; false when absent, unreadable or out of range.
func appleTime(row map[string]string, col string) (int64, bool) {
	v, ok := row[col]
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || f < minApple || f > maxApple {
		return 0, false
	}
	return int64(math.Round(f*1000)) + appleEpoch*1000, true
}

// intOf reads an integer column; 0 when absent or unreadable.
func intOf(row map[string]string, col string) int64 {
	v := strings.TrimSpace(row[col])
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f >= -1e15 && f <= 1e15 {
		return int64(f)
	}
	return 0
}
