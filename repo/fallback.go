package repo

import (
	"context"
	"fmt"
	"sync"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// fallback is the second location a reading repository turns to for a
// pack whose copy here is damaged or missing. It shares the keys and the
// index; every blob read from it is verified against its id as usual, so
// a damaged copy there is never taken either.
type fallback struct {
	r    *Repository // the same repository on the second location
	used func(object string)
	once sync.Map // objects reported to used
}

// SetFallback makes LoadBlob and LoadSnapshot read from st, which must
// hold the same repository, when a pack or snapshot here is damaged or
// missing. used is called once for each object read from there, by name
// (to say so).
func (r *Repository) SetFallback(ctx context.Context, st store.Store, used func(object string)) error {
	cfg, err := loadConfig(ctx, st)
	if err != nil {
		return err
	}
	if cfg.ID != r.cfg.ID {
		return fmt.Errorf("%s holds another repository (%s, not %s)", st.Location(), cfg.ID[:8], r.cfg.ID[:8])
	}
	fr := &Repository{st: st, cfg: r.cfg, keys: r.keys, recipients: r.recipients, identities: r.identities,
		idx: r.idx, zenc: r.zenc, zdec: r.zdec, stateDir: r.stateDir}
	fr.packs = newPackCache(fr)
	r.fallback = &fallback{r: fr, used: used}
	return nil
}

// load reads a blob from the second location; if that fails too, the
// error is the primary's, with the second location's beside it.
func (f *fallback) load(ctx context.Context, id format.ID, bb *blobBuf, primary error) ([]byte, error) {
	b, err := f.r.loadBlob(ctx, id, bb)
	if err != nil {
		return nil, fmt.Errorf("%w; in %s too: %v", primary, f.r.st.Location(), err)
	}
	if loc, ok := f.r.idx.Lookup(id); ok {
		f.report(PackName(loc.Pack))
	}
	return b, nil
}

// loadSnapshot reads a snapshot from the second location, as load does a
// blob: verified against its id and the keys as usual.
func (f *fallback) loadSnapshot(ctx context.Context, id format.ID, primary error) (*format.Snapshot, error) {
	s, err := f.r.loadSnapshot(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("%w; in %s too: %v", primary, f.r.st.Location(), err)
	}
	f.report("snapshots/" + id.String())
	return s, nil
}

func (f *fallback) report(object string) {
	if f.used == nil {
		return
	}
	if _, done := f.once.LoadOrStore(object, true); !done {
		f.used(object)
	}
}
