package cli

import (
	"context"
	"path"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// otherLatest are the newest snapshots of the sources that plain
// "latest" (the newest snapshot of all) did not pick, when SNAPSHOT is
// "latest"; nil otherwise.
func otherLatest(c *cli.Context, r *repo.Repository, snap repo.SnapshotInfo) []repo.SnapshotInfo {
	if c.Args().First() != "latest" {
		return nil
	}
	all, err := r.Latest(c.Context)
	if err != nil {
		return nil
	}
	var out []repo.SnapshotInfo
	for _, s := range all {
		if s.ID != snap.ID {
			out = append(out, s)
		}
	}
	return out
}

// latestSpec is how latest:SOURCE names a source: the folder's name, or
// the whole source where another of among shares that name (latest:phone
// would then name two).
func latestSpec(s repo.SnapshotInfo, among []repo.SnapshotInfo) string {
	base := path.Base(s.Source)
	for _, o := range among {
		if o.Source != s.Source && path.Base(o.Source) == base {
			return "latest:" + clean(s.Source)
		}
	}
	return "latest:" + clean(base)
}

// noPathError says that snap lacks prefix and, with plain "latest" over
// several sources, which other source's newest snapshot holds it, or
// that latest picked one source of several.
func noPathError(c *cli.Context, r *repo.Repository, snap repo.SnapshotInfo, others []repo.SnapshotInfo, prefix string) error {
	msg := "snapshot " + snap.ID.Short() + " holds no path " + clean(prefix)
	if len(others) == 0 {
		return usagef("%s", msg)
	}
	var specs []string
	among := append([]repo.SnapshotInfo{snap}, others...)
	for _, o := range others {
		if ok, err := holdsPath(c.Context, r, o.Root.Content, prefix); err == nil && ok {
			return usagef("%s; %s holds it (latest is the newest snapshot of all, here of %s)", msg, latestSpec(o, among), clean(snap.Source))
		}
		specs = append(specs, latestSpec(o, among))
	}
	return usagef("%s (latest is the newest snapshot of all, here of %s; the other sources: %s)", msg, clean(snap.Source), strings.Join(specs, ", "))
}

// holdsPath reports whether the tree at ref has the path rel.
func holdsPath(ctx context.Context, r *repo.Repository, ref format.Ref, rel string) (bool, error) {
	parts := strings.Split(rel, "/")
	for i, name := range parts {
		nodes, err := r.LoadDir(ctx, ref)
		if err != nil {
			return false, err
		}
		found := false
		for _, n := range nodes {
			if n.Name != name {
				continue
			}
			if i == len(parts)-1 {
				return true, nil
			}
			if n.Type != format.NodeDir {
				return false, nil
			}
			ref, found = n.Content, true
			break
		}
		if !found {
			return false, nil
		}
	}
	return false, nil
}
