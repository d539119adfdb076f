// Package export writes the phone-reset kit of a snapshot: one
// contacts.vcf with every contact, one .ics per calendar, and the photos
// and videos, in the forms that phones and calendar apps import.
//
// Records keep their original bytes: a card or event is never re-encoded.
// What export changes: vCard 2.1 quoted-printable soft line breaks are
// joined (same meaning, but importers choke on them), a newline is added
// after a card that lacked one, events that stood bare get a VCALENDAR
// header and trailer, and the events of a CalDAV calendar (one resource
// each on the server) are gathered into one VCALENDAR. A card lifeboat
// cannot read (no BEGIN/END structure, no name or number) goes to
// contacts-unreadable.vcf instead, so one broken card does not make a
// phone refuse the whole import.
package export

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/target"
	"github.com/lifeboat-backup/lifeboat/media"
	"github.com/lifeboat-backup/lifeboat/photodate"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// Options configure an export.
type Options struct {
	// Target is a new or empty folder.
	Target string
	// Root, when set, is the target already opened and prepared (see
	// target.PrepareIn); export writes through it and Target only names it.
	Root *os.Root
	// Sink, when set, receives the files instead of a folder (a zip
	// stream: ZipSink); Target and Root are then not used.
	Sink Sink
	// Contacts, Calendars and Photos choose what to write (--only).
	Contacts, Calendars, Photos bool
	// ByDate lays photos out as photos/YYYY/MM/ by the date they were
	// taken: a Takeout sidecar's, else EXIF's, else a video's own, else
	// iCloud's Photo Details.csv, else the file's mtime (Result.Undated
	// counts those); a photo held by several files (the same bytes) by
	// the best date any of them has.
	ByDate bool
}

// Result counts what was written.
type Result struct {
	Contacts   int `json:"contacts"`
	Unreadable int `json:"unreadable_contacts"`
	Calendars  int `json:"calendars"`
	Events     int `json:"events"`
	Todos      int `json:"todos"`
	Photos     int `json:"photos"`
	// Undated are the photos --by-date filed by their file's mtime, for
	// want of any date of their own.
	Undated int `json:"undated_photos"`
	// Copies are files --by-date did not write again: the same bytes as a
	// photo it wrote (listed in that photo's NAME.copies.txt).
	Copies int      `json:"copies"`
	Files  []string `json:"files"`
}

// ErrNotEmpty is returned for a target folder that has files.
var ErrNotEmpty = target.ErrNotEmpty

// Run exports snap into opts.Target.
func Run(ctx context.Context, r *repo.Repository, snap *format.Snapshot, opts Options) (*Result, error) {
	sink := opts.Sink
	if root := opts.Root; sink == nil && root != nil {
		sink = rootSink{root}
	}
	if sink == nil {
		if _, err := target.Prepare(opts.Target, false); err != nil {
			return nil, err
		}
		root, err := os.OpenRoot(opts.Target)
		if err != nil {
			return nil, err
		}
		defer root.Close()
		sink = rootSink{root}
	}
	e := &exporter{ctx: ctx, r: r, sink: sink, opts: opts, res: &Result{}, names: map[string]bool{}, copies: newCopies(),
		cards: &cardWriter{seen: map[string]bool{}}, people: map[string]bool{}}
	if opts.Calendars {
		if err := e.calendarFolders(snap.Root.Content); err != nil {
			return e.res, err
		}
	}
	if opts.Photos && opts.ByDate {
		var err error
		if e.dates, err = findDates(ctx, r, snap.Root.Content); err != nil {
			return e.res, err
		}
		if e.best, err = e.bestDates(snap.Root.Content); err != nil {
			return e.res, err
		}
	}
	err := r.Walk(ctx, snap.Root.Content, func(rel string, n format.Node) error {
		if n.Type != format.NodeFile {
			return nil
		}
		return e.file(rel, n)
	})
	if err != nil {
		return e.res, err
	}
	return e.res, e.finish()
}

type exporter struct {
	ctx   context.Context
	r     *repo.Repository
	sink  Sink
	opts  Options
	res   *Result
	names map[string]bool // files written, to keep names unique
	cards *cardWriter
	// people are the identities counted (pim.Record.Identity, with the
	// kind): a contact in several files, or an event and its exceptions,
	// count once, as in the snapshot's counts.
	people map[string]bool
	// calendars are the CalDAV calendars being gathered, by folder.
	calendars map[string]*merged
	// dates dates the photos (Takeout sidecars, EXIF, videos, iCloud's
	// Photo Details.csv), and copies finds the same photo in several
	// places (with ByDate).
	dates  *photodate.Dates
	copies *copies
	// best are the dates of the distinct photos, by content (with
	// ByDate; see bestDates).
	best map[string]dated
}

func (e *exporter) file(rel string, n format.Node) error {
	switch pim.Kind(n.Kind) {
	case pim.KindVCard:
		if e.opts.Contacts {
			return e.contacts(n)
		}
	case pim.KindICal:
		if e.opts.Calendars {
			return e.calendar(rel, n)
		}
	case pim.KindMedia:
		if e.opts.Photos && !media.IsThumbnailCache(rel) {
			return e.photo(rel, n)
		}
	}
	return nil
}

// unique returns name, or name with a number before its extension, so
// that no two exported files share a name.
func (e *exporter) unique(name string) string {
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 2; e.names[name]; i++ {
		name = fmt.Sprintf("%s-%d%s", base, i, ext)
	}
	e.names[name] = true
	return name
}

func (e *exporter) finish() error {
	if err := e.writeCalendars(); err != nil {
		return err
	}
	if err := e.writeCopies(); err != nil {
		return err
	}
	if !e.opts.Contacts {
		return nil
	}
	if err := e.write("contacts.vcf", e.cards.good.Bytes()); err != nil {
		return err
	}
	e.res.Contacts = e.cards.n
	if e.cards.bad.Len() > 0 {
		e.res.Unreadable = e.cards.nBad
		return e.write("contacts-unreadable.vcf", e.cards.bad.Bytes())
	}
	return nil
}

// write puts a file in place (atomically, in a folder).
func (e *exporter) write(name string, data []byte) error {
	return e.writeWith(name, time.Time{}, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeWith is write for content that fill streams, with a modification
// time (zero: none).
func (e *exporter) writeWith(name string, mtime time.Time, fill func(io.Writer) error) error {
	if err := e.sink.WriteFile(name, mtime, fill); err != nil {
		return err
	}
	e.res.Files = append(e.res.Files, name)
	return nil
}
