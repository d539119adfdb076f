package repo

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// maxCatalogObject bounds a catalog read whole: 32 bytes a snapshot.
const maxCatalogObject = 16 << 20

// catalogFound is the newest catalog of a location that opens.
type catalogFound struct {
	*format.Catalog
	name string
	data []byte
	ids  map[format.ID]bool
	// older names the other catalogs that opened, which prune removes.
	older []string
}

// newestCatalog reads every catalog of the location and returns the one
// with the highest generation (nil when there is none), and the errors
// of those that do not open. A storage holder can delete catalogs or put
// old ones back, but not make one: the generation only this machine's
// record can vouch for (see checkHistory).
func (r *Repository) newestCatalog(ctx context.Context) (*catalogFound, []error, error) {
	names, err := listNames(ctx, r.st, "catalog")
	if err != nil {
		return nil, nil, err
	}
	var best *catalogFound
	var damaged []error
	var opened []string
	for _, name := range names {
		c, b, err := r.loadCatalog(ctx, name)
		if err != nil {
			if store.Unavailable(err) {
				return nil, nil, err
			}
			damaged = append(damaged, err)
			continue
		}
		opened = append(opened, name)
		if best == nil || c.Generation > best.Generation {
			best = &catalogFound{Catalog: c, name: name, data: b}
		}
	}
	if best == nil {
		return nil, damaged, nil
	}
	best.ids = map[format.ID]bool{}
	for _, id := range best.Snapshots {
		best.ids[id] = true
	}
	for _, name := range opened {
		if name != best.name {
			best.older = append(best.older, name)
		}
	}
	return best, damaged, nil
}

func (r *Repository) loadCatalog(ctx context.Context, name string) (*format.Catalog, []byte, error) {
	id, ok := ParseObjectName(name)
	if !ok || !strings.HasPrefix(name, "catalog/") {
		return nil, nil, fmt.Errorf("%s: unexpected object name: %w", name, ErrDamaged)
	}
	b, err := loadSmall(ctx, r.st, name, maxCatalogObject)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	if format.ID(crypto.ObjectHash(b)) != id {
		return nil, nil, fmt.Errorf("%s does not match its name: %w", name, ErrDamaged)
	}
	pt, err := r.keys.Open(crypto.LabelCatalog, b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s fails authentication (damaged or forged): %w", name, ErrDamaged)
	}
	c, err := format.DecodeCatalog(pt)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v: %w", name, err, ErrDamaged)
	}
	return c, b, nil
}

// sealCatalog makes the catalog object listing ids at a generation.
func (r *Repository) sealCatalog(gen uint64, ids []format.ID) (string, []byte) {
	ids = append([]format.ID(nil), ids...)
	sort.Slice(ids, func(i, j int) bool { return bytes.Compare(ids[i][:], ids[j][:]) < 0 })
	uniq := ids[:0]
	for i, id := range ids {
		if i == 0 || id != ids[i-1] {
			uniq = append(uniq, id)
		}
	}
	sealed := r.keys.Seal(crypto.LabelCatalog, format.EncodeCatalog(&format.Catalog{Generation: gen, Snapshots: uniq}))
	return "catalog/" + format.ID(crypto.ObjectHash(sealed)).String(), sealed
}

// Recatalog writes, to every store given, a new catalog that lists what
// the last listing would keep except the snapshots in remove, removes
// the catalogs it supersedes, and makes it this machine's record of each
// store. forget calls it before it removes those snapshots, so that a
// crash in between leaves snapshots the catalog does not list (harmless)
// rather than listed ones that are gone (an alarm).
func (r *Repository) Recatalog(ctx context.Context, remove []format.ID, stores []store.Store) error {
	if r.listed == nil {
		if _, _, err := r.Snapshots(ctx); err != nil && !isRollback(err) {
			return err
		}
	}
	l := r.listed
	drop := map[format.ID]bool{}
	for _, id := range remove {
		drop[id] = true
	}
	var ids []format.ID
	for _, id := range l.keep() {
		if !drop[id] {
			ids = append(ids, id)
		}
	}
	gen := l.generation() + 1
	name, sealed := r.sealCatalog(gen, ids)
	var older []string // superseded here, removed in every location
	if l.catalog != nil {
		older = append([]string{l.catalog.name}, l.catalog.older...)
	}
	for _, st := range stores {
		if err := store.Save(ctx, st, name, sealed); err != nil {
			return fmt.Errorf("%s: save catalog: %w", st.Location(), err)
		}
		for _, old := range older {
			if err := removeIfPresent(ctx, st, old); err != nil {
				return err
			}
		}
		rec := r.loadRecord(st.Location())
		if st.Location() == r.st.Location() {
			rec = l.rec
		}
		for _, id := range remove {
			rec.remove(id)
		}
		if gen > rec.Catalog {
			rec.Catalog = gen
		}
		r.saveRecord(st.Location(), rec)
	}
	r.listed = nil
	return nil
}

// catalogAfterCommit writes the catalog that adds a snapshot just
// committed to the listing this run made, and records it. Snapshots
// that the listing found gone are not carried over: the run that
// commits has reported them (backup exits 3), which ends the alarm.
func (r *Repository) catalogAfterCommit(ctx context.Context, id format.ID, snap *format.Snapshot) error {
	if r.listed == nil {
		if _, _, err := r.Snapshots(ctx); err != nil && !isRollback(err) {
			return err
		}
	}
	l := r.listed
	ids := append(l.keep(), id)
	gen := l.generation() + 1
	name, sealed := r.sealCatalog(gen, ids)
	if err := store.Save(ctx, r.st, name, sealed); err != nil {
		return fmt.Errorf("save catalog: %w", err)
	}
	rec := l.rec
	rec.add(id, snap)
	rec.Catalog = gen
	keep := map[format.ID]bool{}
	for _, k := range ids {
		keep[k] = true
	}
	for k := range rec.Snapshots {
		if id, err := format.ParseID(k); err != nil || !keep[id] {
			delete(rec.Snapshots, k)
		}
	}
	r.saveRecord(r.st.Location(), rec)
	l.present[id] = true
	l.catalog = &catalogFound{Catalog: &format.Catalog{Generation: gen, Snapshots: ids}, name: name, data: sealed,
		ids: keep}
	return nil
}
