package repo

import (
	"encoding/binary"
	"runtime"
	"sync"
	"testing"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
)

// blobID returns a blob id like the ones a backup makes (a hash).
func blobID(i int) format.ID {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(i))
	return format.ID(crypto.ObjectHash(b[:]))
}

func packID(i int) format.ID { return blobID(-1 - i) }

func claimed(ix *Index, id format.ID) bool {
	_, ok := ix.claim(id)
	return ok
}

// entriesFor returns n blob entries, ids from first, laid out in a pack.
func entriesFor(first, n int) []format.BlobEntry {
	out := make([]format.BlobEntry, n)
	for i := range out {
		out[i] = format.BlobEntry{ID: blobID(first + i), Type: format.BlobData, Comp: uint8(i % 2),
			Offset: uint32(i * 100), Length: uint32(50 + i%7), RawLen: uint32(60 + i%7)}
	}
	return out
}

func checkLookup(t *testing.T, ix *Index, pack format.ID, e format.BlobEntry) {
	t.Helper()
	l, ok := ix.Lookup(e.ID)
	if !ok || l.Pack != pack || l.BlobEntry != e {
		t.Fatalf("Lookup(%s) = %+v, %v; want %s %+v", e.ID.Short(), l, ok, pack.Short(), e)
	}
}

// TestIndexTableLoadThenAdd: lookups find every blob after a load of many
// index packs (past chunk and table growth) and after a session's adds,
// and miss blobs never added; a session's records read back in order.
func TestIndexTableLoadThenAdd(t *testing.T) {
	for _, spill := range []bool{false, true} {
		ix := newIndex()
		if spill {
			ix.spillTo(t.TempDir())
		}
		testLoadThenAdd(t, ix)
		if spilled := ix.spilledChunks(); spill != (spilled > 0) {
			t.Fatalf("spill %v: %d chunks spilled", spill, spilled)
		}
		ix.close()
	}
}

func testLoadThenAdd(t *testing.T, ix *Index) {
	ix.loading, ix.present = true, map[format.ID]bool{}
	const perPack = 1500 // not a divisor of recChunk: packs straddle chunks
	for p := 0; p < 20; p++ {
		ix.present[packID(p)] = true
		ix.add(packID(p), entriesFor(p*perPack, perPack))
	}
	ix.loading = false
	recs := ix.add(packID(100), entriesFor(1_000_000, 3000))
	if got, want := ix.Len(), 20*perPack+3000; got != want {
		t.Fatalf("Len = %d, want %d", got, want)
	}
	for p := 0; p < 20; p++ {
		for _, e := range entriesFor(p*perPack, perPack) {
			checkLookup(t, ix, packID(p), e)
		}
	}
	want := entriesFor(1_000_000, 3000)
	for _, e := range want {
		checkLookup(t, ix, packID(100), e)
	}
	got, err := ix.entries(recs)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("entries[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	for i := 0; i < 1000; i++ {
		if id := blobID(5_000_000 + i); ix.Has(id) {
			t.Fatalf("Has(%s) of a blob never added", id.Short())
		}
	}
	if _, ok := ix.Lookup(blobID(-5)); ok {
		t.Fatal("Lookup found a pack id")
	}
}

// TestIndexTableDuplicates: a blob listed in two packs (two index files,
// or a repack) counts once, and its latest place wins outside loading;
// each visits it once, at that place.
func TestIndexTableDuplicates(t *testing.T) {
	ix := newIndex()
	a, b := entriesFor(0, 10), entriesFor(5, 10) // ids 5..9 in both
	for i := range b {
		b[i].Offset += 7
	}
	ix.add(packID(1), a)
	ix.add(packID(2), b)
	if got := ix.Len(); got != 15 {
		t.Fatalf("Len = %d, want 15", got)
	}
	for _, e := range a[:5] {
		checkLookup(t, ix, packID(1), e)
	}
	for _, e := range b {
		checkLookup(t, ix, packID(2), e)
	}
	seen := map[format.ID]int{}
	ix.each(func(r *blobRec) {
		seen[r.id]++
		if want := packID(2); blobIndexOf(r.id) >= 5 && ix.packs[r.pack] != want {
			t.Errorf("each: %s in %s, want %s", r.id.Short(), ix.packs[r.pack].Short(), want.Short())
		}
	})
	if len(seen) != 15 {
		t.Fatalf("each visited %d blobs, want 15", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("each visited %s %d times", id.Short(), n)
		}
	}
}

func blobIndexOf(id format.ID) int {
	for i := 0; i < 100; i++ {
		if blobID(i) == id {
			return i
		}
	}
	return -1
}

// TestIndexTablePresentPackWins: while loading, a blob's place in a pack
// that is in data/ is not replaced by one in a pack that is gone, in
// either order of the index files; a present pack does replace a gone
// one.
func TestIndexTablePresentPackWins(t *testing.T) {
	for _, goneFirst := range []bool{false, true} {
		ix := newIndex()
		ix.loading, ix.present = true, map[format.ID]bool{packID(1): true}
		kept := entriesFor(0, 4)
		old := entriesFor(0, 4)
		for i := range old {
			old[i].Offset += 1000
		}
		if goneFirst {
			ix.add(packID(2), old)
			ix.add(packID(1), kept)
		} else {
			ix.add(packID(1), kept)
			ix.add(packID(2), old)
		}
		for _, e := range kept {
			checkLookup(t, ix, packID(1), e)
		}
		if ix.Len() != 4 {
			t.Fatalf("goneFirst=%v: Len = %d, want 4", goneFirst, ix.Len())
		}
	}
}

// TestIndexTableConcurrent: claims and adds from many goroutines (run
// with -race) leave every blob claimed once and findable.
func TestIndexTableConcurrent(t *testing.T) {
	ix := newIndex()
	const workers, per = 4, 2000
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[format.ID]int{}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []format.BlobEntry
			for _, e := range entriesFor(0, per) { // every worker tries every blob
				if claimed(ix, e.ID) {
					mine = append(mine, e)
				}
				ix.Has(e.ID)
			}
			mu.Lock()
			for _, e := range mine {
				got[e.ID]++
			}
			mu.Unlock()
			ix.add(packID(w), mine)
		}()
	}
	wg.Wait()
	if len(got) != per || ix.Len() != per || ix.claims != 0 {
		t.Fatalf("claimed %d, Len %d, claims %d; want %d, %d, 0", len(got), ix.Len(), ix.claims, per, per)
	}
	for id, n := range got {
		if n != 1 || !ix.Has(id) {
			t.Fatalf("%s claimed %d times, Has %v", id.Short(), n, ix.Has(id))
		}
	}
}

// BenchmarkIndexBytesPerBlob reports the heap the index holds per blob,
// loaded as from index files of 1,000-blob packs.
func BenchmarkIndexBytesPerBlob(b *testing.B) {
	const n = 400_000
	packs := make([][]format.BlobEntry, n/1000)
	for p := range packs {
		packs[p] = entriesFor(p*1000, 1000)
	}
	b.ResetTimer()
	var perBlob float64
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		ix := newIndex()
		ix.blobs.reserve(n)
		for p, e := range packs {
			ix.add(packID(p), e)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perBlob = float64(after.HeapAlloc-before.HeapAlloc) / n
		runtime.KeepAlive(ix)
	}
	b.ReportMetric(perBlob, "bytes/blob")
}

// TestIndexClaims: a claim is no blob (Has, Lookup, Len and each do not
// see it) but refuses a second claim; add turns claims into places, and
// the records add returns read back as its entries, in order, though the
// claims of two packs were made interleaved and an entry never claimed
// (an orphan's) sits among them.
func TestIndexClaims(t *testing.T) {
	ix := newIndex()
	a, b := entriesFor(0, 6), entriesFor(100, 6)
	for i := range a {
		if !claimed(ix, a[i].ID) || !claimed(ix, b[i].ID) {
			t.Fatalf("first claim of blob %d refused", i)
		}
	}
	if claimed(ix, a[2].ID) {
		t.Fatal("second claim taken")
	}
	if ix.Has(a[0].ID) || ix.Len() != 0 {
		t.Fatalf("claims counted as blobs: Has %v, Len %d", ix.Has(a[0].ID), ix.Len())
	}
	if _, ok := ix.Lookup(b[0].ID); ok {
		t.Fatal("Lookup found a claim")
	}
	ix.each(func(r *blobRec) { t.Fatalf("each visited the claim of %s", r.id.Short()) })
	orphan := entriesFor(500, 1)[0]
	withOrphan := append(append(append([]format.BlobEntry{}, a[:3]...), orphan), a[3:]...)
	recsA := ix.add(packID(1), withOrphan)
	recsB := ix.add(packID(2), b)
	for want, recs := range map[*[]format.BlobEntry]recRange{&withOrphan: recsA, &b: recsB} {
		got, err := ix.entries(recs)
		if err != nil || len(got) != len(*want) {
			t.Fatalf("entries: %d, %v; want %d", len(got), err, len(*want))
		}
		for i := range got {
			if got[i] != (*want)[i] {
				t.Fatalf("entries[%d] = %+v, want %+v", i, got[i], (*want)[i])
			}
		}
	}
	if ix.Len() != 13 || ix.claims != 0 {
		t.Fatalf("Len %d, claims %d; want 13, 0", ix.Len(), ix.claims)
	}
	for _, e := range withOrphan {
		checkLookup(t, ix, packID(1), e)
	}
	for _, e := range b {
		checkLookup(t, ix, packID(2), e)
	}
	if claimed(ix, a[0].ID) {
		t.Fatal("claim of a stored blob taken")
	}
}
