package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/mirror"
	"github.com/lifeboat-backup/lifeboat/store"
)

var (
	mirrorFlag = &cli.StringFlag{Name: "mirror", EnvVars: []string{"LIFEBOAT_MIRROR"},
		Usage: "second location `DIR` that keeps a complete copy of the repository"}
	mirrorTimeoutFlag = &cli.DurationFlag{Name: "mirror-timeout", EnvVars: []string{"LIFEBOAT_MIRROR_TIMEOUT"},
		Value: 10 * time.Minute, Usage: "give up updating the mirror after `DURATION` (the backup stays committed)"}
)

// openMirror returns the store of --mirror, or nil without one. Only
// folders are supported so far.
func openMirror(c *cli.Context) (store.Store, error) {
	loc := c.String("mirror")
	if loc == "" {
		return nil, nil
	}
	if strings.Contains(loc, "://") {
		return nil, usagef("--mirror %s: only a folder is supported yet (SFTP and S3 are planned)", loc)
	}
	return store.NewLocal(loc), nil
}

func syncCommand() *cli.Command {
	return &cli.Command{
		Name:  "sync",
		Usage: "bring the mirror up to date with the repository, and repair either from the other",
		Description: "Copies what one location lacks, and replaces what is damaged in one by the intact copy\n" +
			"in the other; a damaged object is never copied. Exits 13 if some object is damaged or\n" +
			"missing in both (everything else is still repaired). Needs no key.",
		Flags:  append(outputFlags(), mirrorFlag),
		Action: runSync,
	}
}

func runSync(c *cli.Context) error {
	m, err := openMirror(c)
	if err != nil {
		return err
	}
	if m == nil {
		return usagef("sync needs --mirror DIR (or LIFEBOAT_MIRROR)")
	}
	rep, err := mirror.Heal(c.Context, openStore(c), m)
	p := newPrinter(c)
	if rep != nil {
		for _, name := range rep.Copied {
			p.human("copied %s", name)
		}
		for _, name := range rep.Unrecoverable {
			p.warn("%s is damaged or missing in both locations", name)
		}
		p.object(map[string]any{"copied": nonNil(rep.Copied), "bytes": rep.Bytes, "unrecoverable": nonNil(rep.Unrecoverable)})
		if err == nil {
			p.human("in sync: %s copied (%s)", plural(len(rep.Copied), "object"), bytesHuman(uint64(rep.Bytes)))
		}
	}
	return err
}

// pushMirror updates the mirror after a backup. A failure never undoes
// the backup: it is reported, and the next backup or sync catches up.
func pushMirror(c *cli.Context, p *printer) error {
	m, err := openMirror(c)
	if err != nil || m == nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, c.Duration("mirror-timeout"))
	defer cancel()
	rep, err := mirror.Push(ctx, openStore(c), m)
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("no answer within %v", c.Duration("mirror-timeout"))
	}
	if err != nil {
		if c.Context.Err() != nil {
			return c.Context.Err()
		}
		p.warn("mirror %s not updated: %v", m.Location(), err)
		return partialError{fmt.Sprintf("warning: the backup was committed, but the mirror %s is behind; the next backup or 'lifeboat sync' catches up", m.Location())}
	}
	p.note("lifeboat: mirror %s: %s copied (%s)", m.Location(), plural(len(rep.Copied), "object"), bytesHuman(uint64(rep.Bytes)))
	return nil
}
