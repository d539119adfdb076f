package repo

import (
	"context"
	"errors"
	"fmt"

	"github.com/lifeboat-backup/lifeboat/format"
)

// BlobID returns the id of a blob with plaintext data.
func (r *Repository) BlobID(data []byte) format.ID { return format.ID(r.keys.BlobID(data)) }

// LoadBlob reads, decrypts, decompresses and verifies one blob; when the
// primary's copy is damaged or missing, from the fallback location (see
// SetFallback).
func (r *Repository) LoadBlob(ctx context.Context, id format.ID) ([]byte, error) {
	b, err := r.loadBlob(ctx, id)
	if err != nil && r.fallback != nil && errors.Is(err, ErrDamaged) {
		return r.fallback.load(ctx, id, err)
	}
	return b, err
}

func (r *Repository) loadBlob(ctx context.Context, id format.ID) ([]byte, error) {
	loc, ok := r.idx.Lookup(id)
	if !ok {
		return nil, fmt.Errorf("blob %s is in no pack: %w", id.Short(), ErrDamaged)
	}
	pr, err := r.packs.get(ctx, loc.Pack)
	if err != nil {
		return nil, err
	}
	defer r.packs.release(pr)
	buf := make([]byte, loc.Length)
	if int64(loc.Offset)+int64(loc.Length) > pr.size {
		return nil, fmt.Errorf("%s: blob %s beyond pack end: %w", PackName(loc.Pack), id.Short(), ErrDamaged)
	}
	// A ReaderAt may return io.EOF with a full read at the end of the pack.
	if n, err := pr.readAt(buf, int64(loc.Offset)); n != len(buf) {
		return nil, readError(PackName(loc.Pack), err)
	}
	return r.openBlob(loc.Pack, loc.BlobEntry, buf)
}

// openBlob decompresses a stored blob and checks it against its id.
func (r *Repository) openBlob(pack format.ID, e format.BlobEntry, stored []byte) ([]byte, error) {
	data := stored
	if e.Comp == format.CompZstd {
		out, err := r.zdec.DecodeAll(stored, make([]byte, 0, e.RawLen))
		if err != nil || len(out) != int(e.RawLen) {
			return nil, fmt.Errorf("%s: blob %s does not decompress: %w", PackName(pack), e.ID.Short(), ErrDamaged)
		}
		data = out
	}
	if r.BlobID(data) != e.ID {
		return nil, fmt.Errorf("%s: blob %s does not match its id: %w", PackName(pack), e.ID.Short(), ErrDamaged)
	}
	return data, nil
}
