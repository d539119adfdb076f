package repo

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"sort"

	"filippo.io/age"

	"github.com/lifeboat-backup/lifeboat/format"
)

// VerifyPack decrypts a whole pack and checks every blob its trailer lists
// against its id. It needs the identity.
func (r *Repository) VerifyPack(ctx context.Context, id format.ID) (blobs int, err error) {
	if r.identities == nil {
		return 0, ErrNoIdentity
	}
	name := PackName(id)
	obj, err := r.st.Open(ctx, name)
	if err != nil {
		return 0, fmt.Errorf("%s: %v: %w", name, err, ErrDamaged)
	}
	defer obj.Close()
	ageSize, entries, err := r.parsePackEnd(obj)
	if err != nil {
		return 0, fmt.Errorf("%s: trailer: %v: %w", name, err, ErrDamaged)
	}
	dec, err := age.Decrypt(io.NewSectionReader(obj, 0, ageSize), r.identities...)
	if err != nil {
		return 0, packOpenError(obj, name, err)
	}
	br := bufio.NewReaderSize(dec, 1<<20)
	sort.Slice(entries, func(i, j int) bool { return entries[i].Offset < entries[j].Offset })
	var pos int64
	var bb blobBuf // one pair of buffers for the whole pack
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return blobs, err
		}
		if int64(e.Offset) < pos {
			return blobs, fmt.Errorf("%s: overlapping blobs: %w", name, ErrDamaged)
		}
		if _, err := br.Discard(int(int64(e.Offset) - pos)); err != nil {
			return blobs, fmt.Errorf("%s: %v: %w", name, err, ErrDamaged)
		}
		buf := sized(&bb.stored, int(e.Length))
		if _, err := io.ReadFull(br, buf); err != nil {
			return blobs, fmt.Errorf("%s: %v: %w", name, err, ErrDamaged)
		}
		pos = int64(e.Offset) + int64(e.Length)
		if _, err := r.openBlob(id, e, buf, &bb); err != nil {
			return blobs, err
		}
		blobs++
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return blobs, fmt.Errorf("%s: %v: %w", name, err, ErrDamaged)
	}
	return blobs, nil
}
