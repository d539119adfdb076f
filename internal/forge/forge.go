// Package forge builds hostile snapshots for tests, as an attacker who
// holds a backup machine's files would: the write key and the
// recipients, no identity. Nothing here applies the checks backup
// applies; every tree is written as given.
package forge

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// Forger writes blobs and one snapshot through a repository opened with
// the write key (repo.AccessWrite is enough).
type Forger struct {
	ctx  context.Context
	r    *repo.Repository
	sess *repo.Session
	p    *repo.Packer
}

// New starts forging into r.
func New(ctx context.Context, r *repo.Repository) *Forger {
	s := r.NewSession()
	return &Forger{ctx: ctx, r: r, sess: s, p: s.NewPacker(ctx)}
}

// Data stores b as a data blob and returns its id.
func (f *Forger) Data(b []byte) (format.ID, error) {
	id := f.r.BlobID(b)
	_, err := f.p.Add(format.BlobData, id, b, false)
	return id, err
}

// Tree stores nodes as one tree blob, unchecked, and returns the ref of
// a folder holding them.
func (f *Forger) Tree(nodes []format.Node) (format.Ref, error) {
	b := format.EncodeTree(nodes)
	id := f.r.BlobID(b)
	if _, err := f.p.Add(format.BlobTree, id, b, false); err != nil {
		return format.Ref{}, err
	}
	return format.Ref{IDs: []format.ID{id}}, nil
}

// File returns a file node named name holding data, stored.
func (f *Forger) File(name string, data []byte) (format.Node, error) {
	id, err := f.Data(data)
	return format.Node{Name: name, Type: format.NodeFile, Mode: 0o644, MTime: format.TimeOf(time.Now()),
		Size: uint64(len(data)), Content: format.Ref{IDs: []format.ID{id}}}, err
}

// Commit writes the snapshot of a folder holding root, from source.
func (f *Forger) Commit(source string, root format.Ref) (format.ID, error) {
	if err := f.p.Flush(); err != nil {
		return format.ID{}, err
	}
	snap := &format.Snapshot{Time: time.Now(), Host: "forger", Source: source,
		Root: format.Node{Type: format.NodeDir, Mode: 0o755, MTime: format.TimeOf(time.Now()), Content: root}}
	return f.sess.Commit(f.ctx, snap)
}

// Shared forges a tree of depth levels: each folder holds two folders,
// a and b, that are the same folder below, and the deepest holds one
// small file. It stores depth+1 small tree blobs, yet names 2^depth
// paths to the file.
func (f *Forger) Shared(depth int) (format.Ref, error) {
	leaf, err := f.File("f", []byte("shared\n"))
	if err != nil {
		return format.Ref{}, err
	}
	ref, err := f.Tree([]format.Node{leaf})
	for range depth {
		if err != nil {
			return ref, err
		}
		dir := format.Node{Type: format.NodeDir, Mode: 0o755, Content: ref}
		a, b := dir, dir
		a.Name, b.Name = "a", "b"
		ref, err = f.Tree([]format.Node{a, b})
	}
	return ref, err
}

// Kinds are the hostile snapshots Forge makes by name.
var Kinds = []string{"shared", "bigsize", "longname"}

// Forge commits one hostile snapshot of a kind (see Kinds) and returns
// its id:
//   - shared: Shared(40), a tree that names 2^40 paths;
//   - bigsize: a 6-byte file whose node claims 1 TiB;
//   - longname: a file whose name is 4096 bytes.
func Forge(ctx context.Context, r *repo.Repository, kind string) (format.ID, error) {
	f := New(ctx, r)
	var root format.Ref
	var err error
	switch kind {
	case "shared":
		root, err = f.Shared(40)
	case "bigsize":
		var n format.Node
		if n, err = f.File("small.txt", []byte("small\n")); err == nil {
			n.Size = 1 << 40
			root, err = f.Tree([]format.Node{n})
		}
	case "longname":
		var n format.Node
		if n, err = f.File(strings.Repeat("n", 4096), []byte("long name\n")); err == nil {
			root, err = f.Tree([]format.Node{n})
		}
	default:
		return format.ID{}, fmt.Errorf("forge: unknown kind %q (%s)", kind, strings.Join(Kinds, ", "))
	}
	if err != nil {
		return format.ID{}, err
	}
	return f.Commit("/forged/"+kind, root)
}

// Wide stores one folder of n files that share one data blob, and
// returns its ref.
func (f *Forger) Wide(n int) (format.Ref, error) {
	leaf, err := f.File("f", []byte("wide\n"))
	if err != nil {
		return format.Ref{}, err
	}
	nodes := make([]format.Node, n)
	for i := range nodes {
		nodes[i] = leaf
		nodes[i].Name = fmt.Sprintf("f%08d", i)
	}
	return f.Tree(nodes)
}

// Copies stores a folder holding k folders that are all dir, and
// returns its ref: within the bounds walks accept for k below 64.
func (f *Forger) Copies(dir format.Ref, k int) (format.Ref, error) {
	nodes := make([]format.Node, k)
	for i := range nodes {
		nodes[i] = format.Node{Name: fmt.Sprintf("d%04d", i), Type: format.NodeDir, Mode: 0o755, Content: dir}
	}
	return f.Tree(nodes)
}
