package repo

import (
	"context"

	"github.com/lifeboat-backup/lifeboat/format"
)

// sessionPack is a pack a session wrote: its blobs are the index's
// records numbered recs, in the pack's order.
type sessionPack struct {
	id   format.ID
	recs []uint32
}

// indexFileBlobs is about how many blobs one index file of a backup lists
// (a pack is never split): a backup of many files writes several index
// files, so that its commit never holds the encoded and sealed copies of
// one huge file at once.
const indexFileBlobs = 1 << 16

// indexPacks returns the index entries of packs [from, to) of the session.
func (s *Session) indexPacks(from, to int) []format.IndexPack {
	s.mu.Lock()
	packs := s.packs[from:to:to]
	s.mu.Unlock()
	out := make([]format.IndexPack, len(packs))
	for i, p := range packs {
		out[i] = format.IndexPack{Pack: p.id, Blobs: s.r.idx.entries(p.recs)}
	}
	return out
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
		for to < n && (to == from || blobs+len(s.packs[to].recs) <= indexFileBlobs) {
			blobs += len(s.packs[to].recs)
			to++
		}
		packs := append(s.indexPacks(from, to), orphans...)
		name, size, err := s.r.saveIndex(ctx, packs)
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
