package serve

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// errNotFound is a snapshot, source or path that is not there: 404.
var errNotFound = errors.New("not found")

// snapshot finds a snapshot by its full id.
func (s *Server) snapshot(ctx context.Context, id string) (repo.SnapshotInfo, error) {
	want, err := format.ParseID(id)
	if err != nil {
		return repo.SnapshotInfo{}, errNotFound
	}
	all, _, err := s.snaps.list(ctx)
	if err != nil {
		return repo.SnapshotInfo{}, err
	}
	for _, sn := range all {
		if sn.ID == want {
			return sn, nil
		}
	}
	return repo.SnapshotInfo{}, errNotFound
}

// sourceSnapshots lists the snapshots of one host's source, newest first.
func (s *Server) sourceSnapshots(ctx context.Context, host, source string) ([]repo.SnapshotInfo, error) {
	all, _, err := s.snaps.list(ctx)
	if err != nil {
		return nil, err
	}
	var out []repo.SnapshotInfo
	for _, sn := range all {
		if sn.Host == host && sn.Source == source {
			out = append(out, sn)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return repo.Older(out[j], out[i]) })
	return out, nil
}

// parentOf is the snapshot a snapshot is compared against: its recorded
// parent when that still reads, else the one before it in list (newest
// first, as sourceSnapshots gives), else false.
func parentOf(list []repo.SnapshotInfo, i int) (repo.SnapshotInfo, bool) {
	if p := list[i].Parent; p != nil {
		for _, sn := range list {
			if sn.ID == *p {
				return sn, true
			}
		}
	}
	if i+1 < len(list) {
		return list[i+1], true
	}
	return repo.SnapshotInfo{}, false
}

// lookup finds the node at a slash path below a snapshot's root ("" is
// the root): every component must be a valid name present in its folder.
func (s *Server) lookup(ctx context.Context, snap *format.Snapshot, rel string) (format.Node, error) {
	n := snap.Root
	rel = strings.TrimSuffix(rel, "/")
	if rel == "" {
		return n, nil
	}
	for _, name := range strings.Split(rel, "/") {
		if !format.ValidName(name) || n.Type != format.NodeDir {
			return format.Node{}, errNotFound
		}
		nodes, err := s.dirs.load(ctx, s.r, n.Content)
		if err != nil {
			return format.Node{}, err
		}
		i := sort.Search(len(nodes), func(i int) bool { return nodes[i].Name >= name })
		if i == len(nodes) || nodes[i].Name != name {
			found := false
			for _, nd := range nodes { // in case a tree is not sorted
				if nd.Name == name {
					n, found = nd, true
					break
				}
			}
			if !found {
				return format.Node{}, errNotFound
			}
			continue
		}
		n = nodes[i]
	}
	return n, nil
}
