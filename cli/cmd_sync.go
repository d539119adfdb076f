package cli

import (
	"context"
	"errors"
	"fmt"
	"github.com/lifeboat-backup/lifeboat/lock"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/mirror"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

func mirrorFlag() cli.Flag {
	return &cli.StringFlag{Name: "mirror", EnvVars: []string{"LIFEBOAT_MIRROR"},
		Usage: "second location: a `DIR`, sftp://user@host/path or s3://host/bucket/prefix, that keeps a complete copy of the repository"}
}

func mirrorTimeoutFlag() cli.Flag {
	return &cli.DurationFlag{Name: "mirror-timeout", EnvVars: []string{"LIFEBOAT_MIRROR_TIMEOUT"},
		Value: 10 * time.Minute, Usage: "give up updating the mirror after `DURATION` (the backup stays committed)"}
}

// openMirror returns the store of --mirror, or nil without one.
func openMirror(c *cli.Context) (store.Store, error) {
	loc := c.String("mirror")
	if loc == "" {
		return nil, nil
	}
	s, err := store.Open(c.Context, loc)
	return s, usageOrNet(err)
}

func syncCommand() *cli.Command {
	return &cli.Command{
		Name:  "sync",
		Usage: "bring the mirror up to date with the repository, and repair either from the other",
		Description: "Copies what one location lacks, and replaces what is damaged in one by the intact copy\n" +
			"in the other; a damaged object is never copied. Exits 13 if some object is damaged or\n" +
			"missing in both (everything else is still repaired). Needs no key, except when the config\n" +
			"or keys differ (a key change the mirror missed): this machine's write key then tells which\n" +
			"copy keys/manifest vouches for.",
		Flags:  append(outputFlags(), mirrorFlag()),
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
	st, err := openStore(c)
	if err != nil {
		return err
	}
	if _, err := lockStore(c, st, lock.Write); err != nil {
		return err
	}
	if _, err := m.Stat(c.Context, "config"); err == nil {
		if _, err := lockStore(c, m, lock.Write); err != nil {
			return err
		}
	}
	// The config and keys first: the locations are one repository again
	// only when they agree (after a key change the mirror missed).
	krep, kerr := mirror.HealKeys(c.Context, st, m, repo.Keys{})
	rep, err := mirror.Heal(c.Context, st, m)
	if kerr != nil {
		err = kerr // it explains a config Heal found differing
	}
	if err == nil {
		// Heal copies a key object one location lacks as it is: the
		// config and keys, alike now, must still be intact.
		_, err = mirror.HealKeys(c.Context, st, m, repo.Keys{})
	}
	if krep != nil && rep != nil {
		rep.Copied = append(krep.Copied, rep.Copied...)
		rep.Bytes += krep.Bytes
	}
	p := newPrinter(c)
	if rep != nil {
		for _, name := range rep.Copied {
			p.detailObject(map[string]any{"object": name, "op": "copied"})
			p.detail("copied %s", name)
		}
		for _, name := range rep.Unrecoverable {
			p.warn("%s is damaged or missing in both locations", name)
		}
		if err == nil {
			err = goneInBoth(c, p, st, m)
		}
		p.object(map[string]any{"copied": nonNil(rep.Copied), "bytes": rep.Bytes, "unrecoverable": nonNil(rep.Unrecoverable)})
		if err == nil {
			p.human("in sync: %s copied (%s)", plural(len(rep.Copied), "object"), bytesHuman(uint64(rep.Bytes)))
		}
	}
	return err
}

// goneInBoth checks, after healing and when this machine has the write
// key, for snapshots that neither location holds although its catalog
// or this machine's record names them: sync could not bring them back.
func goneInBoth(c *cli.Context, p *printer, stores ...store.Store) error {
	var first error
	for _, st := range stores {
		r, err := repo.Open(c.Context, st, repo.Keys{}, repo.AccessNone)
		if err != nil || r.Keys() == nil {
			if r != nil {
				r.Close()
			}
			continue // no write key here: sync needs none
		}
		_, _, err = r.Snapshots(c.Context)
		r.Close()
		var gone *repo.GoneError
		if errors.As(err, &gone) {
			for _, g := range gone.Gone {
				p.warn("%s: %s", st.Location(), g)
			}
			if first == nil {
				first = fmt.Errorf("snapshots are gone from both locations; sync cannot bring them back: %w", repo.ErrRollback)
			}
		}
	}
	return first
}

// pushMirror updates the mirror after a backup. A failure never undoes
// the backup: it is reported, and the next backup or sync catches up. The
// whole of it, connecting included, is bounded by --mirror-timeout, even
// against a server that accepts and never answers.
func pushMirror(c *cli.Context, p *printer) error {
	loc := c.String("mirror")
	if loc == "" {
		return nil
	}
	st, err := openStore(c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, c.Duration("mirror-timeout"))
	defer cancel()
	type result struct {
		rep *mirror.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		m, err := openMirror(c)
		if err != nil {
			done <- result{nil, err}
			return
		}
		// A key change the mirror missed (key add with it away) first.
		krep, err := mirror.PushKeys(ctx, st, m, repo.Keys{})
		if err != nil {
			done <- result{nil, err}
			return
		}
		rep, err := mirror.Push(ctx, st, m)
		if rep != nil {
			rep.Copied = append(krep.Copied, rep.Copied...)
			rep.Bytes += krep.Bytes
		}
		done <- result{rep, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-ctx.Done():
		res.err = ctx.Err()
	}
	var ue usageError
	switch {
	case errors.As(res.err, &ue):
		return res.err
	case c.Context.Err() != nil:
		return c.Context.Err()
	case errors.Is(res.err, context.DeadlineExceeded):
		res.err = fmt.Errorf("no answer within %v", c.Duration("mirror-timeout"))
	}
	if res.err != nil {
		p.warn("mirror %s not updated: %s", loc, strings.TrimPrefix(res.err.Error(), loc+": "))
		return partialError{fmt.Sprintf("warning: the backup was committed, but the mirror %s is behind; the next backup or 'lifeboat sync' catches up", loc)}
	}
	for _, name := range res.rep.Copied {
		p.detailObject(map[string]any{"object": name, "op": "copied"})
		p.detail("copied %s to the mirror", name)
	}
	p.object(map[string]any{"mirror": loc, "copied": len(res.rep.Copied), "bytes": res.rep.Bytes})
	p.note("lifeboat: mirror %s: %s copied (%s)", loc, plural(len(res.rep.Copied), "object"), bytesHuman(uint64(res.rep.Bytes)))
	return nil
}

// mirrorError names the mirror once before err, whose text may start
// with the mirror's location already.
type mirrorError struct {
	loc string
	err error
}

func (e mirrorError) Error() string {
	return "mirror " + e.loc + ": " + strings.TrimPrefix(e.err.Error(), e.loc+": ")
}
func (e mirrorError) Unwrap() error { return e.err }
