package repo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path"

	"github.com/lifeboat-backup/lifeboat/format"
)

// Walk calls fn for every entry below a directory, depth first, in name
// order, with its slash path relative to that directory. It needs the
// identity. A tree that names far more paths than it stores is refused
// first (see CheckTree).
func (r *Repository) Walk(ctx context.Context, dir format.Ref, fn func(rel string, n format.Node) error) error {
	if err := r.CheckTree(ctx, dir); err != nil {
		return err
	}
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

// ReadFile returns a file's bytes, volatile lines put back.
func (r *Repository) ReadFile(ctx context.Context, n format.Node) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(int(min(n.Size, 64<<20)))
	if err := r.WriteFile(ctx, &buf, n); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteFile writes a file's bytes to w, blob by blob, each verified,
// with the file's patch applied; a sealed file's are encrypted again as
// its source kept them (format.SealWriter).
func (r *Repository) WriteFile(ctx context.Context, w io.Writer, n format.Node) error {
	if n.Seal != nil {
		sw, err := format.NewSealWriter(w, n.Seal)
		if err != nil {
			return fmt.Errorf("sealed file: %v: %w", err, ErrDamaged)
		}
		n.Seal = nil
		if err := r.WriteFile(ctx, sw, n); err != nil {
			return err
		}
		return sw.Close()
	}
	ids, err := r.LoadRef(ctx, n.Content)
	if err != nil {
		return err
	}
	ins, err := r.LoadPatch(ctx, n.Patch)
	if err != nil {
		return err
	}
	pw := &format.PatchWriter{W: w, Ins: ins}
	// Each blob is written before the next is read (a Writer keeps no
	// part of what it is given), so one pair of buffers serves the file.
	bb := getBlobBuf()
	defer putBlobBuf(bb)
	for _, id := range ids {
		b, err := r.loadBlobInto(ctx, id, bb)
		if err != nil {
			return err
		}
		if _, err := pw.Write(b); err != nil {
			return err
		}
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("patch: %v: %w", err, ErrDamaged)
	}
	return nil
}

// ReadHead returns a file's first blob (for a photo, where its EXIF is),
// or nothing for an empty file.
func (r *Repository) ReadHead(ctx context.Context, n format.Node) ([]byte, error) {
	ids, err := r.LoadRef(ctx, n.Content)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return r.LoadBlob(ctx, ids[0])
}

// LoadPatch reads the inserts of a file's patch (none for an empty ref).
func (r *Repository) LoadPatch(ctx context.Context, ref format.Ref) ([]format.Insert, error) {
	ids, err := r.LoadRef(ctx, ref)
	if err != nil {
		return nil, err
	}
	var ins []format.Insert
	for _, id := range ids {
		b, err := r.LoadBlob(ctx, id)
		if err != nil {
			return nil, err
		}
		part, err := format.DecodePatch(b)
		if err != nil {
			return nil, fmt.Errorf("patch %s: %v: %w", id.Short(), err, ErrDamaged)
		}
		ins = append(ins, part...)
	}
	return ins, nil
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
