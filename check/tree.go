package check

import (
	"path"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// treeWalker checks that every blob a snapshot refers to is indexed,
// that its trees and sequences decode, and that every file's size is
// what its content list holds. Each folder (by its ref) is checked once,
// however many paths lead to it, so a forged tree that names the same
// folders over and over costs what it stores, not what it names.
type treeWalker struct {
	c    *checker
	seen map[format.ID]bool
	dirs map[string]bool
}

func newTreeWalker(c *checker) *treeWalker {
	return &treeWalker{c: c, seen: map[format.ID]bool{}, dirs: map[string]bool{}}
}

func (w *treeWalker) dir(ref format.Ref, where string) {
	k := repo.RefKey(ref)
	if w.dirs[k] {
		return
	}
	w.dirs[k] = true
	nodes, err := w.c.r.LoadDir(w.c.ctx, ref)
	if err != nil {
		w.c.readFailed(where, err)
		return
	}
	for _, n := range nodes {
		if w.c.ctx.Err() != nil {
			return
		}
		p := path.Join(where, n.Name)
		switch n.Type {
		case format.NodeDir:
			w.dir(n.Content, p)
		case format.NodeFile:
			ids, ok := w.file(n.Content, p)
			if _, pok := w.file(n.Patch, p+" (patch)"); ok && pok {
				w.size(n, ids, p)
			}
		}
	}
}

// file checks a file's content or patch list; ok says every blob of it
// is indexed.
func (w *treeWalker) file(ref format.Ref, where string) (ids []format.ID, ok bool) {
	ids, err := w.c.r.LoadRef(w.c.ctx, ref)
	if err != nil {
		w.c.readFailed(where, err)
		return nil, false
	}
	ok = true
	for _, id := range ids {
		if !w.c.r.Index().Has(id) {
			ok = false
			if !w.seen[id] {
				w.c.problem("%s: blob %s is in no pack", where, id.Short())
			}
		}
		w.seen[id] = true
	}
	return ids, ok
}

// size checks that a file's recorded size is the length of its content
// blobs plus its patch's inserts: a forged node claiming more (or less)
// is damage, not a file restore fails to write.
func (w *treeWalker) size(n format.Node, ids []format.ID, where string) {
	var got uint64
	for _, id := range ids {
		loc, _ := w.c.r.Index().Lookup(id)
		got += uint64(loc.RawLen)
	}
	if len(n.Patch.IDs) > 0 {
		ins, err := w.c.r.LoadPatch(w.c.ctx, n.Patch)
		if err != nil {
			w.c.readFailed(where+" (patch)", err)
			return
		}
		for _, in := range ins {
			got += uint64(len(in.Data))
		}
	}
	if n.Seal != nil {
		got = format.SealedSize(got)
	}
	if got != n.Size {
		w.c.problem("%s: the snapshot says %d bytes, its content holds %d", where, n.Size, got)
	}
}
