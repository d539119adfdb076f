package backup

import (
	"encoding/binary"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// A snapshot counts people and events, not records (SnapshotStats.People):
// a contact repeated in several files of one source (Google Takeout
// writes a card into the file of each of its labels) counts once, and so
// does a recurring event with its exceptions (they share a UID). Each
// file's records are named by a keyed digest of their pim.Record.Identity,
// with the kind in the top byte, and the snapshot counts the distinct
// names of all its files. The names are kept in the file cache, so an
// unchanged file is not read to count it. A file's node still counts its
// records one by one (what ls shows, and what collections add up).

// ident is a record's kind (top byte) and 56 bits of a keyed digest of its
// identity.
type ident uint64

func (id ident) kind() pim.RecordKind { return pim.RecordKind(id >> 56) }

// readRecords parses a file's records once: it counts those that do not
// parse cleanly (stored byte for byte all the same; this only tells the
// user), and returns the distinct identities of its records. old is what
// the last backup learnt of the file's records (from the file cache): a
// record with the same bytes is not parsed again, so one edited contact
// of 5,000 costs one parse. memo is what this read learnt, for the next.
func (b *backuper) readRecords(data []byte, pieces []pim.Piece, old []recMemo) (malformed int, ids []ident, memo []recMemo) {
	known := make(map[[recSumLen]byte]recMemo, len(old))
	for _, m := range old {
		known[m.Sum] = m
	}
	seen := map[ident]bool{}
	for _, pc := range pieces {
		switch pc.Kind {
		case pim.RecContact, pim.RecEvent, pim.RecTodo, pim.RecJournal:
		default:
			continue
		}
		raw := data[pc.Off : pc.Off+pc.Len]
		m := recMemo{Sum: b.recSum(pc.Kind, raw)}
		if k, ok := known[m.Sum]; ok {
			m = k
		} else {
			rec, err := pim.ParseRecord(pc.Kind, raw)
			m.ID, m.Bad = b.ident(pc.Kind, rec.Identity()), err != nil
		}
		memo = append(memo, m)
		if m.Bad {
			malformed++
		}
		if !seen[m.ID] {
			seen[m.ID] = true
			ids = append(ids, m.ID)
		}
	}
	return malformed, ids, memo
}

// recSumLen is the length of a record's digest in recMemo.
const recSumLen = 16

// recMemo is what parsing one record gave: its identity and whether it
// parsed cleanly, by a digest of its kind and bytes.
type recMemo struct {
	Sum [recSumLen]byte
	ID  ident
	Bad bool
}

// recSum is the digest a record is remembered by in the file cache: the
// record's blob id (keyed with the repository's key, like every id the
// cache holds) cut to 15 bytes, and its kind. The cache is plaintext on
// the backup machine's disk: an unkeyed hash there would let whoever
// reads it confirm a guessed contact card or event.
func (b *backuper) recSum(k pim.RecordKind, raw []byte) (sum [recSumLen]byte) {
	id := b.r.BlobID(raw)
	copy(sum[:recSumLen-1], id[:])
	sum[recSumLen-1] = byte(k)
	return sum
}

func (b *backuper) ident(k pim.RecordKind, identity string) ident {
	sum := b.r.BlobID([]byte("lifeboat record identity\x00" + identity))
	return ident(uint64(k)<<56 | binary.LittleEndian.Uint64(sum[:8])&(1<<56-1))
}

// countRecords adds a file's records to the snapshot's counts, each
// identity once, and to the count of records (see comparable). A file
// without identities counts as its node says. The caller holds b.mu.
func (b *backuper) countRecords(n format.Node, ids []ident) {
	b.records.Add(n.Counts)
	s := &b.stats
	if len(ids) == 0 {
		s.Contacts += uint64(n.Counts.Contacts)
		s.Events += uint64(n.Counts.Events)
		s.Todos += uint64(n.Counts.Todos)
		s.Journals += uint64(n.Counts.Journals)
		return
	}
	if b.seen == nil {
		b.seen = map[ident]bool{}
	}
	for _, id := range ids {
		if b.seen[id] {
			continue
		}
		b.seen[id] = true
		switch id.kind() {
		case pim.RecContact:
			s.Contacts++
		case pim.RecEvent:
			s.Events++
		case pim.RecTodo:
			s.Todos++
		case pim.RecJournal:
			s.Journals++
		}
	}
}

// comparable returns now as the mass-deletion guard compares it with
// prev, counted as prev counted: when prev counted records (a snapshot
// from before SnapshotStats.People), with this snapshot's records counted
// the same way, and when prev counted media files (before
// SnapshotStats.DistinctMedia), with this snapshot's media files. So the
// first backup that counts people or distinct photos does not take the
// duplicates it no longer counts for a loss.
func (b *backuper) comparable(prev *repo.SnapshotInfo, now *format.Snapshot) *format.Snapshot {
	if prev == nil || prev.Stats.People && prev.Stats.DistinctMedia {
		return now
	}
	b.mu.Lock()
	r, files := b.records, b.mediaFiles
	b.mu.Unlock()
	c := *now
	if !prev.Stats.People {
		c.Stats.Contacts, c.Stats.Events = uint64(r.Contacts), uint64(r.Events)
		c.Stats.Todos, c.Stats.Journals = uint64(r.Todos), uint64(r.Journals)
	}
	if !prev.Stats.DistinctMedia {
		c.Stats.Media = files
	}
	return &c
}
