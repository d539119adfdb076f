package cli

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/lock"
	"github.com/lifeboat-backup/lifeboat/mirror"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// locations are the repository's two copies, locked, for commands that
// delete (forget, prune): they change both at once, or neither, so that
// sync never brings back what they removed.
type locations struct {
	primary, mirror store.Store
	locks           []*lock.Lock
}

// lockBoth opens and locks the primary and, when --mirror is set, the
// mirror, after bringing the mirror up to date. With write false (a dry
// run) nothing is locked and the mirror is left alone.
func lockBoth(c *cli.Context, kind lock.Kind, write bool) (*locations, error) {
	st, err := openStore(c)
	if err != nil {
		return nil, err
	}
	l := &locations{primary: st}
	if !write {
		return l, nil
	}
	lk, err := lockStore(c, st, kind)
	if err != nil {
		return nil, err
	}
	l.locks = append(l.locks, lk)
	m, err := openMirror(c)
	if err != nil || m == nil {
		if err != nil {
			l.release()
		}
		return l, err
	}
	if err := l.addMirror(c, m, kind); err != nil {
		l.release()
		return nil, err
	}
	return l, nil
}

func (l *locations) addMirror(c *cli.Context, m store.Store, kind lock.Kind) error {
	away := func(err error) error {
		return fmt.Errorf("mirror %s: %w; nothing was removed (%s changes both locations at once, "+
			"so that sync cannot bring back what it removes: connect the mirror and run it again)", m.Location(), err, c.Command.Name)
	}
	if _, err := m.Stat(c.Context, "config"); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = mirror.ErrNoMirror
		}
		return away(err)
	}
	lk, err := lockStore(c, m, kind)
	if err != nil {
		return away(err)
	}
	l.locks = append(l.locks, lk)
	l.mirror = m
	if _, err := mirror.Push(c.Context, l.primary, m); err != nil {
		return away(err)
	}
	extra, err := missingIn(c, l.primary, m, "snapshots")
	if err != nil {
		return away(err)
	}
	if len(extra) > 0 {
		return usagef("the mirror %s has %s the repository lacks (%s); run 'lifeboat sync' first", m.Location(), plural(len(extra), "snapshot"), extra[0])
	}
	return nil
}

// missingIn lists the objects under dir that b has and a lacks.
func missingIn(c *cli.Context, a, b store.Store, dir string) ([]string, error) {
	have := map[string]bool{}
	if err := a.List(c.Context, dir, func(name string, _ int64) error { have[name] = true; return nil }); err != nil {
		return nil, err
	}
	var out []string
	err := b.List(c.Context, dir, func(name string, _ int64) error {
		if !have[name] {
			out = append(out, name)
		}
		return nil
	})
	return out, err
}

// stores returns the locations to change, primary first.
func (l *locations) stores() []store.Store {
	if l.mirror != nil {
		return []store.Store{l.primary, l.mirror}
	}
	return []store.Store{l.primary}
}

// check makes sure every lock is still held, right before deleting.
func (l *locations) check(c *cli.Context) error {
	for _, lk := range l.locks {
		if err := lk.Check(c.Context); err != nil {
			return err
		}
	}
	return nil
}

func (l *locations) removeSnapshot(c *cli.Context, id string) error {
	if err := l.check(c); err != nil {
		return err
	}
	for _, st := range l.stores() {
		if err := st.Remove(c.Context, "snapshots/"+id); err != nil && !errorsIsNotFound(err) {
			return fmt.Errorf("%s: remove snapshot %s: %w", st.Location(), id[:8], err)
		}
	}
	return nil
}

func (l *locations) release() {
	for _, lk := range l.locks {
		lk.Release()
	}
	l.locks = nil
}

// pruneLocations removes the data no snapshot references, in every
// location. r is the repository opened with the identity.
func pruneLocations(c *cli.Context, p *printer, l *locations, r *repo.Repository) error {
	if err := l.check(c); err != nil {
		return err
	}
	plan, err := r.PlanPrune(c.Context, false)
	if err != nil {
		return err
	}
	p.detail("%d snapshots reference %d blobs; %d packs stay, %d go", plan.Snapshots, plan.UsedBlobs, len(plan.Keep), len(plan.Remove))
	var freed []int64
	for _, st := range l.stores() {
		if err := l.check(c); err != nil {
			return err
		}
		n, err := repo.ApplyPrune(c.Context, st, l.primary, plan, func() error { return l.check(c) })
		if err != nil {
			return err
		}
		freed = append(freed, n)
		p.human("%s: %s freed (%s removed)", st.Location(), bytesHuman(uint64(n)), plural(len(plan.Remove), "pack"))
	}
	if plan.Repacked > 0 {
		p.human("%s mostly unused: their blobs in use were moved to %s", plural(plan.Repacked, "pack"), plural(len(plan.NewPacks), "new pack"))
	}
	if plan.PartlyUsed > 0 {
		p.human("%s in %s partly in use stay (not repacked)", bytesHuman(uint64(plan.UnusedKept)), plural(plan.PartlyUsed, "pack"))
	}
	p.object(map[string]any{"summary": true, "command": "prune", "packs_removed": len(plan.Remove),
		"freed_bytes": freed, "unused_kept_bytes": plan.UnusedKept, "packs_repacked": plan.Repacked, "snapshots": plan.Snapshots})
	return nil
}

func errorsIsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
