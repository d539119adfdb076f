package check

import (
	"path"

	"github.com/lifeboat-backup/lifeboat/format"
)

// treeWalker checks that every blob a snapshot refers to is indexed and
// that its trees and sequences decode.
type treeWalker struct {
	c    *checker
	seen map[format.ID]bool
}

func (w *treeWalker) dir(ref format.Ref, where string) {
	nodes, err := w.c.r.LoadDir(w.c.ctx, ref)
	if err != nil {
		w.c.readFailed(where, err)
		return
	}
	for _, n := range nodes {
		p := path.Join(where, n.Name)
		switch n.Type {
		case format.NodeDir:
			w.dir(n.Content, p)
		case format.NodeFile:
			w.file(n.Content, p)
			w.file(n.Patch, p+" (patch)")
		}
	}
}

func (w *treeWalker) file(ref format.Ref, where string) {
	ids, err := w.c.r.LoadRef(w.c.ctx, ref)
	if err != nil {
		w.c.readFailed(where, err)
		return
	}
	for _, id := range ids {
		if w.seen[id] {
			continue
		}
		w.seen[id] = true
		if !w.c.r.Index().Has(id) {
			w.c.problem("%s: blob %s is in no pack", where, id.Short())
		}
	}
}
