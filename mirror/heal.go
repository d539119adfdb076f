package mirror

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// ErrUnrecoverable: an object is damaged or missing in both locations.
var ErrUnrecoverable = fmt.Errorf("%w in both locations", repo.ErrDamaged)

// Heal brings two locations of one repository to the same, intact object
// set: an object missing or damaged in one is copied from the other when
// it is intact there. An object damaged or missing in both is reported in
// Unrecoverable; Heal then returns an error wrapping repo.ErrDamaged,
// after healing everything else.
func Heal(ctx context.Context, a, b store.Store) (*Report, error) {
	if err := sameRepo(ctx, a, b); err != nil {
		return nil, err
	}
	rep := &Report{}
	for _, dir := range order {
		la, err := list(ctx, a, dir)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", a.Location(), err)
		}
		lb, err := list(ctx, b, dir)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", b.Location(), err)
		}
		err = each(ctx, union(la, lb), func(ctx context.Context, name string) error {
			return healOne(ctx, a, b, name, rep)
		})
		rep.sort()
		if err != nil {
			return rep, err
		}
	}
	if n := len(rep.Unrecoverable); n == 1 {
		return rep, fmt.Errorf("1 object has %w", ErrUnrecoverable)
	} else if n > 1 {
		return rep, fmt.Errorf("%d objects have %w", n, ErrUnrecoverable)
	}
	return rep, nil
}

func union(a, b map[string]int64) []string {
	m := map[string]int64{}
	for k := range a {
		m[k] = 0
	}
	for k := range b {
		m[k] = 0
	}
	return sortedKeys(m)
}

// state is "ok", "missing" or "damaged". An object that cannot be read
// (a bad sector) counts as damaged, so the other copy heals it; a store
// that does not answer is an error, not damage in both locations.
func state(ctx context.Context, s store.Store, name string) (string, error) {
	data, err := repo.LoadObject(ctx, s, name)
	if errors.Is(err, store.ErrNotFound) {
		return "missing", nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		if store.Unavailable(err) {
			return "", err
		}
		return "damaged", nil
	}
	if !valid(name, data) {
		return "damaged", nil
	}
	return "ok", nil
}

func healOne(ctx context.Context, a, b store.Store, name string, rep *Report) error {
	sa, err := state(ctx, a, name)
	if err != nil {
		return err
	}
	sb, err := state(ctx, b, name)
	if err != nil {
		return err
	}
	switch {
	case sa == "ok" && sb == "ok":
		return nil
	case sa == "ok":
		return copyObject(ctx, a, b, name, rep)
	case sb == "ok":
		return copyObject(ctx, b, a, name, rep)
	default:
		rep.unrecoverable(name)
		return nil
	}
}

// Compare lists, as "missing in LOCATION: NAME", the objects one
// location has and the other lacks, and the config and keys that differ
// between them (which are not named by their hash, so neither copy can be
// told right from the other without the identity).
func Compare(ctx context.Context, a, b store.Store) ([]string, error) {
	var out []string
	keys, err := list(ctx, a, "keys")
	if err != nil {
		return nil, err
	}
	keys["config"] = 0
	for _, name := range sortedKeys(keys) {
		ba, errA := repo.LoadObject(ctx, a, name)
		bb, errB := repo.LoadObject(ctx, b, name)
		if errA == nil && errB == nil && !bytes.Equal(ba, bb) {
			out = append(out, fmt.Sprintf("differs between the locations: %s", name))
		}
	}
	for _, dir := range order {
		la, err := list(ctx, a, dir)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Location(), err)
		}
		lb, err := list(ctx, b, dir)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", b.Location(), err)
		}
		for _, name := range union(la, lb) {
			if _, ok := la[name]; !ok {
				out = append(out, fmt.Sprintf("missing in %s: %s", a.Location(), name))
			}
			if _, ok := lb[name]; !ok {
				out = append(out, fmt.Sprintf("missing in %s: %s", b.Location(), name))
			}
		}
	}
	return out, nil
}
