package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/export"
	"github.com/lifeboat-backup/lifeboat/internal/target"
	"github.com/lifeboat-backup/lifeboat/repo"
)

func exportCommand() *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "write the phone-reset kit: contacts.vcf, one .ics per calendar, photos/",
		ArgsUsage: "SNAPSHOT",
		Flags: append(append(outputFlags(), keyFlags()...),
			&cli.StringFlag{Name: "to", Usage: "write into `DIR` (must be empty or new)"},
			&cli.StringFlag{Name: "only", Usage: "export only `KINDS`: contacts,calendars,photos"},
			&cli.BoolFlag{Name: "by-date", Usage: "lay photos out as photos/YYYY/MM/ by capture date"},
			mirrorFlag(),
		),
		Action: runExport,
	}
}

func runExport(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("export needs exactly one SNAPSHOT")
	}
	if c.String("to") == "" {
		return usagef("export needs --to DIR")
	}
	opts := export.Options{Target: c.String("to"), Contacts: true, Calendars: true, Photos: true, ByDate: c.Bool("by-date")}
	if only := c.String("only"); only != "" {
		opts.Contacts, opts.Calendars, opts.Photos = false, false, false
		for _, k := range strings.Split(only, ",") {
			switch strings.TrimSpace(k) {
			case "contacts":
				opts.Contacts = true
			case "calendars":
				opts.Calendars = true
			case "photos":
				opts.Photos = true
			default:
				return usagef("--only: unknown kind %q (contacts, calendars, photos)", k)
			}
		}
	}
	p := newPrinter(c)
	r, snaps, skipped, closeMirror, err := openSnapshotsSkipping(c, p)
	if err != nil {
		return err
	}
	defer r.Close()
	defer closeMirror()
	if err := readLock(c, p); err != nil {
		return err
	}
	partial := warnSkipped(p, skipped, snaps)
	if len(snaps) == 1 {
		err = exportOne(c, p, r, snaps[0], opts)
	} else {
		err = exportEach(c, p, r, snaps, opts)
	}
	if err != nil {
		return err
	}
	return partial
}

// exportOne writes one snapshot's kit into opts.Target.
func exportOne(c *cli.Context, p *printer, r *repo.Repository, snap repo.SnapshotInfo, opts export.Options) error {
	res, err := export.Run(c.Context, r, snap.Snapshot, opts)
	if errors.Is(err, export.ErrNotEmpty) || errors.Is(err, target.ErrNotFolder) {
		return usageError{exportTargetError{err}}
	}
	if err != nil {
		return err
	}
	p.object(res)
	p.human("exported %s (%d unreadable), %s with %d events and %d to-dos, %s to %s",
		plural(res.Contacts, "contact"), res.Unreadable, plural(res.Calendars, "calendar"), res.Events, res.Todos,
		plural(res.Photos, "photo"), opts.Target)
	if res.Copies > 0 {
		p.note("lifeboat: note: %s of photos already exported not written again: each photo's NAME.copies.txt lists where its copies were", plural(res.Copies, "copy"))
	}
	if res.Undated > 0 {
		what := "1 photo had no date of its own"
		if res.Undated != 1 {
			what = fmt.Sprintf("%d photos had no date of their own", res.Undated)
		}
		p.note("lifeboat: note: %s (no Takeout sidecar, EXIF, video date or iCloud Photo Details.csv): filed by the file's modification time", what)
	}
	return nil
}

// exportEach writes a kit per source (the newest snapshot of each), each
// into a folder of --to named after its source.
func exportEach(c *cli.Context, p *printer, r *repo.Repository, snaps []repo.SnapshotInfo, opts export.Options) error {
	dir := opts.Target
	if _, err := target.Prepare(dir, false); err != nil {
		if errors.Is(err, target.ErrNotEmpty) || errors.Is(err, target.ErrNotFolder) {
			return usageError{exportTargetError{err}}
		}
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	var errs []error
	for i, name := range sourceDirNames(snaps) {
		p.human("%s (%s):", clean(snaps[i].Source), snaps[i].Host)
		if err := exportInto(c, p, r, snaps[i], opts, root, name); err != nil {
			p.warn("%s: %v", snaps[i].Source, err)
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d of %d sources not exported: %w", len(errs), len(snaps), errs[0])
	}
	p.human("exported the newest snapshot of each of %d sources into %s", len(snaps), dir)
	return nil
}

// exportInto exports one snapshot into the folder name of root, opened
// through root: a symlink planted at DIR/name is refused, never followed.
func exportInto(c *cli.Context, p *printer, r *repo.Repository, snap repo.SnapshotInfo, opts export.Options, root *os.Root, name string) error {
	sub, _, err := target.PrepareIn(root, name, false)
	if err != nil {
		if errors.Is(err, target.ErrNotEmpty) || errors.Is(err, target.ErrNotFolder) {
			return usageError{exportTargetError{fmt.Errorf("%s: %w", opts.Target, err)}}
		}
		return err
	}
	defer sub.Close()
	opts.Target, opts.Root = filepath.Join(opts.Target, name), sub
	return exportOne(c, p, r, snap, opts)
}

// exportTargetError is a --to that export cannot write into; its hint
// does not offer restore's --overwrite, which export does not have.
type exportTargetError struct{ err error }

func (e exportTargetError) Error() string { return e.err.Error() }
func (e exportTargetError) Unwrap() error { return e.err }
