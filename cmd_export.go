package main

import (
	"errors"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/export"
	"github.com/lifeboat-backup/lifeboat/internal/target"
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
	r, snap, err := openSnapshot(c)
	if err != nil {
		return err
	}
	if err := readLock(c, newPrinter(c)); err != nil {
		r.Close()
		return err
	}
	defer r.Close()
	res, err := export.Run(c.Context, r, snap.Snapshot, opts)
	if errors.Is(err, export.ErrNotEmpty) || errors.Is(err, target.ErrNotFolder) {
		return usageError{exportTargetError{err}}
	}
	if err != nil {
		return err
	}
	p := newPrinter(c)
	p.object(res)
	p.human("exported %s (%d unreadable), %s with %d events and %d to-dos, %s to %s",
		plural(res.Contacts, "contact"), res.Unreadable, plural(res.Calendars, "calendar"), res.Events, res.Todos,
		plural(res.Photos, "photo"), c.String("to"))
	return nil
}

// exportTargetError is a --to that export cannot write into; its hint
// does not offer restore's --overwrite, which export does not have.
type exportTargetError struct{ err error }

func (e exportTargetError) Error() string { return e.err.Error() }
func (e exportTargetError) Unwrap() error { return e.err }
