package repo

import "github.com/lifeboat-backup/lifeboat/format"

// noClaim stands for a blob stored without a claim (a repack's), in a
// packer's list of claims.
const noClaim = ^uint32(0)

// claim reserves id for the caller to store and returns the claim's
// record. It returns false when the repository has the blob or another
// writer claimed it. The claim is a record in the table (pendingPack)
// that addClaimed turns into the blob's place.
func (ix *Index) claim(id format.ID) (uint32, bool) {
	ix.ready()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if _, ok := ix.blobs.get(id); ok {
		return 0, false
	}
	ix.claims++
	return ix.blobs.put(blobRec{id: id, pack: pendingPack}), true
}

// packNumber returns the number of pack, giving it one if it has none.
func (ix *Index) packNumber(pack format.ID) uint32 {
	n, ok := ix.packNum[pack]
	if !ok {
		n = uint32(len(ix.packs))
		ix.packs = append(ix.packs, pack)
		ix.packNum[pack] = n
	}
	return n
}

// recRange is the records a pack's blobs got, numbered first to
// first+n-1 in the pack's order: outside loading, every blob of a pack
// gets a new record (a claim's is replaced, see blobTable.resolve), so
// that a session keeps 8 bytes a pack, not 4 a blob.
type recRange struct {
	first uint32
	n     int
}

// add records the blobs of a pack and returns their records. Loading
// returns none: it keeps a place a pack that is gone would replace.
func (ix *Index) add(pack format.ID, entries []format.BlobEntry) recRange {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	n := ix.packNumber(pack)
	first := uint32(ix.blobs.n)
	for i := range entries {
		ix.addOne(n, pack, &entries[i])
	}
	if ix.loading {
		return recRange{}
	}
	return ix.blobs.since(first, len(entries))
}

// addOne records blob e of pack number n, found by its id, in a new
// record (a load may keep the place it has instead).
func (ix *Index) addOne(n uint32, pack format.ID, e *format.BlobEntry) {
	old, r, ok := ix.blobs.find(e.ID)
	switch {
	case ok && !r.stored():
		if ix.blobs.resolve(old, newRec(n, e)) {
			ix.claims--
			return
		}
	case ok && ix.loading && !ix.present[pack] && ix.present[ix.packs[r.pack]]:
		return
	}
	ix.blobs.put(newRec(n, e))
}

// addClaimed is add for a packer's pack, whose blobs it claimed: each
// entry comes with its claim's record (noClaim for a blob stored
// without), so that no claim is looked up by its id, which would read a
// claim the table spilled.
func (ix *Index) addClaimed(pack format.ID, l *packList) recRange {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	n := ix.packNumber(pack)
	first := uint32(ix.blobs.n)
	for i := 0; i < l.n; i++ {
		b := l.at(i)
		if b.claim != noClaim && ix.blobs.resolve(b.claim, newRec(n, &b.BlobEntry)) {
			ix.claims--
			continue
		}
		ix.addOne(n, pack, &b.BlobEntry)
	}
	return ix.blobs.since(first, l.n)
}
