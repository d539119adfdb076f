package repo

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
)

// spilledChunks counts the chunks of records written to the spill file.
func (ix *Index) spilledChunks() int {
	n := 0
	for _, c := range ix.blobs.chunks {
		if c == nil {
			n++
		}
	}
	return n
}

// spillSession claims the blobs of three packs interleaved, as three
// packers do, and adds the packs one after another, as they fill: two
// with their claims' records, as a packer does, one by the blobs' ids.
// It returns each pack's entries and records.
func spillSession(t *testing.T, ix *Index, per int) (want [3][]format.BlobEntry, recs [3]recRange) {
	t.Helper()
	var claims [3][]uint32
	for p := range want {
		want[p] = entriesFor(p*per, per)
	}
	for i := 0; i < per; i++ {
		for p := range want {
			c, ok := ix.claim(want[p][i].ID)
			if !ok {
				t.Fatalf("claim %d of pack %d refused", i, p)
			}
			claims[p] = append(claims[p], c)
		}
	}
	for p := range want {
		if p == 2 {
			recs[p] = ix.add(packID(p), want[p])
		} else {
			var l packList
			for i, e := range want[p] {
				l.add(packedBlob{e, claims[p][i]})
			}
			recs[p] = ix.addClaimed(packID(p), &l)
		}
	}
	if ix.claims != 0 {
		t.Fatalf("%d claims left", ix.claims)
	}
	return want, recs
}

// TestIndexSpill: a backup's index writes a chunk of records to its
// spill file once the chunk is full and holds no claim, and still finds
// every blob, at its latest place, and reads a session's records back in
// order; a lookup of a blob not there reads nothing from the file.
func TestIndexSpill(t *testing.T) {
	dir := t.TempDir()
	ix := newIndex()
	ix.spillTo(dir)
	defer ix.close()
	const per = 3*recChunk + 123
	want, recs := spillSession(t, ix, per)
	if got, min := ix.spilledChunks(), 6*per/recChunk-1; got < min {
		t.Fatalf("%d chunks spilled, want at least %d", got, min)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 0 {
		t.Fatalf("the spill file has a name: %v", names)
	}
	// A second copy of some blobs in a new pack (a repack) wins.
	again := append([]format.BlobEntry(nil), want[0][:50]...)
	for i := range again {
		again[i].Offset += 1 << 20
	}
	ix.add(packID(9), again)
	for p := range want {
		for i, e := range want[p] {
			if p == 0 && i < 50 {
				checkLookup(t, ix, packID(9), again[i])
			} else {
				checkLookup(t, ix, packID(p), e)
			}
		}
		got, err := ix.entries(recs[p])
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i] != want[p][i] {
				t.Fatalf("pack %d: entries[%d] = %+v, want %+v", p, i, got[i], want[p][i])
			}
		}
	}
	if got := ix.Len(); got != 3*per {
		t.Fatalf("Len = %d, want %d", got, 3*per)
	}
	if claimed(ix, want[1][7].ID) {
		t.Fatal("claim of a spilled blob taken")
	}
	// With the file closed, a miss still answers and reads nothing.
	ix.blobs.spill.f.Close()
	ix.blobs.spill.cache.reset()
	for i := 0; i < 20_000; i++ {
		if ix.Has(blobID(10_000_000 + i)) {
			t.Fatal("Has of a blob never added")
		}
	}
	if err := ix.Err(); err != nil {
		t.Fatalf("a miss read the spill file: %v", err)
	}
	// A spilled blob it cannot read is not found, and the index fails.
	if ix.Has(want[2][0].ID) {
		t.Fatal("Has found a blob it cannot read")
	}
	if err := ix.Err(); err == nil || !strings.Contains(err.Error(), "spill file") {
		t.Fatalf("Err = %v, want the spill file's", err)
	}
}

// TestIndexSpillDamaged: a spilled chunk that changed on disk is not
// written into an index file: entries fails, and so does Err.
func TestIndexSpillDamaged(t *testing.T) {
	ix := newIndex()
	ix.spillTo(t.TempDir())
	defer ix.close()
	_, recs := spillSession(t, ix, 2*recChunk)
	if ix.spilledChunks() == 0 {
		t.Fatal("nothing spilled")
	}
	if ix.blobs.chunks[(recs[0].first+5)/recChunk] != nil {
		t.Fatal("pack 0's records are not spilled")
	}
	if _, err := ix.blobs.spill.f.WriteAt([]byte{0xff}, int64((recs[0].first+5))*recSize+33); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.entries(recs[0]); err == nil {
		t.Fatal("entries read a damaged chunk")
	}
	if ix.Err() == nil {
		t.Fatal("Err is nil after a damaged chunk")
	}
}

// TestIndexSpillUnwritable: where the spill file cannot be made, the
// records stay in memory and the index works.
func TestIndexSpillUnwritable(t *testing.T) {
	ix := newIndex()
	ix.spillTo(t.TempDir())
	ix.blobs.spill.dir = filepath.Join(ix.blobs.spill.dir, "missing", "dir")
	want, recs := spillSession(t, ix, 2*recChunk)
	if n := ix.spilledChunks(); n != 0 || !ix.blobs.spill.broken {
		t.Fatalf("%d chunks spilled, broken %v", n, ix.blobs.spill.broken)
	}
	for p := range want {
		for _, e := range want[p] {
			checkLookup(t, ix, packID(p), e)
		}
		if got, err := ix.entries(recs[p]); err != nil || len(got) != len(want[p]) || got[9] != want[p][9] {
			t.Fatalf("entries: %d, %v", len(got), err)
		}
	}
	if err := ix.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestIndexSpillCache: lookups in the order blobs were stored (a backup
// without its file cache) read spilled chunks whole and then answer from
// memory; a chunk read whole that changed on disk fails the index.
func TestIndexSpillCache(t *testing.T) {
	ix := newIndex()
	ix.spillTo(t.TempDir())
	defer ix.close()
	want, recs := spillSession(t, ix, 2*recChunk)
	last := recs[1].first + uint32(recs[1].n) - 1
	if ix.blobs.chunks[last/recChunk] != nil {
		t.Fatal("pack 1's last records are not spilled")
	}
	tail := want[1][recChunk:] // the last chunk of pack 1's records, about
	for _, e := range tail {
		checkLookup(t, ix, packID(1), e)
	}
	ix.blobs.spill.f.Close()
	for _, e := range tail[len(tail)-100:] {
		checkLookup(t, ix, packID(1), e)
	}
	if err := ix.Err(); err != nil {
		t.Fatalf("lookups in a cached chunk read the file: %v", err)
	}

	ix2 := newIndex()
	ix2.spillTo(t.TempDir())
	defer ix2.close()
	want, recs = spillSession(t, ix2, 2*recChunk)
	base := (recs[0].first/recChunk + 1) * recChunk // a chunk of pack 0's records
	if _, err := ix2.blobs.spill.f.WriteAt([]byte{0xff}, int64(base+10)*recSize+40); err != nil {
		t.Fatal(err)
	}
	i := int(base - recs[0].first)
	ix2.Has(want[0][i+20].ID) // one record read
	ix2.Has(want[0][i+30].ID) // the chunk read whole, and its sum checked
	if err := ix2.Err(); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Fatalf("Err = %v, want the damaged chunk's", err)
	}
}
