package cli

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/repo"
)

// skipEmpty replaces, for latest and latest:SOURCE, a newest snapshot that
// holds no file with the newest earlier one of the same source that holds
// some, and says so: an unmounted phone or disk backed up as an empty
// folder must not be what a restore after a loss brings back. The empty
// snapshot stays reachable by its id.
func skipEmpty(c *cli.Context, r *repo.Repository, snaps []repo.SnapshotInfo) ([]repo.SnapshotInfo, error) {
	spec := c.Args().First()
	if spec != "latest" && !strings.HasPrefix(spec, "latest:") {
		return snaps, nil
	}
	empty := false
	for _, s := range snaps {
		empty = empty || s.Stats.Files == 0
	}
	if !empty {
		return snaps, nil
	}
	all, _, err := r.Snapshots(c.Context)
	if err != nil {
		return nil, err
	}
	p := newPrinter(c)
	out := append([]repo.SnapshotInfo(nil), snaps...)
	for i, s := range out {
		if s.Stats.Files != 0 {
			continue
		}
		for j := len(all) - 1; j >= 0; j-- {
			o := all[j]
			if o.Host == s.Host && o.Source == s.Source && repo.Older(o, s) && o.Stats.Files > 0 {
				p.warn("%s: the newest snapshot %s (%s) holds no file; using %s (%s), the newest that holds some (name %s to get the empty one)",
					s.Source, s.ID.Short(), s.Time.Local().Format("2006-01-02 15:04"), o.ID.Short(),
					o.Time.Local().Format("2006-01-02 15:04"), s.ID.Short())
				out[i] = o
				break
			}
		}
	}
	return out, nil
}
