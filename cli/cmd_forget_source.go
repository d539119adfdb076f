package cli

import (
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// forgetSourceFlags retire a source backed up by mistake. They have no
// environment variable and no config key: removing every snapshot of a
// source, the newest too, is never a policy.
func forgetSourceFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "source", Usage: "with --all: the `SOURCE` (path, folder name or account) to forget"},
		&cli.BoolFlag{Name: "all", Usage: "with --source: remove every snapshot of the source, the newest too"},
		&cli.BoolFlag{Name: "yes", Usage: "confirm --source S --all"},
	}
}

// runForgetSource removes every snapshot of one source, in both
// locations, after which status no longer lists it.
func runForgetSource(c *cli.Context) error {
	src := c.String("source")
	switch {
	case src == "" || !c.Bool("all"):
		return usagef("--source and --all go together: 'lifeboat forget --source SOURCE --all --yes' removes every snapshot of SOURCE")
	case c.NArg() > 0:
		return usagef("give snapshot ids or --source SOURCE --all, not both")
	case !c.Bool("yes") && !c.Bool("dry-run"):
		return usagef("forget --source %s --all removes every snapshot of it, the newest too; add --yes to confirm (--dry-run shows them)", src)
	}
	loc, r, snaps, _, err := openForget(c)
	if err != nil {
		return err
	}
	defer loc.release()
	defer r.Close()
	name, err := oneSource(snaps, src)
	if err != nil {
		return err
	}
	p := newPrinter(c)
	dry := c.Bool("dry-run")
	removed := map[format.ID]bool{}
	if !dry {
		// The catalog without them first, in both locations, so that their
		// removal is not taken for a deletion (see repo.Recatalog).
		var ids []format.ID
		for _, s := range snaps {
			if s.Source == name {
				ids = append(ids, s.ID)
			}
		}
		if err := loc.check(c); err != nil {
			return err
		}
		if err := r.Recatalog(c.Context, ids, loc.stores()); err != nil {
			return err
		}
	}
	for _, s := range snaps {
		if s.Source != name {
			continue
		}
		verb := "remove"
		if dry {
			verb = "would remove"
		}
		p.object(map[string]any{"id": s.ID.String(), "time": s.Time, "group": s.Host + " " + s.Source, "keep": false, "reasons": []string{}})
		p.human("%s %s  %s  %s %s", verb, s.ID.Short(), s.Time.Local().Format("2006-01-02 15:04"), s.Host, s.Source)
		if dry {
			removed[s.ID] = true
			continue
		}
		if err := loc.removeSnapshot(c, s.ID.String()); err != nil {
			return err
		}
		removed[s.ID] = true
	}
	p.object(map[string]any{"summary": true, "removed": len(removed), "kept": len(snaps) - len(removed), "dry_run": dry})
	if dry {
		p.human("would remove %s of %s (dry run)", plural(len(removed), "snapshot"), name)
		return nil
	}
	p.human("removed %s of %s; status no longer lists it", plural(len(removed), "snapshot"), name)
	if c.Bool("prune") {
		return pruneLocations(c, p, loc, r)
	}
	return nil
}

// oneSource is the one recorded source that the name the user gave
// matches (repo.MatchSource); none or several is a usage error that lists
// the sources.
func oneSource(snaps []repo.SnapshotInfo, given string) (string, error) {
	all, matched := map[string]bool{}, map[string]bool{}
	for _, s := range snaps {
		all[s.Source] = true
		if repo.MatchSource(s.Source, given) {
			matched[s.Source] = true
		}
	}
	if len(matched) == 1 {
		for s := range matched {
			return s, nil
		}
	}
	list := func(m map[string]bool) string {
		var out []string
		for s := range m {
			out = append(out, clean(s))
		}
		sort.Strings(out)
		return strings.Join(out, ", ")
	}
	if len(matched) > 1 {
		return "", usagef("--source %s matches %d sources (%s); give the whole path", given, len(matched), list(matched))
	}
	if len(all) == 0 {
		return "", usagef("--source %s: the repository holds no snapshots", given)
	}
	return "", usagef("--source %s matches no source; the sources are: %s", given, list(all))
}
