package cli

import (
	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/history"
	"github.com/lifeboat-backup/lifeboat/repo"
)

func diffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "contacts, events, to-dos, photos and files added, removed and changed between two snapshots",
		ArgsUsage: "[A] [B]",
		Description: "Without arguments, compares the last two snapshots of the newest snapshot's source.\n" +
			"With one, compares it with the newest snapshot of its source (or its predecessor).\n" +
			"Changes of volatile fields only (REV, PRODID, DTSTAMP...) are not reported.",
		Flags:  append(outputFlags(), keyFlags()...),
		Action: runDiff,
	}
}

func runDiff(c *cli.Context) error {
	if c.NArg() > 2 {
		return usagef("diff takes at most two snapshots")
	}
	r, err := openRepo(c, repo.AccessRead)
	if err != nil {
		return err
	}
	defer r.Close()
	a, b, err := diffPair(c, r)
	if err != nil {
		return err
	}
	changes, err := history.Diff(c.Context, r, a.Snapshot, b.Snapshot)
	if err != nil {
		return err
	}
	p := newPrinter(c)
	p.note("lifeboat: comparing %s (%s) with %s (%s)", a.ID.Short(), a.Time.Local().Format("2006-01-02 15:04"),
		b.ID.Short(), b.Time.Local().Format("2006-01-02 15:04"))
	for _, ch := range changes {
		p.object(ch)
		p.human("%s", ch.String())
	}
	p.object(map[string]any{"from": a.ID.String(), "to": b.ID.String(), "changes": len(changes)})
	if len(changes) == 0 {
		p.human("no changes")
	}
	return nil
}

// diffPair picks the two snapshots to compare.
func diffPair(c *cli.Context, r *repo.Repository) (repo.SnapshotInfo, repo.SnapshotInfo, error) {
	var none repo.SnapshotInfo
	if c.NArg() == 2 {
		a, err := resolveSnapshot(c, r, c.Args().Get(0))
		if err != nil {
			return none, none, err
		}
		b, err := resolveSnapshot(c, r, c.Args().Get(1))
		return a, b, err
	}
	all, _, err := r.Snapshots(c.Context)
	if err != nil {
		return none, none, err
	}
	var src string
	var a *repo.SnapshotInfo
	if c.NArg() == 1 {
		s, err := findSnapshot(c, r)
		if err != nil {
			return none, none, err
		}
		a, src = &s, s.Source
	} else if len(all) > 0 {
		src = all[len(all)-1].Source
	}
	var same []repo.SnapshotInfo
	for _, s := range all {
		if s.Source == src {
			same = append(same, s)
		}
	}
	if len(same) < 2 {
		return none, none, usagef("diff needs two snapshots of %q; it has %d", src, len(same))
	}
	b := same[len(same)-1]
	if a == nil || a.ID == b.ID {
		return same[len(same)-2], b, nil
	}
	return *a, b, nil
}
