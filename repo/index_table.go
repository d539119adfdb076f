package repo

import (
	"encoding/binary"
	"fmt"
	"math/bits"

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
// records in fixed chunks, in the order they were added (a claim's record
// becomes its blob's place when the pack is written), and an
// open-addressing hash table of
// uint32 record numbers keyed by the blob id. A blob added again (a
// second copy in another pack) gets a new record, which the table then
// points at; the old record stays, as part of its pack's list. About 55
// bytes per blob in all. Not safe for concurrent use; Index locks it.
type blobTable struct {
	chunks []*[recChunk]blobRec
	n      int      // records
	slots  []uint32 // 0: empty, else record number + 1
	live   int      // distinct ids, the slots in use
}

// rec returns record i.
func (t *blobTable) rec(i uint32) *blobRec { return &t.chunks[i/recChunk][i%recChunk] }

// slotOf returns the slot of id and whether it holds id; if not, the slot
// is the empty one where id goes.
func (t *blobTable) slotOf(id *format.ID) (int, bool) {
	// Blob ids are keyed hashes, uniform already; the multiply spreads
	// ids made by hand (tests) too. The high half of h times the length
	// maps h onto the slots without the table being a power of 2.
	h := binary.LittleEndian.Uint64(id[:8]) * 0x9E3779B97F4A7C15
	hi, _ := bits.Mul64(h, uint64(len(t.slots)))
	i := int(hi)
	for {
		v := t.slots[i]
		if v == 0 {
			return i, false
		}
		if t.rec(v-1).id == *id {
			return i, true
		}
		if i++; i == len(t.slots) {
			i = 0
		}
	}
}

// get returns the current record of id, a claim's included.
func (t *blobTable) get(id format.ID) (*blobRec, bool) {
	n, ok := t.find(id)
	if !ok {
		return nil, false
	}
	return t.rec(n), true
}

// find returns the number of id's current record.
func (t *blobTable) find(id format.ID) (uint32, bool) {
	if t.live == 0 {
		return 0, false
	}
	i, ok := t.slotOf(&id)
	if !ok {
		return 0, false
	}
	return t.slots[i] - 1, true
}

// put appends r and makes it id's current record. It returns r's number.
func (t *blobTable) put(r blobRec) uint32 {
	if (t.live+1)*maxLoadDen > len(t.slots)*maxLoadNum {
		t.resize(t.live + t.live/2 + 1)
	}
	n := uint32(t.n)
	if t.n%recChunk == 0 {
		t.chunks = append(t.chunks, new([recChunk]blobRec))
	}
	*t.rec(n) = r
	t.n++
	i, ok := t.slotOf(&r.id)
	if !ok {
		t.live++
	}
	t.slots[i] = n + 1
	return n
}

// reserve makes room for n more distinct ids without growing the table
// again, so that loading a known number of entries rehashes once.
func (t *blobTable) reserve(n int) {
	if need := t.live + n; need*maxLoadDen > len(t.slots)*maxLoadNum {
		t.resize(need)
	}
}

// The table is at most 3/4 full: 4 bytes a slot make 5.3 to 8 bytes a
// blob, and a lookup of a blob not there reads about 8 slots.
const maxLoadNum, maxLoadDen = 3, 4

// resize rehashes into a table with room for at least n ids.
func (t *blobTable) resize(n int) {
	size := n*maxLoadDen/maxLoadNum + 1
	if size < 64 {
		size = 64
	}
	old := t.slots
	t.slots = make([]uint32, size)
	for _, v := range old {
		if v != 0 {
			i, _ := t.slotOf(&t.rec(v - 1).id)
			t.slots[i] = v
		}
	}
}

// each calls f with the current record of every stored blob (claims
// are skipped).
func (t *blobTable) each(f func(r *blobRec)) {
	for _, v := range t.slots {
		if v != 0 {
			if r := t.rec(v - 1); r.stored() {
				f(r)
			}
		}
	}
}

// entries returns the records numbered recs as blob entries.
func (t *blobTable) entries(recs []uint32) []format.BlobEntry {
	out := make([]format.BlobEntry, len(recs))
	for i, n := range recs {
		out[i] = t.rec(n).entry()
	}
	return out
}
