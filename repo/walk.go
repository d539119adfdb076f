package repo

import (
	"context"
	"path"

	"github.com/lifeboat-backup/lifeboat/format"
)

// Walk calls fn for every entry below a directory, depth first, in name
// order, with its slash path relative to that directory. It needs the
// identity.
func (r *Repository) Walk(ctx context.Context, dir format.Ref, fn func(rel string, n format.Node) error) error {
	return r.walk(ctx, dir, "", fn)
}

func (r *Repository) walk(ctx context.Context, dir format.Ref, rel string, fn func(string, format.Node) error) error {
	nodes, err := r.LoadDir(ctx, dir)
	if err != nil {
		return err
	}
	for _, n := range nodes {
		if err := ctx.Err(); err != nil {
			return err
		}
		p := path.Join(rel, n.Name)
		if err := fn(p, n); err != nil {
			return err
		}
		if n.Type == format.NodeDir {
			if err := r.walk(ctx, n.Content, p, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReadFile returns a file's bytes.
func (r *Repository) ReadFile(ctx context.Context, n format.Node) ([]byte, error) {
	ids, err := r.LoadRef(ctx, n.Content)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, min(n.Size, 64<<20))
	for _, id := range ids {
		b, err := r.LoadBlob(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return out, nil
}

// SameContent reports whether two refs name the same bytes.
func SameContent(a, b format.Ref) bool {
	if a.Level != b.Level || len(a.IDs) != len(b.IDs) {
		return false
	}
	for i := range a.IDs {
		if a.IDs[i] != b.IDs[i] {
			return false
		}
	}
	return true
}
