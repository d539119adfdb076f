package repo

import (
	"context"
	"fmt"
	"sort"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// RepackUnused is the share of a pack's bytes that must be unused before
// prune rewrites the pack's used blobs into a new one, so that the old
// pack can go. Below it, the pack stays whole: rewriting costs more than
// it frees.
const RepackUnused = 0.2

// Repack writes the used blobs of mostly unused packs into new packs,
// and makes the plan remove those packs and index the new ones. It runs
// on the primary, before ApplyPrune; the new packs are then copied to the
// other locations by ApplyPrune. A crash leaves the new packs as orphans,
// adopted by the next backup.
func (r *Repository) Repack(ctx context.Context, p *PrunePlan, used *Used) error {
	var victims []format.ID
	for id := range p.Keep {
		if p.unused[id] > 0 && float64(p.unused[id]) >= RepackUnused*float64(p.stored[id]) {
			victims = append(victims, id)
		}
	}
	if len(victims) == 0 {
		return nil
	}
	sort.Slice(victims, func(i, j int) bool { return victims[i].String() < victims[j].String() })
	moving := map[format.ID]bool{}
	for _, id := range victims {
		moving[id] = true
	}
	s := r.NewSession()
	pk := s.NewPacker(ctx)
	pk.repack = true
	defer pk.Abort()
	for _, e := range r.idx.entriesIn(moving) {
		if !used.Blob[e.ID] {
			continue
		}
		data, err := r.LoadBlob(ctx, e.ID)
		if err != nil {
			return fmt.Errorf("repack: %w", err)
		}
		if _, err := pk.Add(e.Type, e.ID, data, e.Comp == format.CompZstd); err != nil {
			return fmt.Errorf("repack: %w", err)
		}
	}
	if err := pk.Flush(); err != nil {
		return err
	}
	if err := s.packSmall(ctx); err != nil {
		return err
	}
	for _, id := range victims {
		delete(p.Keep, id)
		p.Remove = append(p.Remove, PackName(id))
		p.RemoveBytes += p.size[id]
		p.PartlyUsed--
		p.UnusedKept -= p.unused[id]
		p.Repacked++
	}
	sort.Strings(p.Remove)
	packs := r.idx.packsOf(p.Keep)
	newPacks, err := s.indexPacks(0, len(s.packs))
	if err != nil {
		return err
	}
	for _, np := range newPacks {
		p.Keep[np.Pack] = true
		p.NewPacks = append(p.NewPacks, PackName(np.Pack))
		packs = append(packs, np)
	}
	p.setIndex(r, packs)
	return nil
}

func (p *PrunePlan) setIndex(r *Repository, packs []format.IndexPack) {
	sort.Slice(packs, func(i, j int) bool { return packs[i].Pack.String() < packs[j].Pack.String() })
	p.IndexData = r.keys.Seal(crypto.LabelIndex, format.EncodeIndex(packs))
	p.IndexName = "index/" + format.ID(crypto.ObjectHash(p.IndexData)).String()
}

// entriesIn returns the entries of blobs whose indexed location is one
// of packs, in pack and offset order.
func (ix *Index) entriesIn(packs map[format.ID]bool) []format.BlobEntry {
	byPack := ix.packsOf(packs)
	var out []format.BlobEntry
	for _, p := range byPack {
		out = append(out, p.Blobs...)
	}
	return out
}

// copyNewPacks copies the packs a repack wrote from the primary to st,
// checking each against its name.
func copyNewPacks(ctx context.Context, from, st store.Store, p *PrunePlan) error {
	for _, name := range p.NewPacks {
		if _, err := st.Stat(ctx, name); err == nil {
			continue
		}
		b, err := LoadObject(ctx, from, name)
		if err != nil {
			return fmt.Errorf("%s: read %s: %w", from.Location(), name, err)
		}
		if id, _ := ParseObjectName(name); format.ID(crypto.ObjectHash(b)) != id {
			return fmt.Errorf("%s: %s does not match its name: %w", from.Location(), name, ErrDamaged)
		}
		if err := store.Save(ctx, st, name, b); err != nil {
			return fmt.Errorf("%s: write %s: %w", st.Location(), name, err)
		}
	}
	return nil
}
