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
	nodes := make([]format.Node, len(entries))
	ok := make([]bool, len(entries))
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
				nodes[i], hits[i] = res.node, old
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
			nodes[i], ok[i] = b.symlink(crel, info)
		}
	}
	// Subfolders are walked while the workers read this folder's files.
	err = b.subdirs(p, rel, entries, infos, nodes, ok)
	wg.Wait()
	if err != nil {
		return node, err
	}
	if err := b.ctx.Err(); err != nil {
		return node, err
	}
	kept := nodes[:0] // compacted in place: entry i is read before slot len(kept) <= i is written
	cuts := make([]cut, 0, len(entries))
	// Sized by the files, not the entries: a top folder of 4,000
	// subfolders would hold 600 kB for nothing while its tree is saved.
	keep := make([]cacheEntry, 0, files+1) // and keepFolder's tree entry
	for i := range entries {
		c := cutUnknown
		if old := hits[i]; old != nil {
			// Its entry as newEntry would make it: the status lookup
			// compared is the file's, the rest is the entry's own.
			ok[i], c = true, old.Cut
			nodes[i].Link = b.linkID(infos[i])
			if !racy(infos[i], b.start) {
				keep = append(keep, *old)
			}
		} else if j := jobs[i]; j != nil && j.ok {
			nodes[i], ok[i], c = j.res.node, true, j.res.cut
			nodes[i].Link = b.linkID(j.fi)
			fi := j.fi
			if j.res.fi != nil {
				fi = j.res.fi // the status the file had when it was read
			}
			if !racy(fi, b.start) && !j.res.changed {
				keep = append(keep, newEntry(fi, j.res))
			}
		}
		if ok[i] {
			kept, cuts = append(kept, nodes[i]), append(cuts, c)
		}
	}
	var trees []format.ID
	if t := cached.get(treesEntry); t != nil && b.cacheIndex == nil {
		p.Assume(t.IDs) // the cache vouches for them (see Packer.Assume)
	}
	node.Content, trees, err = b.saveTree(p, kept, cuts)
	p.Assume(nil)
	if err == nil {
		b.cache.keepFolder(rel, keep, trees)
	}
	b.mu.Lock()
	b.stats.Dirs++
	b.mu.Unlock()
	return node, err
}

// subdirs walks the subfolders among entries into nodes and ok. The
// caller's walk and helpers, one per packer free in b.walkers when it
// starts, take the subfolders one at a time until none is left: a helper
// that finishes a folder takes the next instead of handing its packer
// back while the caller is busy. Each folder's tree is built from its own
// entries in their order, so the snapshot is the same whichever walk did
// what. After a failure no walk takes another folder; subdirs returns the
// error of the first subfolder that failed once every walk has ended.
func (b *backuper) subdirs(p *repo.Packer, rel string, entries []fs.DirEntry, infos []fs.FileInfo,
	nodes []format.Node, ok []bool) error {
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
			if nodes[i], errs[i] = b.dir(p, path.Join(rel, entries[i].Name()), infos[i]); errs[i] != nil {
				failed.Store(true)
				return
			}
			ok[i] = true
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

// saveTree stores a directory's entries as tree blobs cut where an entry's
// name says so, so that one changed file rewrites one small tree blob;
// cuts[i], when known, is nameBoundary of nodes[i].Name. It returns the
// ref and every blob it wrote or found stored (trees and sequences).
func (b *backuper) saveTree(p *repo.Packer, nodes []format.Node, cuts []cut) (format.Ref, []format.ID, error) {
	var ids []format.ID
	start, size := 0, 0
	for i := range nodes {
		n := &nodes[i]
		size += len(n.Name) + len(n.Target) + 48 + 32*(len(n.Content.IDs)+len(n.Patch.IDs))
		last := i == len(nodes)-1
		if !last && size < maxTreeBlob && !b.boundary(nodes[i].Name, cuts[i]) {
			continue
		}
		blob := format.EncodeTree(nodes[start : i+1])
		id := b.r.BlobID(blob)
		if _, err := p.Add(format.BlobTree, id, blob, true); err != nil {
			return format.Ref{}, nil, err
		}
		ids = append(ids, id)
		start, size = i+1, 0
	}
	if len(nodes) == 0 {
		blob := format.EncodeTree(nil)
		id := b.r.BlobID(blob)
		if _, err := p.Add(format.BlobTree, id, blob, false); err != nil {
			return format.Ref{}, nil, err
		}
		ids = append(ids, id)
	}
	ref, seqs, err := p.SaveRef(ids)
	return ref, append(ids, seqs...), err
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
