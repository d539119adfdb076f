package repo

import (
	"context"
	"fmt"
	"path"
	"sort"
	"sync"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// Location is where a blob is stored.
type Location struct {
	Pack format.ID
	format.BlobEntry
}

// Index maps blob ids to their packs. It is safe for concurrent use.
//
// An index opened for a backup (AccessWrite) is loaded when it is first
// needed, not by Open: an unchanged re-run, whose files and trees the
// cache vouches for, never reads it (see Packer.Assume).
type Index struct {
	mu      sync.RWMutex
	packs   []format.ID
	packNum map[format.ID]uint32
	blobs   blobTable
	claims  int             // records in blobs that are claims (pendingPack)
	files   map[string]bool // index files: listed in index/ at load, and written since
	// orphans are packs found in data/ that no index file lists (left by
	// an interrupted backup); the next backup's index lists them.
	orphans []format.IndexPack
	damaged []error // index files that did not open
	// present holds the packs in data/ when the index was loaded; while
	// loading, a blob's location in a present pack is never replaced by
	// one in a pack that is gone (an old index file put back after a
	// prune moved the blob).
	present map[format.ID]bool
	loading bool
	stale   []format.ID // see Stale
	// folders are the fan-out folders data/XX/ known to exist, by XX:
	// those of the packs listed at load and those written since.
	folders    [256]bool
	lazy       lazyLoad
	listed     []string // index/ as list found it, for load
	listedSize int64
}

// Files returns the names of the index files this index holds: those in
// index/ when it was listed (one that does not open included: its packs
// are adopted from their trailers) and those written since.
func (ix *Index) Files() []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	names := make([]string, 0, len(ix.files))
	for name := range ix.files {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// addFile records an index file written since the repository was opened.
func (ix *Index) addFile(name string) {
	ix.mu.Lock()
	ix.files[name] = true
	ix.mu.Unlock()
}

// HasFiles reports whether the index holds every one of the index files
// named. Index files are named by their content and are never changed,
// only removed (by prune), so a blob that one of them listed is still
// indexed while the file is.
func (ix *Index) HasFiles(names []string) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for _, name := range names {
		if !ix.files[name] {
			return false
		}
	}
	return true
}

// Damaged returns the errors of index files that did not open.
func (ix *Index) Damaged() []error {
	ix.ready()
	return ix.damaged
}

func newIndex() *Index {
	return &Index{packNum: map[format.ID]uint32{}, files: map[string]bool{}}
}

// Has reports whether the repository has a blob.
func (ix *Index) Has(id format.ID) bool {
	ix.ready()
	ix.mu.RLock()
	r, ok := ix.blobs.get(id)
	ix.mu.RUnlock()
	return ok && r.stored()
}

// Len returns the number of blobs.
func (ix *Index) Len() int {
	ix.ready()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.blobs.live - ix.claims
}

// Lookup returns where a blob is.
func (ix *Index) Lookup(id format.ID) (Location, bool) {
	ix.ready()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	l, ok := ix.blobs.get(id)
	if !ok || !l.stored() {
		return Location{}, false
	}
	return Location{Pack: ix.packs[l.pack], BlobEntry: l.entry()}, true
}

// Packs returns every pack the index lists.
func (ix *Index) Packs() []format.ID {
	ix.ready()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return append([]format.ID(nil), ix.packs...)
}

// entries returns the records recs (see add) as blob entries.
func (ix *Index) entries(recs recRange) ([]format.BlobEntry, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.blobs.entries(recs)
}

// each calls f with every blob's current place, under the read lock.
func (ix *Index) each(f func(r *blobRec)) {
	ix.ready()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ix.blobs.each(f)
}

// load lists index/ and loads what it lists (loadListed).
func (ix *Index) load(ctx context.Context, r *Repository) error {
	if err := ix.list(ctx, r); err != nil {
		return err
	}
	return ix.loadListed(ctx, r)
}

// loadListed lists the packs, reads every index file list found, then
// adopts packs no index file lists.
func (ix *Index) loadListed(ctx context.Context, r *Repository) error {
	present, err := listPacks(ctx, r.st)
	if err != nil {
		return err
	}
	ix.present, ix.loading = present, true
	for id := range present {
		ix.folders[id[0]] = true
	}
	defer func() { ix.loading = false }()
	gone := map[format.ID][]format.ID{} // listed packs not in data/, and their blobs
	names, size := ix.listed, ix.listedSize
	ix.listed = nil
	// An index entry takes at least indexEntryMin bytes: size the table
	// once, not by doubling as it fills.
	ix.blobs.reserve(int(size / indexEntryMin))
	for _, name := range names {
		packs, err := r.loadIndexFile(ctx, name)
		if err != nil {
			// A damaged index file costs dedup and is check's to report;
			// the packs it listed are adopted below from their trailers.
			ix.damaged = append(ix.damaged, err)
			continue
		}
		for _, p := range packs {
			ix.add(p.Pack, p.Blobs)
			if !present[p.Pack] {
				for _, b := range p.Blobs {
					gone[p.Pack] = append(gone[p.Pack], b.ID)
				}
			}
		}
	}
	ix.findStale(gone)
	return ix.adoptOrphans(ctx, r)
}

// findStale notes the gone packs some of whose blobs are in present ones.
func (ix *Index) findStale(gone map[format.ID][]format.ID) {
	for pack, blobs := range gone {
		for _, b := range blobs {
			if l, ok := ix.blobs.get(b); ok && ix.present[ix.packs[l.pack]] {
				ix.stale = append(ix.stale, pack)
				break
			}
		}
	}
	sort.Slice(ix.stale, func(i, j int) bool { return ix.stale[i].String() < ix.stale[j].String() })
}

// listPacks returns the packs in data/.
func listPacks(ctx context.Context, st store.Store) (map[format.ID]bool, error) {
	present := map[format.ID]bool{}
	err := st.List(ctx, "data", func(name string, _ int64) error {
		if id, err := format.ParseID(path.Base(name)); err == nil && name == PackName(id) {
			present[id] = true
		}
		return nil // anything else is not ours; check reports it
	})
	if err != nil {
		return nil, fmt.Errorf("list data: %w", err)
	}
	return present, nil
}

// Stale returns the packs an index file lists that are gone while some
// of their blobs are in packs that exist: a prune moved those blobs and
// removed the pack, and the index file naming it is from before the
// prune (put back, or left by an interrupted prune). Restore uses the
// blobs' new places; the next prune drops the old file. A gone pack
// none of whose blobs is elsewhere is missing data, not stale.
func (ix *Index) Stale() []format.ID {
	ix.ready()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return append([]format.ID(nil), ix.stale...)
}

func (r *Repository) loadIndexFile(ctx context.Context, name string) ([]format.IndexPack, error) {
	b, err := loadSmall(ctx, r.st, name, maxIndexObject)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	pt, err := r.keys.Open(crypto.LabelIndex, b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, ErrDamaged)
	}
	packs, err := format.DecodeIndex(pt)
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %w", name, err, ErrDamaged)
	}
	return packs, nil
}

// adoptOrphans reads the trailers of packs that no index lists.
func (ix *Index) adoptOrphans(ctx context.Context, r *Repository) error {
	var orphans []format.ID
	for id := range ix.present {
		if _, ok := ix.packNum[id]; !ok {
			orphans = append(orphans, id)
		}
	}
	sort.Slice(orphans, func(i, j int) bool { return orphans[i].String() < orphans[j].String() })
	for _, id := range orphans {
		entries, err := r.readTrailer(ctx, id)
		if err != nil {
			continue // a damaged orphan is check's business, not backup's
		}
		ix.add(id, entries)
		ix.orphans = append(ix.orphans, format.IndexPack{Pack: id, Blobs: entries})
	}
	return nil
}

// PackName is the object name of a pack.
func PackName(id format.ID) string {
	s := id.String()
	return "data/" + s[:2] + "/" + s
}

// ParseObjectName returns the id in a content-addressed object name and
// whether the name is one (data/xx/ID, index/ID, snapshots/ID,
// catalog/ID).
func ParseObjectName(name string) (format.ID, bool) {
	id, err := format.ParseID(path.Base(name))
	if err != nil {
		return id, false
	}
	s := id.String()
	return id, name == PackName(id) || name == "index/"+s || name == "snapshots/"+s || name == "catalog/"+s
}

// readTrailer reads a pack's blob list with the write key.
func (r *Repository) readTrailer(ctx context.Context, id format.ID) ([]format.BlobEntry, error) {
	obj, err := r.st.Open(ctx, PackName(id))
	if err != nil {
		return nil, err
	}
	defer obj.Close()
	_, entries, err := r.parsePackEnd(obj)
	return entries, err
}

// parsePackEnd reads a pack's footer and trailer and returns the size of
// its age part and its blob list.
func (r *Repository) parsePackEnd(obj store.Object) (int64, []format.BlobEntry, error) {
	size := obj.Size()
	if size < format.PackFooterSize {
		return 0, nil, format.ErrNotPack
	}
	foot := make([]byte, format.PackFooterSize)
	if _, err := obj.ReadAt(foot, size-format.PackFooterSize); err != nil {
		return 0, nil, err
	}
	n, err := format.ParsePackFooter(foot, size)
	if err != nil {
		return 0, nil, err
	}
	sealed := make([]byte, n)
	ageSize := size - format.PackFooterSize - int64(n)
	if _, err := obj.ReadAt(sealed, ageSize); err != nil {
		return 0, nil, err
	}
	pt, err := r.keys.Open(crypto.LabelTrailer, sealed)
	if err != nil {
		return 0, nil, err
	}
	entries, err := format.DecodeTrailer(pt)
	return ageSize, entries, err
}

// saveIndex writes one index file listing packs.
func (r *Repository) saveIndex(ctx context.Context, packs []format.IndexPack) (string, int, error) {
	sealed := r.keys.Seal(crypto.LabelIndex, format.EncodeIndex(packs))
	id := format.ID(crypto.ObjectHash(sealed))
	name := "index/" + id.String()
	if err := store.Save(ctx, r.st, name, sealed); err != nil {
		return "", 0, fmt.Errorf("save index: %w", err)
	}
	return name, len(sealed), nil
}
