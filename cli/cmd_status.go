package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/retention"
	"github.com/lifeboat-backup/lifeboat/status"
	"github.com/lifeboat-backup/lifeboat/store"
)

func statusCommand() *cli.Command {
	flags := append(outputFlags(), keyFlags()...)
	flags = append(flags, mirrorFlag(), mirrorTimeoutFlag(),
		&cli.StringFlag{Name: "max-age", EnvVars: []string{"LIFEBOAT_MAX_AGE"}, Value: "48h",
			Usage: "warn about a source with no snapshot for longer than `DURATION` (48h, 2d, 1w; m is months)"})
	return &cli.Command{
		Name:  "status",
		Usage: "show the newest snapshot of each source, the repository and the mirror; exit 3 on warnings (needs no identity)",
		Description: "Warns about a source whose newest snapshot is older than --max-age, a repository without\n" +
			"snapshots, a mass-deletion alarm pending (the newest snapshot of a source is the one that\n" +
			"found the drop), a mirror unreachable or behind, and damaged snapshots. Exits 0 when there is\n" +
			"nothing to warn about and 3 otherwise, so 'lifeboat status --quiet' is a cron check.",
		Flags:  flags,
		Action: runStatus,
	}
}

func runStatus(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("status takes no arguments")
	}
	maxAge, err := retention.ParseDuration(c.String("max-age"))
	if err != nil {
		return usagef("--max-age: %v", err)
	}
	r, err := openRepo(c, repo.AccessMeta)
	if err != nil {
		return err
	}
	defer r.Close()
	st, err := openStore(c)
	if err != nil {
		return err
	}
	ms, err := mirrorStatusOf(c)
	if err != nil {
		return err
	}
	rep, err := status.Gather(c.Context, r, st, status.Options{MaxAge: maxAge, MaxAgeText: c.String("max-age"), Mirror: ms})
	if err != nil {
		return err
	}
	p := newPrinter(c)
	p.object(rep)
	printStatus(p, rep)
	for _, w := range rep.Warnings {
		p.warn("%s", w)
	}
	if !rep.Healthy {
		return partialError{fmt.Sprintf("status: not healthy (%s)", plural(len(rep.Warnings), "warning"))}
	}
	return nil
}

// mirrorStatusOf compares the mirror with the repository, or returns nil
// without --mirror. A mirror it cannot reach is a finding, not an error.
func mirrorStatusOf(c *cli.Context) (*status.Mirror, error) {
	loc := c.String("mirror")
	if loc == "" {
		return nil, nil
	}
	st, err := openStore(c)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(c.Context, c.Duration("mirror-timeout"))
	defer cancel()
	m, err := store.Open(ctx, loc)
	err = usageOrNet(err)
	var ue usageError
	switch {
	case errors.As(err, &ue):
		return nil, err
	case err != nil:
		return &status.Mirror{Location: loc, Error: err.Error()}, nil
	}
	if cl, ok := m.(io.Closer); ok {
		defer cl.Close()
	}
	ms := status.CompareMirror(ctx, st, m)
	if c.Context.Err() != nil {
		return nil, c.Context.Err()
	}
	return ms, nil
}

// printStatus prints the report for people.
func printStatus(p *printer, s *status.Report) {
	for _, src := range s.Sources {
		p.human("%s on %s", src.Source, src.Host)
		p.human("  newest    %s  %s  (%s)", src.Newest[:8], src.Time.Local().Format("2006-01-02 15:04"),
			status.AgeString(time.Duration(src.Age*float64(time.Second))))
		p.human("  records   %s, %s, %s, %s, %s", plural(int(src.Contacts), "contact"), plural(int(src.Events), "event"),
			plural(int(src.Todos), "to-do"), plural(int(src.Photos), "photo"), plural(int(src.Files), "file"))
		if src.Empty {
			p.human("  ALARM     the source is empty; the newest snapshot with files is %s", src.WithData[:8])
		} else if src.Alarm {
			p.human("  ALARM     the newest snapshot found a mass deletion")
		}
	}
	p.human("repository %s", s.Repository.Location)
	p.human("  size      %s in %s", bytesHuman(s.Repository.Bytes), plural(s.Repository.Snapshots, "snapshot"))
	if n := s.Repository.TempFiles; n > 0 {
		p.human("  tmp/      %s (%s) left by interrupted runs; %s", plural(n, "temporary file"),
			bytesHuman(uint64(s.Repository.TempBytes)), leftoverNote)
	}
	if m := s.Mirror; m != nil {
		p.human("mirror     %s", m.Location)
		switch {
		case !m.Reachable:
			p.human("  unreachable")
		case m.Missing > 0:
			p.human("  behind: %s missing", plural(m.Missing, "object"))
		default:
			p.human("  in sync")
		}
		if m.Reachable && m.Extra > 0 {
			p.human("  %s the repository lacks", plural(m.Extra, "object"))
		}
	}
	for _, l := range s.Locks {
		p.human("lock       %s (%s) on %s, pid %d, since %s", l.Command, l.Kind, l.Host, l.PID,
			l.Since.Local().Format("2006-01-02 15:04"))
	}
	if s.Healthy {
		p.human("status: healthy")
	}
	// Otherwise the warnings and the count go to stderr (runStatus), once.
}
