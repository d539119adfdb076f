package repo

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
)

// ErrRollback: the repository lacks snapshots that this machine saw or
// that its catalog lists, or its catalog is older than one this machine
// saw: someone with access to the storage deleted snapshots or put back
// an older state.
var ErrRollback = fmt.Errorf("snapshots are gone (deleted or rolled back?): %w", ErrDamaged)

// GoneError names what is gone, one sentence each. It wraps ErrRollback.
type GoneError struct{ Gone []string }

func (e *GoneError) Error() string {
	const show = 3
	if len(e.Gone) <= show {
		return strings.Join(e.Gone, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(e.Gone[:show], "; "), len(e.Gone)-show)
}

func (e *GoneError) Unwrap() error { return ErrRollback }

func isRollback(err error) bool { return errors.Is(err, ErrRollback) }

// listing is what the last Snapshots call found, for the catalog a
// commit writes next.
type listing struct {
	catalog   *catalogFound // nil: the location has none
	rec       *record
	present   map[format.ID]bool // every snapshot object listed
	authentic []format.ID        // those that opened
}

func (l *listing) generation() uint64 {
	if l.catalog != nil && l.catalog.Generation > l.rec.Catalog {
		return l.catalog.Generation
	}
	return l.rec.Catalog
}

// keep is what the next catalog lists: the snapshots that opened, and
// those present that the catalog or the record knew (a damaged one stays
// listed, so that deleting it later is still noticed).
func (l *listing) keep() []format.ID {
	out := append([]format.ID(nil), l.authentic...)
	for id := range l.present {
		if (l.catalog != nil && l.catalog.ids[id]) || l.rec.has(id) {
			out = append(out, id)
		}
	}
	return out
}

// checkHistory compares the snapshots present with the newest catalog
// and this machine's record of the location, then records what is
// present. A snapshot the record knows that is missing is gone, unless a
// catalog newer than the record omits it: a write-key holder (forget on
// another machine) removed it.
func (r *Repository) checkHistory(ctx context.Context, ids []format.ID, snaps []SnapshotInfo) error {
	cat, damaged, err := r.newestCatalog(ctx)
	if err != nil {
		return err
	}
	r.catalogDamaged = damaged
	rec := r.loadRecord(r.st.Location())
	l := &listing{catalog: cat, rec: rec, present: map[format.ID]bool{}}
	for _, id := range ids {
		l.present[id] = true
	}
	catGen := uint64(0)
	if cat != nil {
		catGen = cat.Generation
	}
	var gone []string
	var goneAt []time.Time
	seen := map[format.ID]bool{}
	consider := func(id format.ID) {
		if l.present[id] || seen[id] {
			return
		}
		seen[id] = true
		listed := cat != nil && cat.ids[id]
		known, ok := rec.get(id)
		if ok && !listed && catGen > rec.Catalog {
			rec.remove(id) // forgotten by a write-key holder
			return
		}
		gone = append(gone, goneSentence(id, known, ok))
		goneAt = append(goneAt, known.Time)
	}
	if cat != nil {
		for _, id := range cat.Snapshots {
			consider(id)
		}
	}
	for _, id := range rec.ids() {
		consider(id)
	}
	sortGone(gone, goneAt)
	switch {
	case cat == nil && rec.Catalog > 0:
		gone = append(gone, fmt.Sprintf("the repository's catalog is gone; this machine saw generation %d (rolled back?)", rec.Catalog))
	case catGen < rec.Catalog:
		gone = append(gone, fmt.Sprintf("the repository's catalog is at generation %d; this machine saw generation %d (rolled back?)", catGen, rec.Catalog))
	}
	for _, s := range snaps {
		l.authentic = append(l.authentic, s.ID)
		rec.add(s.ID, s.Snapshot)
	}
	if catGen > rec.Catalog {
		rec.Catalog = catGen
	}
	r.saveRecord(r.st.Location(), rec)
	r.listed = l
	if len(gone) > 0 {
		return &GoneError{Gone: gone}
	}
	return nil
}

func goneSentence(id format.ID, known snapRecord, ok bool) string {
	switch {
	case !ok:
		return fmt.Sprintf("snapshot %s (listed in the repository's catalog) is gone", id.Short())
	case known.Source == "":
		return fmt.Sprintf("snapshot %s (%s) is gone", id.Short(), known.Time.Local().Format("2006-01-02 15:04"))
	default:
		return fmt.Sprintf("snapshot %s of %s (%s) is gone", id.Short(), known.Source, known.Time.Local().Format("2006-01-02 15:04"))
	}
}

// sortGone orders the sentences by snapshot time, then text.
func sortGone(gone []string, at []time.Time) {
	idx := make([]int, len(gone))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if !at[idx[a]].Equal(at[idx[b]]) {
			return at[idx[a]].Before(at[idx[b]])
		}
		return gone[idx[a]] < gone[idx[b]]
	})
	out := make([]string, len(gone))
	for i, j := range idx {
		out[i] = gone[j]
	}
	copy(gone, out)
}
