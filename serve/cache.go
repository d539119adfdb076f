package serve

import (
	"container/list"
	"context"
	"sync"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/history"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// dirCache keeps decoded directories, least recently used dropped first
// once their estimated size passes max bytes.
type dirCache struct {
	mu    sync.Mutex
	max   int64
	bytes int64
	order *list.List // of *dirEntry, most recent in front
	byKey map[string]*list.Element
}

type dirEntry struct {
	key   string
	nodes []format.Node
	size  int64
}

func newDirCache(max int64) *dirCache {
	return &dirCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// refKey names a directory by its tree blobs.
func refKey(ref format.Ref) string {
	b := make([]byte, 0, 1+len(ref.IDs)*len(format.ID{}))
	b = append(b, ref.Level)
	for _, id := range ref.IDs {
		b = append(b, id[:]...)
	}
	return string(b)
}

// nodesSize estimates the memory a directory's nodes take.
func nodesSize(nodes []format.Node) int64 {
	n := int64(64)
	for _, nd := range nodes {
		n += 200 + int64(len(nd.Name)+len(nd.Target)+len(nd.Seal)) +
			int64(len(nd.Content.IDs)+len(nd.Patch.IDs))*int64(len(format.ID{}))
		for _, x := range nd.XAttrs {
			n += int64(len(x.Name) + len(x.Value))
		}
	}
	return n
}

// load returns a directory's entries, from the cache or the repository.
func (c *dirCache) load(ctx context.Context, r *repo.Repository, ref format.Ref) ([]format.Node, error) {
	key := refKey(ref)
	c.mu.Lock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		nodes := el.Value.(*dirEntry).nodes
		c.mu.Unlock()
		return nodes, nil
	}
	c.mu.Unlock()
	nodes, err := r.LoadDir(ctx, ref)
	if err != nil {
		return nil, err
	}
	c.put(key, nodes)
	return nodes, nil
}

func (c *dirCache) put(key string, nodes []format.Node) {
	size := nodesSize(nodes)
	c.mu.Lock()
	defer c.mu.Unlock()
	if size > c.max {
		return
	}
	if _, ok := c.byKey[key]; ok {
		return
	}
	c.byKey[key] = c.order.PushFront(&dirEntry{key: key, nodes: nodes, size: size})
	c.bytes += size
	for c.bytes > c.max {
		el := c.order.Back()
		e := el.Value.(*dirEntry)
		c.order.Remove(el)
		delete(c.byKey, e.key)
		c.bytes -= e.size
	}
}

// diffCache keeps the diffs between pairs of snapshots (they never
// change), at most max of them.
type diffCache struct {
	mu    sync.Mutex
	max   int
	order []string
	byKey map[string][]history.Change
}

func newDiffCache(max int) *diffCache {
	return &diffCache{max: max, byKey: map[string][]history.Change{}}
}

// diff returns history.Diff from a to b, cached.
func (c *diffCache) diff(ctx context.Context, r *repo.Repository, a, b repo.SnapshotInfo) ([]history.Change, error) {
	key := a.ID.String() + b.ID.String()
	c.mu.Lock()
	if ch, ok := c.byKey[key]; ok {
		c.mu.Unlock()
		return ch, nil
	}
	c.mu.Unlock()
	ch, err := history.Diff(ctx, r, a.Snapshot, b.Snapshot)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; !ok {
		c.byKey[key] = ch
		c.order = append(c.order, key)
		if len(c.order) > c.max {
			delete(c.byKey, c.order[0])
			c.order = c.order[1:]
		}
	}
	return ch, nil
}

// snapList is the repository's snapshots, listed again when older than
// a few seconds (a backup may have committed one meanwhile).
type snapList struct {
	r       *repo.Repository
	mu      sync.Mutex
	at      time.Time
	all     []repo.SnapshotInfo
	damaged []error
}

const snapListAge = 5 * time.Second

// list returns every readable snapshot, oldest first, and the errors of
// those that do not read.
func (l *snapList) list(ctx context.Context) ([]repo.SnapshotInfo, []error, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.all != nil && time.Since(l.at) < snapListAge {
		return l.all, l.damaged, nil
	}
	all, damaged, err := l.r.Snapshots(ctx)
	if err != nil {
		return nil, nil, err
	}
	if all == nil {
		all = []repo.SnapshotInfo{}
	}
	l.all, l.damaged, l.at = all, damaged, time.Now()
	return all, damaged, nil
}
