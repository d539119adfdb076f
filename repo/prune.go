package repo

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// PrunePlan is what prune does to every location of a repository: write
// one new index listing the packs that hold used blobs, remove the old
// index files, then remove every other pack. Each step leaves a
// repository that check passes: until the old index files are gone the
// new one only repeats them, and a pack removed before its index file
// would only be missing from it in a crash, which never happens because
// index files go first. Packs whose index file is gone but that survive a
// crash are orphans: adopted by the next backup, removed by the next
// prune.
type PrunePlan struct {
	Snapshots   int
	UsedBlobs   int
	Keep        map[format.ID]bool // packs kept
	Remove      []string           // pack objects removed (names)
	RemoveBytes int64
	// PartlyUsed counts kept packs that also hold unused blobs, and
	// UnusedKept their bytes (not repacked).
	PartlyUsed int
	UnusedKept int64
	// Repacked counts packs whose used blobs went to NewPacks.
	Repacked  int
	NewPacks  []string
	OldIndex  []string
	IndexName string
	IndexData []byte
	// Catalog is the newest catalog (copied to a location that lacks it),
	// OldCatalogs the older ones, which go.
	Catalog     string
	CatalogData []byte
	OldCatalogs []string

	unused, stored, size map[format.ID]int64 // per pack
}

// PlanPrune reads every snapshot's trees (it needs the identity) and
// decides what prune removes. Any snapshot or blob that cannot be read
// stops it: data is deleted only when every reference is known.
//
// Unless noRepack, the used blobs of mostly unused packs (RepackUnused)
// are written into new packs first, on this repository's store.
func (r *Repository) PlanPrune(ctx context.Context, noRepack bool) (*PrunePlan, error) {
	snaps, damaged, err := r.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	if len(damaged) > 0 {
		return nil, fmt.Errorf("%d snapshot(s) cannot be read, so what they reference is unknown (%v): %w",
			len(damaged), damaged[0], ErrDamaged)
	}
	used := r.NewUsed()
	for _, s := range snaps {
		if err := used.AddSnapshot(ctx, s.Snapshot); err != nil {
			return nil, fmt.Errorf("snapshot %s: %w", s.ID.Short(), err)
		}
	}
	plan := &PrunePlan{Snapshots: len(snaps), UsedBlobs: len(used.Blob), Keep: map[format.ID]bool{},
		size: map[format.ID]int64{}}
	if c := r.listed.catalog; c != nil {
		plan.Catalog, plan.CatalogData, plan.OldCatalogs = c.name, c.data, c.older
	}
	for id := range used.Blob {
		loc, ok := r.idx.Lookup(id)
		if !ok {
			return nil, fmt.Errorf("blob %s is in no pack: %w", id.Short(), ErrDamaged)
		}
		plan.Keep[loc.Pack] = true
	}
	if err := plan.sizes(ctx, r, used); err != nil {
		return nil, err
	}
	if plan.OldIndex, err = listNames(ctx, r.st, "index"); err != nil {
		return nil, err
	}
	if !noRepack {
		if err := r.Repack(ctx, plan, used); err != nil {
			return nil, err
		}
	}
	if plan.IndexData == nil { // Repack had nothing to move
		plan.setIndex(r, r.idx.packsOf(plan.Keep))
	}
	return plan, nil
}

// sizes lists the packs: those not kept are removed; kept ones are
// measured for unused blobs.
func (p *PrunePlan) sizes(ctx context.Context, r *Repository, used *Used) error {
	p.unused, p.stored = r.idx.unusedBytes(used.Blob)
	err := r.st.List(ctx, "data", func(name string, size int64) error {
		id, err := format.ParseID(path.Base(name))
		if err != nil || name != PackName(id) {
			return nil // not ours: check reports it
		}
		p.size[id] = size
		if !p.Keep[id] {
			p.Remove = append(p.Remove, name)
			p.RemoveBytes += size
		} else if p.unused[id] > 0 {
			p.PartlyUsed++
			p.UnusedKept += p.unused[id]
		}
		return nil
	})
	sort.Strings(p.Remove)
	return err
}

// ApplyPrune carries out a plan on one location: the packs a repack
// wrote (copied from the primary, from, unless st is the primary), the
// new index, then the old index files, then the unused packs. It is
// idempotent, so a prune that was interrupted is finished by running it
// again. stillLocked is called before deleting and now and then while
// deleting; its error stops the prune.
func ApplyPrune(ctx context.Context, st, from store.Store, p *PrunePlan, stillLocked func() error) (freed int64, err error) {
	if from != nil && from != st {
		if err := copyNewPacks(ctx, from, st, p); err != nil {
			return 0, err
		}
	}
	if _, err := st.Stat(ctx, p.IndexName); err != nil {
		if err := store.Save(ctx, st, p.IndexName, p.IndexData); err != nil {
			return 0, fmt.Errorf("%s: save index: %w", st.Location(), err)
		}
	}
	// Every other index file of this location goes, not only those the
	// plan listed on the primary: a mirror may still hold one that an
	// interrupted prune left there, naming packs that go below.
	oldIndex, err := listNames(ctx, st, "index")
	if err != nil {
		return 0, err
	}
	if err := stillLocked(); err != nil {
		return 0, err
	}
	for _, name := range oldIndex {
		if name == p.IndexName {
			continue
		}
		if err := removeIfPresent(ctx, st, name); err != nil {
			return freed, err
		}
	}
	if err := pruneCatalogs(ctx, st, p); err != nil {
		return 0, err
	}
	keep := func(name string) bool {
		id, err := format.ParseID(path.Base(name))
		return err != nil || name != PackName(id) || p.Keep[id]
	}
	var remove []string
	var sizes = map[string]int64{}
	if err := st.List(ctx, "data", func(name string, size int64) error {
		if !keep(name) {
			remove = append(remove, name)
			sizes[name] = size
		}
		return nil
	}); err != nil {
		return freed, fmt.Errorf("%s: list data: %w", st.Location(), err)
	}
	sort.Strings(remove)
	for i, name := range remove {
		// The lock is checked again every so often: a run that lost it
		// (stopped, or another machine judged it stale) stops deleting.
		if i%32 == 0 {
			if err := stillLocked(); err != nil {
				return freed, err
			}
		}
		if err := removeIfPresent(ctx, st, name); err != nil {
			return freed, err
		}
		freed += sizes[name]
	}
	return freed, nil
}

// pruneCatalogs puts the newest catalog in st if it lacks it, then
// removes the older ones.
func pruneCatalogs(ctx context.Context, st store.Store, p *PrunePlan) error {
	if p.Catalog == "" {
		return nil
	}
	if _, err := st.Stat(ctx, p.Catalog); err != nil {
		if err := store.Save(ctx, st, p.Catalog, p.CatalogData); err != nil {
			return fmt.Errorf("%s: save catalog: %w", st.Location(), err)
		}
	}
	for _, name := range p.OldCatalogs {
		if err := removeIfPresent(ctx, st, name); err != nil {
			return err
		}
	}
	return nil
}

func listNames(ctx context.Context, st store.Store, dir string) ([]string, error) {
	var out []string
	err := st.List(ctx, dir, func(name string, _ int64) error {
		out = append(out, name)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: list %s: %w", st.Location(), dir, err)
	}
	sort.Strings(out)
	return out, nil
}

func removeIfPresent(ctx context.Context, st store.Store, name string) error {
	if err := st.Remove(ctx, name); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s: remove %s: %w", st.Location(), name, err)
	}
	return nil
}

// packsOf returns the index entries of the given packs.
func (ix *Index) packsOf(keep map[format.ID]bool) []format.IndexPack {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	byPack := map[uint32][]format.BlobEntry{}
	ix.blobs.each(func(l *blobRec) {
		if keep[ix.packs[l.pack]] {
			byPack[l.pack] = append(byPack[l.pack], l.entry())
		}
	})
	out := make([]format.IndexPack, 0, len(byPack))
	for n, entries := range byPack {
		sort.Slice(entries, func(i, j int) bool { return entries[i].Offset < entries[j].Offset })
		out = append(out, format.IndexPack{Pack: ix.packs[n], Blobs: entries})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pack.String() < out[j].Pack.String() })
	return out
}

// unusedBytes sums, per pack, the stored bytes of blobs not in used, and
// of all blobs.
func (ix *Index) unusedBytes(used map[format.ID]bool) (unused, all map[format.ID]int64) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	unused, all = map[format.ID]int64{}, map[format.ID]int64{}
	ix.blobs.each(func(l *blobRec) {
		pack := ix.packs[l.pack]
		all[pack] += int64(l.length())
		if !used[l.id] {
			unused[pack] += int64(l.length())
		}
	})
	return unused, all
}
