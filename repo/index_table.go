package repo

import (
	"encoding/binary"
	"fmt"

	"github.com/lifeboat-backup/lifeboat/format"
)

// blobRec is one blob's place: 48 bytes, against the 100 and more a Go
// map entry of the same content costs with its buckets and growth.
type blobRec struct {
	id     format.ID
	pack   uint32 // index into Index.packs
	off    uint32
	lenTC  uint32 // stored length (< 1<<25: format.MaxBlobSize+1024), type << 25, compression << 28
	rawLen uint32
}

const (
	recLenBits  = 25
	recLenMask  = 1<<recLenBits - 1
	recTypeBits = 3
)

// newRec returns the record of e in pack number pack. Entries come from
// format.DecodeIndex or a packer, both within format's limits, which
// the fields hold with room to spare.
func newRec(pack uint32, e *format.BlobEntry) blobRec {
	if e.Length > recLenMask || e.Type >= 1<<recTypeBits || e.Comp >= 1<<(32-recLenBits-recTypeBits) {
		panic(fmt.Sprintf("repo: blob entry out of the index's range: %+v", *e))
	}
	return blobRec{id: e.ID, pack: pack, off: e.Offset, rawLen: e.RawLen,
		lenTC: e.Length | uint32(e.Type)<<recLenBits | uint32(e.Comp)<<(recLenBits+recTypeBits)}
}

func (r *blobRec) length() uint32 { return r.lenTC & recLenMask }

// pendingPack is the pack number of a claimed blob's record until the
// blob's pack is written (see Index.claim): the record is where the
// claim is kept, so that claims cost no table of their own.
const pendingPack = ^uint32(0)

// stored reports whether the record is a blob's place, not a claim.
func (r *blobRec) stored() bool { return r.pack != pendingPack }

func (r *blobRec) entry() format.BlobEntry {
	return format.BlobEntry{ID: r.id, Type: format.BlobType(r.lenTC >> recLenBits & (1<<recTypeBits - 1)),
		Comp: uint8(r.lenTC >> (recLenBits + recTypeBits)), Offset: r.off, Length: r.length(), RawLen: r.rawLen}
}

// recChunk is how many records a chunk of a blobTable holds: records are
// never moved, so the table grows without a moment where an old and a
// new copy of every record are both alive.
const recChunk = 1 << 12

// indexEntryMin is the fewest bytes an index file spends on one blob
// (its id and five one-byte fields).
const indexEntryMin = format.IDSize + 5

// blobTable is the index's store of blob records: an append-only list of
// records in fixed chunks, in the order they were added (a claim is a
// record too, which a new record, the blob's place, replaces when its
// pack is written), and open-addressing hash tables of record numbers
// keyed by the blob id. A blob added again (a second copy in another
// pack) gets a new record, which the table then points at; the old
// record stays, as part of its pack's list.
//
// The hash table is split in tableShards shards that grow one at a time,
// so that growing never holds an old and a new copy of all the slots. A
// slot holds 32 bits of the id's hash beside the record number: a lookup
// reads a record only where those bits match. That is what lets a table
// with a spill file (a backup's, see spill) write its full chunks to
// disk: then only the slots, about 11 bytes a blob, stay in memory, and
// a lookup of a blob not there touches no disk. In memory, about 60
// bytes a blob in all. Not safe for concurrent use but for the read
// methods (get, find, each, entries); Index locks it.
type blobTable struct {
	chunks []*[recChunk]blobRec // nil: written to the spill file
	n      int                  // records
	shards [tableShards]shard
	live   int // distinct ids, the slots in use
	spill  spill
}

const tableShards = 256

// A shard is a part of the hash table: the ids whose hash has its top 8
// bits. A slot is 0 (empty) or fp<<32 | record number + 1, where fp is
// the low 32 bits of the hash, which also give the slot's place.
type shard struct {
	slots []uint64
	live  int
}

// hashID mixes the id's first 8 bytes (fmix64 of MurmurHash3). Blob ids
// are keyed hashes, uniform already; the mixing spreads ids made by hand
// (tests) too.
func hashID(id *format.ID) uint64 {
	h := binary.LittleEndian.Uint64(id[:8])
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

// home returns the slot where fp's probe starts in a shard of n slots.
func home(fp uint32, n int) int { return int(uint64(fp) * uint64(n) >> 32) }

// at returns record i from memory or the spill file; false if the spill
// file failed (see spill.fail). whole asks for a spilled record's chunk
// to be read whole and checked against its sum.
func (t *blobTable) at(i uint32, r *blobRec, whole bool) bool {
	if c := t.chunks[i/recChunk]; c != nil {
		*r = c[i%recChunk]
		return true
	}
	return t.spill.read(i, r, whole)
}

// slotOf returns the shard and slot of id and whether the slot holds id,
// with its record in r (if r is not nil); if not, the slot is the empty
// one where id goes, or -1 in a shard with no slots yet.
func (t *blobTable) slotOf(id *format.ID, r *blobRec) (*shard, int, bool) {
	h := hashID(id)
	s := &t.shards[h>>56]
	if len(s.slots) == 0 {
		return s, -1, false
	}
	fp := uint32(h)
	var scratch blobRec
	if r == nil {
		r = &scratch
	}
	for i := home(fp, len(s.slots)); ; {
		v := s.slots[i]
		if v == 0 {
			return s, i, false
		}
		if uint32(v>>32) == fp && t.at(uint32(v)-1, r, false) && r.id == *id {
			return s, i, true
		}
		if i++; i == len(s.slots) {
			i = 0
		}
	}
}

// get returns the current record of id, a claim's included.
func (t *blobTable) get(id format.ID) (blobRec, bool) {
	_, r, ok := t.find(id)
	return r, ok
}

// find returns the number of id's current record and the record.
func (t *blobTable) find(id format.ID) (uint32, blobRec, bool) {
	var r blobRec
	if t.live == 0 {
		return 0, r, false
	}
	s, i, ok := t.slotOf(&id, &r)
	if !ok {
		return 0, r, false
	}
	return uint32(s.slots[i]) - 1, r, true
}

// put appends r and makes it id's current record. It returns r's number.
func (t *blobTable) put(r blobRec) uint32 {
	h := hashID(&r.id)
	if s := &t.shards[h>>56]; (s.live+1)*maxLoadDen > len(s.slots)*maxLoadNum {
		s.resize(s.live + s.live/4 + 1)
	}
	s, i, ok := t.slotOf(&r.id, nil)
	if !ok {
		s.live++
		t.live++
	}
	n := t.append(r)
	s.slots[i] = uint64(uint32(h))<<32 | uint64(n+1)
	return n
}

// append adds record r and returns its number. A chunk it fills goes to
// the spill file, if the table has one: a claim in it that is resolved
// later gets a new record (see resolve).
func (t *blobTable) append(r blobRec) uint32 {
	n := uint32(t.n)
	if t.n%recChunk == 0 {
		t.chunks = append(t.chunks, new([recChunk]blobRec))
	}
	c := t.chunks[n/recChunk]
	c[n%recChunk] = r
	t.n++
	if t.spill.on() && t.n%recChunk == 0 && t.spill.write(n/recChunk, c) {
		t.chunks[n/recChunk] = nil
	}
	return n
}

// resolve makes the blob's place r the current record of its id in
// place of claim number c: r is appended, and the id's slot points at it
// (the claim stays, unused, in memory or in the spill file). It finds
// the slot by the claim's number, so it reads nothing from the file.
// False if c is not the id's claim.
func (t *blobTable) resolve(c uint32, r blobRec) bool {
	if int(c) >= t.n {
		return false
	}
	if ch := t.chunks[c/recChunk]; ch != nil {
		if old := &ch[c%recChunk]; old.id != r.id || old.stored() {
			return false
		}
	}
	h := hashID(&r.id)
	s := &t.shards[h>>56]
	if len(s.slots) == 0 {
		return false
	}
	want := uint64(uint32(h))<<32 | uint64(c+1)
	for i := home(uint32(h), len(s.slots)); s.slots[i] != 0; {
		if s.slots[i] == want {
			s.slots[i] = want>>32<<32 | uint64(t.append(r)+1)
			return true
		}
		if i++; i == len(s.slots) {
			i = 0
		}
	}
	return false
}

// since returns the n records appended from number first on.
func (t *blobTable) since(first uint32, n int) recRange {
	if t.n-int(first) != n {
		panic(fmt.Sprintf("repo: %d records for %d blobs", t.n-int(first), n))
	}
	return recRange{first, n}
}

// reserve makes room for n more distinct ids without growing the table
// again, so that loading a known number of entries rehashes once.
func (t *blobTable) reserve(n int) {
	per := n/tableShards + n/tableShards/8 + 8 // the shards fill unevenly
	for i := range t.shards {
		if s := &t.shards[i]; (s.live+per)*maxLoadDen > len(s.slots)*maxLoadNum {
			s.resize(s.live + per)
		}
	}
}

// A shard is at most 4/5 full and grows by a quarter, so it is 64% to
// 80% full: 8 bytes a slot make 10 to 12.5 bytes a blob. A lookup of a
// blob not there reads about 13 slots (two cache lines), comparing hash
// bits only. Shards grow one at a time, so growing often costs little.
const maxLoadNum, maxLoadDen = 4, 5

// resize rehashes into a shard with room for at least n ids. The slots
// keep their hash bits, so no record is read.
func (s *shard) resize(n int) {
	size := max(n*maxLoadDen/maxLoadNum+1, 8)
	old := s.slots
	s.slots = make([]uint64, size)
	for _, v := range old {
		if v == 0 {
			continue
		}
		i := home(uint32(v>>32), size)
		for s.slots[i] != 0 {
			if i++; i == size {
				i = 0
			}
		}
		s.slots[i] = v
	}
}

// each calls f with the current record of every stored blob (claims
// are skipped). f must not keep r.
func (t *blobTable) each(f func(r *blobRec)) {
	var r blobRec
	for i := range t.shards {
		for _, v := range t.shards[i].slots {
			if v != 0 && t.at(uint32(v)-1, &r, false) && r.stored() {
				f(&r)
			}
		}
	}
}

// entries returns the records recs as blob entries. What it reads from
// the spill file it reads in whole chunks, checked against their sums:
// these entries go into an index file.
func (t *blobTable) entries(recs recRange) ([]format.BlobEntry, error) {
	out := make([]format.BlobEntry, recs.n)
	var r blobRec
	for i := range out {
		if !t.at(recs.first+uint32(i), &r, true) {
			return nil, t.spill.Err()
		}
		out[i] = r.entry()
	}
	return out, nil
}
