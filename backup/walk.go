package backup

import (
	"fmt"
	"io/fs"
	"path"
	"sync"
	"sync/atomic"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

var errLongName = fmt.Errorf("name longer than %d bytes, not stored", format.MaxNameLen)

// maxTreeBlob bounds the encoded size of one tree blob.
const maxTreeBlob = 64 << 10

// dir backs up one directory: it hands its files to the workers, recurses
// into subdirectories meanwhile, then waits for its files and writes its
// tree. p is the walk's own packer, for tree and sequence blobs. A
// subdirectory is walked beside this one when a packer is free in
// b.walkers (see subdirs).
func (b *backuper) dir(p *repo.Packer, rel string, fi fs.FileInfo) (format.Node, error) {
	node := fileNode(fi)
	node.Type, node.Size = format.NodeDir, 0
	if rel != "" { // the snapshot keeps the source folder's mode and time only
		xattrs, err := readXAttrs(b.pathXAttrs(rel))
		if err != nil {
			b.note(rel, fmt.Errorf("extended attributes not read: %w", err))
		}
		node.XAttrs = xattrs
	}
	entries, err := b.tree.ReadDir(treePath(rel))
	if err != nil {
		if rel == "" {
			return node, sourceError(b.name, err)
		}
		b.itemError(rel, unwrapPath(err))
	}
	var wg sync.WaitGroup
	jobs := make([]*fileJob, len(entries))
	hits := make([]*cacheEntry, len(entries)) // files unchanged since the cache
	// The nodes of the unchanged files and the symlinks; at[i] is entry
	// i's place in nodes plus one (0: none). A subfolder's node is kept
	// encoded in subs instead (see subdirs): a top folder of 4,000
	// subfolders held 4,000 Nodes, and their Refs, while it was walked.
	at := make([]int32, len(entries))
	nodes := make([]format.Node, 0, countNotDirs(entries))
	subs := make([]subNode, len(entries))
	infos := make([]fs.FileInfo, len(entries))
	cached := b.cache.folder(rel)
	files := 0 // regular files: the most cache entries the folder keeps
	for i, e := range entries {
		if b.ctx.Err() != nil {
			break
		}
		if len(e.Name()) > format.MaxNameLen {
			// Not storable: a tree holding it would not decode.
			b.itemError(path.Join(rel, format.ShortName(e.Name())), errLongName)
			continue
		}
		crel := path.Join(rel, e.Name())
		info, err := e.Info()
		if err != nil {
			b.itemError(crel, unwrapPath(err))
			continue
		}
		infos[i] = info
		switch {
		case info.Mode().IsRegular():
			files++
			old := cached.get(e.Name())
			if res, hit := lookup(old, info, b.cacheIndex); hit {
				// No worker, no job: the node and the cache entry are
				// the old ones.
				nodes, hits[i] = append(nodes, res.node), old
				at[i] = int32(len(nodes))
				old.Cut = res.cut
				b.count(crel, res, 0)
				b.report(crel, int64(res.node.Size), FileUnchanged)
				continue
			}
			job := &fileJob{rel: crel, fi: info, cached: old}
			jobs[i] = job
			wg.Add(1)
			job.done = wg.Done
			b.jobs <- job
		case info.Mode()&fs.ModeSymlink != 0:
			if n, ok := b.symlink(crel, info); ok {
				nodes = append(nodes, n)
				at[i] = int32(len(nodes))
			}
		}
	}
	// Subfolders are walked while the workers read this folder's files.
	err = b.subdirs(p, rel, entries, infos, subs)
	wg.Wait()
	if err != nil {
		return node, err
	}
	if err := b.ctx.Err(); err != nil {
		return node, err
	}
	if t := cached.get(treesEntry); t != nil && b.cacheIndex == nil {
		p.Assume(t.IDs) // the cache vouches for them (see Packer.Assume)
	}
	defer p.Assume(nil)
	tw := treeWriter{b: b, p: p}
	// Sized by the files, not the entries: a top folder of 4,000
	// subfolders would hold 600 kB for nothing while its tree is saved.
	keep := make([]cacheEntry, 0, files+1) // and keepFolder's tree entry
	for i := range entries {
		switch old, j := hits[i], jobs[i]; {
		case old != nil:
			// Its entry as newEntry would make it: the status lookup
			// compared is the file's, the rest is the entry's own.
			n := &nodes[at[i]-1]
			n.Link = b.linkID(infos[i])
			if !racy(infos[i], b.start) {
				keep = append(keep, *old)
			}
			err = tw.node(n, old.Cut)
		case j != nil && j.ok:
			n := j.res.node // the cache keeps it without its Link
			n.Link = b.linkID(j.fi)
			fi := j.fi
			if j.res.fi != nil {
				fi = j.res.fi // the status the file had when it was read
			}
			if !racy(fi, b.start) && !j.res.changed {
				keep = append(keep, newEntry(fi, j.res))
			}
			err = tw.node(&n, j.res.cut)
		case at[i] > 0:
			err = tw.node(&nodes[at[i]-1], cutUnknown)
		case subs[i].enc != nil:
			err = tw.encoded(subs[i], entries[i].Name())
		}
		if err != nil {
			return node, err
		}
	}
	var trees []format.ID
	node.Content, trees, err = tw.close()
	if err == nil {
		b.cache.keepFolder(rel, keep, trees)
	}
	b.mu.Lock()
	b.stats.Dirs++
	b.mu.Unlock()
	return node, err
}

// countNotDirs counts the entries that are not folders.
func countNotDirs(entries []fs.DirEntry) int {
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			n++
		}
	}
	return n
}

// subNode is a walked subfolder's node, encoded (format.AppendNode), and
// its treeWeight; enc is nil for a subfolder not walked.
type subNode struct {
	enc    []byte
	weight int
}

// subdirs walks the subfolders among entries into subs. The
// caller's walk and helpers, one per packer free in b.walkers when it
// starts, take the subfolders one at a time until none is left: a helper
// that finishes a folder takes the next instead of handing its packer
// back while the caller is busy. Each folder's tree is built from its own
// entries in their order, so the snapshot is the same whichever walk did
// what. After a failure no walk takes another folder; subdirs returns the
// error of the first subfolder that failed once every walk has ended.
func (b *backuper) subdirs(p *repo.Packer, rel string, entries []fs.DirEntry, infos []fs.FileInfo,
	subs []subNode) error {
	var dirs []int
	for i, e := range entries {
		info := infos[i]
		if info == nil || info.Mode().IsRegular() || info.Mode()&fs.ModeSymlink != 0 {
			continue
		}
		if !info.IsDir() {
			b.itemError(path.Join(rel, e.Name()), fmt.Errorf("not a regular file, folder or symlink (%s)", info.Mode().Type()))
			continue
		}
		dirs = append(dirs, i)
	}
	errs := make([]error, len(entries))
	var next atomic.Int64
	var failed atomic.Bool
	walk := func(p *repo.Packer) {
		for {
			k := int(next.Add(1) - 1)
			if k >= len(dirs) || failed.Load() || b.ctx.Err() != nil {
				return
			}
			i := dirs[k]
			n, err := b.dir(p, path.Join(rel, entries[i].Name()), infos[i])
			if err != nil {
				errs[i] = err
				failed.Store(true)
				return
			}
			w := treeWeight(&n)
			subs[i] = subNode{format.AppendNode(make([]byte, 0, w), &n), w}
		}
	}
	var wg sync.WaitGroup
helpers:
	for range len(dirs) - 1 {
		select {
		case wp := <-b.walkers:
			wg.Add(1)
			go func() {
				defer func() { b.walkers <- wp; wg.Done() }()
				walk(wp)
			}()
		default:
			break helpers
		}
	}
	walk(p)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (b *backuper) symlink(rel string, fi fs.FileInfo) (format.Node, bool) {
	target, err := b.tree.Readlink(rel)
	if err != nil {
		b.itemError(rel, unwrapPath(err))
		return format.Node{}, false
	}
	n := fileNode(fi)
	n.Type, n.Size, n.Target = format.NodeSymlink, 0, target
	return n, true
}

// treeWriter stores a folder's entries, given in name order, as tree
// blobs cut where an entry's name says so (see boundary), so that one
// changed file rewrites one small tree blob. It holds the entries of one
// blob at a time, encoded.
type treeWriter struct {
	b      *backuper
	p      *repo.Packer
	enc    []byte // the entries of the blob being built, encoded
	n      int    // how many
	weight int    // their treeWeight
	blob   []byte
	ids    []format.ID // the blobs stored so far
}

// treeWeight is what a node counts toward maxTreeBlob: about its encoded
// size without extended attributes. Where it cuts a large folder is part
// of the snapshot's tree ids, so it stays as it is.
func treeWeight(n *format.Node) int {
	return len(n.Name) + len(n.Target) + 48 + 32*(len(n.Content.IDs)+len(n.Patch.IDs))
}

// node adds an entry; c, when known, is nameBoundary of its name.
func (t *treeWriter) node(n *format.Node, c cut) error {
	t.enc = format.AppendNode(t.enc, n)
	return t.added(n.Name, c, treeWeight(n))
}

// encoded adds a subfolder's entry, named name, as subdirs encoded it.
func (t *treeWriter) encoded(s subNode, name string) error {
	t.enc = append(t.enc, s.enc...)
	return t.added(name, cutUnknown, s.weight)
}

func (t *treeWriter) added(name string, c cut, weight int) error {
	t.n++
	t.weight += weight
	if t.weight < maxTreeBlob && !t.b.boundary(name, c) {
		return nil
	}
	return t.flush()
}

// flush stores the entries added since the last blob as one tree blob.
func (t *treeWriter) flush() error {
	t.blob = format.AppendTree(t.blob[:0], t.n, t.enc)
	id := t.b.r.BlobID(t.blob)
	if _, err := t.p.Add(format.BlobTree, id, t.blob, t.n > 0); err != nil {
		return err
	}
	t.ids = append(t.ids, id)
	t.enc, t.n, t.weight = t.enc[:0], 0, 0
	return nil
}

// close stores the last tree blob (an empty tree for a folder with no
// entries) and returns the folder's ref and every blob it wrote or found
// stored (trees and sequences).
func (t *treeWriter) close() (format.Ref, []format.ID, error) {
	if t.n > 0 || len(t.ids) == 0 {
		if err := t.flush(); err != nil {
			return format.Ref{}, nil, err
		}
	}
	ref, seqs, err := t.p.SaveRef(t.ids)
	return ref, append(t.ids, seqs...), err
}

// nameBoundary ends a tree blob after about one name in 8, decided by a
// keyed hash of the name.
func (b *backuper) nameBoundary(name string) bool {
	id := b.r.BlobID([]byte(name))
	return id[0]&7 == 0
}

// cut is nameBoundary of a name, worked out once: by the worker that read
// the file, or kept in the file cache, so that a re-run hashes no names.
type cut uint8

const (
	cutUnknown cut = iota
	cutNo
	cutYes
)

func (b *backuper) cutAfter(name string) cut {
	if b.nameBoundary(name) {
		return cutYes
	}
	return cutNo
}

func (b *backuper) boundary(name string, c cut) bool {
	if c == cutUnknown {
		return b.nameBoundary(name)
	}
	return c == cutYes
}

// fileNode returns the node fields every entry has.
func fileNode(fi fs.FileInfo) format.Node {
	return format.Node{Name: fi.Name(), Type: format.NodeFile, Mode: uint32(fi.Mode().Perm()),
		MTime: format.TimeOf(fi.ModTime()), Size: uint64(fi.Size())}
}

// treePath is rel as the source tree names it: "." for the root.
func treePath(rel string) string {
	if rel == "" {
		return "."
	}
	return rel
}
