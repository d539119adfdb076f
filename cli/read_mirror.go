package cli

import (
	"io"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/repo"
)

// readFromMirror lets restore and export read a pack from the mirror
// (--mirror, LIFEBOAT_MIRROR or the config's mirror) when the
// repository's copy is damaged or missing, and say so for each pack. A
// mirror that cannot be used is a warning: the repository may well be
// whole. It returns a function that closes the mirror.
func readFromMirror(c *cli.Context, p *printer, r *repo.Repository) func() {
	loc := c.String("mirror")
	if loc == "" || sameLocation(loc, r.Store().Location()) {
		return func() {}
	}
	m, err := openMirror(c)
	if err != nil {
		p.warn("the mirror %s cannot stand in for damaged data here: %v", loc, err)
		return func() {}
	}
	closeMirror := func() {
		if cl, ok := m.(io.Closer); ok {
			cl.Close()
		}
	}
	used := func(object string) {
		p.warn("%s is damaged or missing in %s; read it from the mirror %s instead (run 'lifeboat sync' to repair it)",
			object, r.Store().Location(), m.Location())
	}
	if err := r.SetFallback(c.Context, m, used); err != nil {
		p.warn("the mirror %s cannot stand in for damaged data here: %v", loc, err)
		closeMirror()
		return func() {}
	}
	return closeMirror
}
