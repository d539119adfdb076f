package cli

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/target"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
	"github.com/lifeboat-backup/lifeboat/source/dav"
)

// restoreEach restores several snapshots (the newest of each source),
// each into a folder of DIR named after its source. named are the
// snapshots latest named before --include left some out: the folder
// names are made among them, so that they do not depend on what matches.
// A snapshot that fails does not stop the others.
func restoreEach(c *cli.Context, p *printer, r *repo.Repository, snaps, named []repo.SnapshotInfo) error {
	dir := c.String("to")
	if _, err := target.Prepare(dir, c.Bool("overwrite")); err != nil {
		if errors.Is(err, target.ErrNotEmpty) || errors.Is(err, target.ErrNotFolder) {
			return usageError{err}
		}
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	names := map[format.ID]string{}
	for i, n := range sourceDirNames(named) {
		names[named[i].ID] = n
	}
	var errs []error
	for _, s := range snaps {
		p.human("%s (%s):", clean(s.Source), s.Host)
		if err := restoreInto(c, p, r, s, root, dir, names[s.ID]); err != nil {
			p.warn("%s: %v", s.Source, err)
			errs = append(errs, err)
		}
	}
	p.object(map[string]any{"target": dir, "snapshots": len(snaps), "failed": len(errs)})
	if len(errs) > 0 {
		return fmt.Errorf("%d of %d snapshots not fully restored: %w", len(errs), len(snaps), errs[0])
	}
	if len(snaps) < len(named) {
		p.human("restored the newest snapshot of %d of %d sources into %s (nothing in the others matches --include)", len(snaps), len(named), dir)
		return nil
	}
	p.human("restored the newest snapshot of each of %d sources into %s", len(snaps), dir)
	return nil
}

// restoreInto restores one snapshot into the folder name of root, opened
// through root: a symlink planted at DIR/name is refused, never followed.
func restoreInto(c *cli.Context, p *printer, r *repo.Repository, snap repo.SnapshotInfo, root *os.Root, dir, name string) error {
	sub, created, err := target.PrepareIn(root, name, c.Bool("overwrite"))
	if err != nil {
		if errors.Is(err, target.ErrNotEmpty) || errors.Is(err, target.ErrNotFolder) {
			return usageError{fmt.Errorf("%s: %w", dir, err)}
		}
		return err
	}
	defer sub.Close()
	opts := restore.Options{Target: filepath.Join(dir, name), Root: sub, RootCreated: created}
	return restoreWith(c, p, r, snap, opts)
}

// sourceDirNames names a folder for each snapshot's source: a folder's
// base name, or kind-user@host for a CardDAV/CalDAV account; the host
// is added, then a number, where names would collide.
func sourceDirNames(snaps []repo.SnapshotInfo) []string {
	used := map[string]bool{}
	out := make([]string, len(snaps))
	for i, s := range snaps {
		name := sourceDirName(s.Source)
		if used[name] {
			name = safeName(name + "-" + s.Host)
		}
		for n, base := 2, name; used[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		used[name] = true
		out[i] = name
	}
	return out
}

func sourceDirName(src string) string {
	if dav.IsSource(src) {
		if u, err := url.Parse(src); err == nil {
			kind, _, _ := strings.Cut(u.Scheme, "+")
			if u.User != nil {
				return safeName(kind + "-" + u.User.Username() + "@" + u.Host)
			}
			return safeName(kind + "-" + u.Host)
		}
	}
	return safeName(filepath.Base(src))
}

// safeName makes s one harmless path element.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || unicode.IsControl(r) {
			return '_'
		}
		return r
	}, s)
	if s == "" || s == "." || s == ".." {
		return "source"
	}
	return s
}
