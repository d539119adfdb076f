package cli

import (
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/lock"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/retention"
)

func forgetCommand() *cli.Command {
	keep := func(name, usage string) cli.Flag {
		return &cli.IntFlag{Name: "keep-" + name, EnvVars: []string{"LIFEBOAT_KEEP_" + strings.ToUpper(name)}, Usage: usage}
	}
	return &cli.Command{
		Name:      "forget",
		Usage:     "remove snapshots by a retention policy (or by id), in both locations",
		ArgsUsage: "[SNAPSHOT...]",
		Description: "Keeps, per source, the snapshots the --keep-* options name and removes the others\n" +
			"from the repository and its mirror. The newest snapshot of each source, and the snapshots\n" +
			"around a mass-deletion alarm, are always kept by a policy (an alarm snapshot can be forgotten\n" +
			"by its id). It frees no space by itself: --prune (or 'lifeboat prune') removes the data\n" +
			"no snapshot references. Needs the identity. With a mirror configured, the mirror must be\n" +
			"reachable: deleting in one location only would let sync bring the snapshots back.\n" +
			"'forget --source SOURCE --all --yes' retires a source backed up by mistake: every snapshot of it,\n" +
			"the newest too, after which status no longer lists it.",
		Flags: append(append(append(outputFlags(), keyFlags()...),
			keep("last", "keep the last `N` snapshots"),
			keep("hourly", "keep the newest snapshot of each of the last `N` hours that have one"),
			keep("daily", "keep the newest snapshot of each of the last `N` days"),
			keep("weekly", "keep the newest snapshot of each of the last `N` weeks"),
			keep("monthly", "keep the newest snapshot of each of the last `N` months"),
			keep("yearly", "keep the newest snapshot of each of the last `N` years"),
			&cli.StringFlag{Name: "keep-within", EnvVars: []string{"LIFEBOAT_KEEP_WITHIN"},
				Usage: "keep every snapshot within `DURATION` of the newest (7d, 2w, 6m, 1y, 72h)"},
			&cli.StringSliceFlag{Name: "keep-tag", EnvVars: []string{"LIFEBOAT_KEEP_TAG"}, Usage: "keep snapshots with `TAG` (repeatable)"},
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "show what would be removed, remove nothing"},
			&cli.BoolFlag{Name: "prune", Usage: "then remove the data no snapshot references (as 'lifeboat prune')"},
			mirrorFlag(),
		), forgetSourceFlags()...),
		Action: runForget,
	}
}

func policyFrom(c *cli.Context) (retention.Policy, error) {
	p := retention.Policy{Last: c.Int("keep-last"), Hourly: c.Int("keep-hourly"), Daily: c.Int("keep-daily"),
		Weekly: c.Int("keep-weekly"), Monthly: c.Int("keep-monthly"), Yearly: c.Int("keep-yearly"), Tags: c.StringSlice("keep-tag")}
	for _, n := range []int{p.Last, p.Hourly, p.Daily, p.Weekly, p.Monthly, p.Yearly} {
		if n < 0 {
			return p, usagef("--keep-* counts must not be negative")
		}
	}
	if w := c.String("keep-within"); w != "" {
		d, err := retention.ParseDuration(w)
		if err != nil {
			return p, usagef("--keep-within: %v", err)
		}
		p.Within = d
	}
	return p, nil
}

func runForget(c *cli.Context) error {
	if c.IsSet("source") || c.Bool("all") {
		return runForgetSource(c)
	}
	policy, err := policyFrom(c)
	if err != nil {
		return err
	}
	if c.NArg() == 0 && policy.Empty() {
		return usagef("%v", retention.ErrEmptyPolicy)
	}
	if c.NArg() > 0 && !policy.Empty() {
		return usagef("give snapshot ids or --keep-* options, not both")
	}
	loc, r, snaps, damaged, err := openForget(c)
	if err != nil {
		return err
	}
	defer loc.release()
	defer r.Close()
	p := newPrinter(c)
	for _, d := range damaged {
		p.warn("%v (kept)", d)
	}
	decisions, err := decide(c, r, snaps, policy)
	if err != nil {
		return err
	}
	if err := recatalog(c, r, loc, decisions); err != nil {
		return err
	}
	removed := 0
	for _, d := range decisions {
		p.object(map[string]any{"id": d.ID, "time": d.Time, "group": d.Group, "keep": d.Keep(), "reasons": nonNil(d.Reasons)})
		if d.Keep() {
			p.detail("keep   %s  %s  %s  (%s)", d.ID[:8], d.Time.Local().Format("2006-01-02 15:04"), d.Group, strings.Join(d.Reasons, ", "))
			continue
		}
		removed++
		verb := "remove"
		if c.Bool("dry-run") {
			verb = "would remove"
		}
		p.human("%s %s  %s  %s", verb, d.ID[:8], d.Time.Local().Format("2006-01-02 15:04"), d.Group)
		if !c.Bool("dry-run") {
			if err := loc.removeSnapshot(c, d.ID); err != nil {
				return err
			}
		}
	}
	kept := len(decisions) - removed
	p.object(map[string]any{"summary": true, "removed": removed, "kept": kept, "dry_run": c.Bool("dry-run")})
	if c.Bool("dry-run") {
		p.human("would remove %s, keep %d (dry run)", plural(removed, "snapshot"), kept)
	} else {
		p.human("%s removed, %d kept", plural(removed, "snapshot"), kept)
	}
	if c.Bool("prune") && !c.Bool("dry-run") {
		// The same repository: the index is unchanged, and the snapshots
		// are listed again.
		return pruneLocations(c, p, loc, r)
	}
	return nil
}

// recatalog writes the catalog without the snapshots forget removes,
// before it removes them (see repo.Recatalog).
func recatalog(c *cli.Context, r *repo.Repository, loc *locations, decisions []retention.Decision) error {
	var remove []format.ID
	for _, d := range decisions {
		if !d.Keep() {
			id, err := format.ParseID(d.ID)
			if err != nil {
				return err
			}
			remove = append(remove, id)
		}
	}
	if len(remove) == 0 || c.Bool("dry-run") {
		return nil
	}
	if err := loc.check(c); err != nil {
		return err
	}
	return r.Recatalog(c.Context, remove, loc.stores())
}

// decide applies the policy, or picks the snapshots named as arguments
// (refusing the newest of a source, which rollback detection relies on).
func decide(c *cli.Context, r *repo.Repository, snaps []repo.SnapshotInfo, policy retention.Policy) ([]retention.Decision, error) {
	in := make([]retention.Snapshot, len(snaps))
	newest := map[string]string{} // snaps are in commit order
	for i, s := range snaps {
		in[i] = retention.Snapshot{ID: s.ID.String(), Time: s.Time, Order: i, Group: s.Host + " " + s.Source, Tags: s.Tags}
		if s.Alarm != nil {
			in[i].Alarm, in[i].Before = true, s.Alarm.Previous.String()
		}
		newest[in[i].Group] = in[i].ID
	}
	if c.NArg() == 0 {
		return retention.Apply(in, policy, time.Local)
	}
	forget := map[string]bool{}
	for _, arg := range c.Args().Slice() {
		info, err := r.FindSnapshot(c.Context, arg)
		if err != nil {
			return nil, usageError{err}
		}
		if newest[info.Host+" "+info.Source] == info.ID.String() {
			return nil, usagef("%s is the newest snapshot of %s, which is never forgotten by id; to retire the whole source: 'lifeboat forget --source %s --all --yes'",
				info.ID.Short(), info.Source, info.Source)
		}
		forget[info.ID.String()] = true
	}
	var out []retention.Decision
	for _, s := range in {
		d := retention.Decision{Snapshot: s}
		if !forget[s.ID] {
			d.Reasons = []string{"not named"}
		}
		out = append(out, d)
	}
	return out, nil
}

// openForget locks both locations as forget does (prune's lock with
// --prune; none held for --dry-run) and lists the repository's snapshots.
func openForget(c *cli.Context) (*locations, *repo.Repository, []repo.SnapshotInfo, []error, error) {
	kind := lock.Write
	if c.Bool("prune") {
		kind = lock.Prune
	}
	loc, err := lockBoth(c, kind, !c.Bool("dry-run"))
	if err != nil {
		return nil, nil, nil, nil, err
	}
	r, err := openRepo(c, repo.AccessRead)
	if err != nil {
		loc.release()
		return nil, nil, nil, nil, err
	}
	snaps, damaged, err := r.Snapshots(c.Context)
	if err != nil {
		r.Close()
		loc.release()
		return nil, nil, nil, nil, err
	}
	return loc, r, snaps, damaged, nil
}
