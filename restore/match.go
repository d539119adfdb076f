package restore

import (
	"context"
	"errors"
	"fmt"
	"path"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// ErrNoMatch is returned by CheckInclude when no file of the snapshot
// matches the patterns: a typo, most likely, which would otherwise restore
// nothing and look like success.
var ErrNoMatch = errors.New("nothing in the snapshot matches --include")

// CheckInclude refuses malformed patterns and patterns that match no file
// or symlink of snap. It walks the snapshot's folders until the first
// match; no file content is read.
func CheckInclude(ctx context.Context, r *repo.Repository, snap *format.Snapshot, include []string) error {
	if len(include) == 0 {
		return nil
	}
	for _, pat := range include {
		if _, err := path.Match(pat, ""); err != nil {
			return fmt.Errorf("--include %q: %w", pat, err)
		}
	}
	if err := r.CheckTree(ctx, snap.Root.Content); err != nil {
		return err
	}
	found, err := anyIncluded(ctx, r, snap.Root, ".", include)
	if err != nil || found {
		return err
	}
	return fmt.Errorf("%w %q", ErrNoMatch, include)
}

func anyIncluded(ctx context.Context, r *repo.Repository, dir format.Node, rel string, include []string) (bool, error) {
	nodes, err := r.LoadDir(ctx, dir.Content)
	if err != nil {
		return false, err
	}
	for _, n := range nodes {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		crel := path.Join(rel, n.Name)
		if n.Type != format.NodeDir {
			if Included(include, crel) {
				return true, nil
			}
			continue
		}
		if found, err := anyIncluded(ctx, r, n, crel, include); err != nil || found {
			return found, err
		}
	}
	return false, nil
}
