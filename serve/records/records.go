// Package records reads the contacts, calendars and to-dos of a snapshot
// as data for the web view (lifeboat serve): every vCard and iCalendar
// file of a snapshot's tree, parsed with package pim, recurring events
// expanded with pim/recur, and the history of one contact or event across
// a source's snapshots, followed as package history follows records. It
// serves no HTTP and escapes nothing: values are kept as data (markup in a
// field stays text for the templates to escape), with C0 control
// characters other than tab and newline removed from display values.
//
// Reads are bounded: files over MaxFileSize are skipped, at most
// MaxRecords records are read per snapshot, and every walk stops when its
// context is cancelled.
package records

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
)

// Reader is what records needs of a repository; *repo.Repository
// satisfies it.
type Reader interface {
	Walk(ctx context.Context, dir format.Ref, fn func(rel string, n format.Node) error) error
	ReadFile(ctx context.Context, n format.Node) ([]byte, error)
}

// Snap is one snapshot of a source, for the histories: its id, time and
// tree (format.Snapshot.Root.Content).
type Snap struct {
	ID   string
	Time time.Time
	Root format.Ref
}

const (
	// MaxFileSize is the largest vCard or iCalendar file read; larger
	// ones are skipped.
	MaxFileSize = 64 << 20
	// MaxRecords is how many records of a snapshot are read; the rest
	// are left out and ErrTooMany is returned with what was read.
	MaxRecords = 1 << 20
	// MaxPhoto is the largest inline PHOTO kept, decoded.
	MaxPhoto = 1 << 20
)

// ErrTooMany is returned (wrapped) with the records read when a snapshot
// holds more than MaxRecords.
var ErrTooMany = errors.New("records: too many records")

// piece is one parsed record of a file.
type piece struct {
	rec   pim.Record
	props []pim.Property
	raw   []byte
}

// loader reads the records of vCard or iCalendar files, each content once.
type loader struct {
	r     Reader
	kind  pim.Kind
	cache map[string][]piece // by content ref
	n     int                // records handed out for the current snapshot
}

func newLoader(r Reader, kind pim.Kind) *loader {
	return &loader{r: r, kind: kind, cache: map[string][]piece{}}
}

func contentKey(ref format.Ref) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d:", ref.Level)
	for _, id := range ref.IDs {
		b.Write(id[:])
	}
	return b.String()
}

// snapshot calls fn for every record of the loader's kind of file in the
// tree root, in path order.
func (l *loader) snapshot(ctx context.Context, root format.Ref, fn func(rel string, p *piece)) error {
	l.n = 0
	err := l.r.Walk(ctx, root, func(rel string, n format.Node) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if n.Type != format.NodeFile || pim.Kind(n.Kind) != l.kind || n.Size > MaxFileSize {
			return nil
		}
		ps, err := l.file(ctx, n)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		for i := range ps {
			if l.n >= MaxRecords {
				return fmt.Errorf("%w: more than %d", ErrTooMany, MaxRecords)
			}
			l.n++
			fn(rel, &ps[i])
		}
		return nil
	})
	return err
}

// file returns the records of one file, parsed once per content.
func (l *loader) file(ctx context.Context, n format.Node) ([]piece, error) {
	key := contentKey(n.Content)
	if ps, ok := l.cache[key]; ok {
		return ps, nil
	}
	data, err := l.r.ReadFile(ctx, n)
	if err != nil {
		return nil, err
	}
	ps := parseFile(l.kind, data)
	l.cache[key] = ps
	return ps, nil
}

// parseFile cuts a file into records and parses those records wants.
func parseFile(kind pim.Kind, data []byte) []piece {
	var ps []piece
	for _, pc := range pim.Split(kind, data) {
		if !wanted(pc.Kind) {
			continue
		}
		raw := data[pc.Off : pc.Off+pc.Len]
		rec, _ := pim.ParseRecord(pc.Kind, raw) // malformed records are shown as far as they read
		props, _ := pim.Properties(pc.Kind, raw)
		ps = append(ps, piece{rec: rec, props: props, raw: raw})
	}
	return ps
}

func wanted(k pim.RecordKind) bool {
	return k == pim.RecContact || k == pim.RecEvent || k == pim.RecTodo || k == pim.RecTimezone
}

// fileLabel is how a file is named in the view: its base name without
// the extension ("Home" for calendars/Home.ics).
func fileLabel(rel string) string {
	b := path.Base(rel)
	if e := path.Ext(b); e != "" && len(e) < len(b) {
		b = b[:len(b)-len(e)]
	}
	return clean(b)
}
