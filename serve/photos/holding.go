package photos

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// Dirs loads one tree of a snapshot. *repo.Repository is one.
type Dirs interface {
	LoadDir(ctx context.Context, ref format.Ref) ([]format.Node, error)
}

// Held is a snapshot that holds some bytes, and where (the first path in
// name order).
type Held struct {
	ID   format.ID
	Path string
}

// Holding returns the snapshots of snaps (in their order) that hold a
// file whose content key (ContentKey) is content. A tree that several
// snapshots share is read once: an unchanged folder costs nothing after
// the first snapshot, and a tree that names the same subtree many times
// is no more work than its distinct trees. Stops on ctx's end.
func Holding(ctx context.Context, r Dirs, snaps []repo.SnapshotInfo, content string) ([]Held, error) {
	h := &holder{r: r, content: content, memo: map[string]string{}}
	var out []Held
	for _, s := range snaps {
		if s.Snapshot == nil {
			continue
		}
		p, err := h.find(ctx, s.Root.Content)
		if err != nil {
			return nil, fmt.Errorf("snapshot %s: %w", s.ID.Short(), err)
		}
		if p != "" {
			out = append(out, Held{ID: s.ID, Path: p})
		}
	}
	return out, nil
}

type holder struct {
	r       Dirs
	content string
	// memo is the answer for each tree read: the path below it of the
	// first file with the content, "" for none.
	memo map[string]string
}

func (h *holder) find(ctx context.Context, dir format.Ref) (string, error) {
	key := refKey(dir)
	if p, ok := h.memo[key]; ok {
		return p, nil
	}
	if err := ctx.Err(); err != nil {
		return "", err
	}
	h.memo[key] = "" // a tree that holds itself finds nothing in itself
	nodes, err := h.r.LoadDir(ctx, dir)
	if err != nil {
		return "", err
	}
	found := ""
	for _, n := range nodes {
		switch n.Type {
		case format.NodeFile:
			if ContentKey(n.Content) == h.content {
				found = n.Name
			}
		case format.NodeDir:
			p, err := h.find(ctx, n.Content)
			if err != nil {
				return "", err
			}
			if p != "" {
				found = path.Join(n.Name, p)
			}
		}
		if found != "" {
			break
		}
	}
	h.memo[key] = found
	return found, nil
}

func refKey(r format.Ref) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(int(r.Level)))
	for _, id := range r.IDs {
		b.Write(id[:])
	}
	return b.String()
}
