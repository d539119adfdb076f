package repo

import (
	"context"

	"github.com/lifeboat-backup/lifeboat/format"
)

// sessionPack is a pack a session wrote: its blobs are the index's
// records recs, in the pack's order.
type sessionPack struct {
	id   format.ID
	recs recRange
}

// indexFileBlobs is about how many blobs one index file of a backup lists
// (a pack is never split): a backup of many files writes several index
// files, so that its commit never holds the encoded and sealed copies of
// one huge file at once. 16,384 blobs make an index file of about 600
// KiB; its entries, encoding and sealed copy cost the commit about 2 MiB
// (65,536 cost 8 MiB, the peak of a 400,000-file backup's memory).
const indexFileBlobs = 1 << 14

// indexPacks returns the index entries of packs [from, to) of the session.
func (s *Session) indexPacks(from, to int) ([]format.IndexPack, error) {
	s.mu.Lock()
	packs := s.packs[from:to:to]
	s.mu.Unlock()
	out := make([]format.IndexPack, len(packs))
	for i, p := range packs {
		blobs, err := s.r.idx.entries(p.recs)
		if err != nil {
			return nil, err
		}
		out[i] = format.IndexPack{Pack: p.id, Blobs: blobs}
	}
	return out, nil
}

// saveIndexes writes the index files of everything the session stored and
// of the orphan packs the index adopted.
func (s *Session) saveIndexes(ctx context.Context) error {
	s.mu.Lock()
	n := len(s.packs)
	s.mu.Unlock()
	orphans := s.r.idx.orphans
	for from := 0; from < n || len(orphans) > 0; {
		to, blobs := from, 0
		for _, o := range orphans {
			blobs += len(o.Blobs)
		}
		for to < n && (to == from || blobs+s.packs[to].recs.n <= indexFileBlobs) {
			blobs += s.packs[to].recs.n
			to++
		}
		packs, err := s.indexPacks(from, to)
		if err != nil {
			return err
		}
		name, size, err := s.r.saveIndex(ctx, append(packs, orphans...))
		if err != nil {
			return err
		}
		s.r.idx.addFile(name)
		s.mu.Lock()
		s.added += int64(size)
		s.mu.Unlock()
		from, orphans = to, nil
	}
	s.r.idx.orphans = nil
	return nil
}
