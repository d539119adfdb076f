package mirror

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// The config and keys/ are not named by their hash, so Push and Heal
// cannot tell a right copy from a wrong one and leave them alone (Push
// and Heal refuse locations whose configs differ). The key commands
// write keys/manifest, the hashes of all of them MAC'd with the write
// key: with it, a copy a write-key holder made can be told from one a
// storage holder made up, and copied over the other.

// PutKeys writes a set of config and keys, just made by a key command on
// the primary, to dst, which must hold the same repository.
func PutKeys(ctx context.Context, set repo.KeySet, dst store.Store) (*Report, error) {
	cfg, err := set.Config()
	if err != nil {
		return nil, err
	}
	have, err := repo.LoadKeySet(ctx, dst)
	if err != nil {
		return nil, err
	}
	if err := sameID(cfg.ID, have, dst); err != nil {
		return nil, err
	}
	return writeKeys(ctx, set, dst)
}

// PushKeys copies src's config and keys to dst when they differ and
// src's manifest vouches for them under this machine's write key. It
// fails when they differ and src's copy cannot be vouched for.
func PushKeys(ctx context.Context, src, dst store.Store, k repo.Keys) (*Report, error) {
	return healKeys(ctx, src, dst, k, false)
}

// HealKeys brings the config and keys of two locations of a repository
// together when they differ: the copy keys/manifest vouches for under
// this machine's write key is copied over the other, a's when both are.
// With no such copy, or no write key on this machine, it fails and
// changes nothing. Locations that hold no repository, or another one, are
// left to Heal to report.
func HealKeys(ctx context.Context, a, b store.Store, k repo.Keys) (*Report, error) {
	return healKeys(ctx, a, b, k, true)
}

func healKeys(ctx context.Context, a, b store.Store, k repo.Keys, both bool) (*Report, error) {
	rep := &Report{}
	sa, err := repo.LoadKeySet(ctx, a)
	if err != nil {
		return rep, err
	}
	sb, err := repo.LoadKeySet(ctx, b)
	if err != nil {
		return rep, err
	}
	if sa.Equal(sb) && both {
		if err := sameDamage(sa, k); err != nil {
			return rep, err
		}
		return addManifest(ctx, sa, a, b, k)
	}
	if sa.Equal(sb) || !conflicting(sa, sb) {
		return rep, nil // objects missing in one location are Heal's to copy
	}
	id, ok := commonID(sa, sb)
	if !ok {
		return rep, nil
	}
	differ := fmt.Sprintf("the config and keys differ between %s and %s (%v)", a.Location(), b.Location(), sa.Differing(sb))
	ks, err := k.WriteKeys(id)
	if err != nil {
		return rep, fmt.Errorf("%s; this machine has no write key to tell which copy is right: %w", differ, err)
	}
	errA := sa.Verify(ks)
	switch {
	case errA == nil:
		return writeKeys(ctx, sa, b)
	case !both && bytes.Equal(sa.Object("config"), sb.Object("config")):
		return rep, nil // Push works; check --mirror names the difference
	case !both:
		return rep, fmt.Errorf("%s, and %s's copy cannot be vouched for (%v); run 'lifeboat sync'", differ, a.Location(), errA)
	case sb.Verify(ks) == nil:
		return writeKeys(ctx, sb, a)
	}
	return rep, fmt.Errorf("%s, and neither copy matches its keys/manifest under the write key: %w", differ, repo.ErrDamaged)
}

// ErrKeysUnrecoverable: the config or a key object is damaged alike in
// both locations, so neither heals the other.
var ErrKeysUnrecoverable = fmt.Errorf("the config and keys are alike in both locations: %w", repo.ErrDamaged)

// sameDamage checks a config and keys that both locations hold alike:
// nothing can heal damage there (see repo.KeySet.Problems), and sync must
// not call them in sync.
func sameDamage(set repo.KeySet, k repo.Keys) error {
	if !set.HasConfig() {
		return nil // no repository: Heal reports it
	}
	var ks *crypto.Keys
	if cfg, err := set.Config(); err == nil {
		ks, _ = k.WriteKeys(cfg.ID) // without one, what needs no key
	}
	probs := set.Problems(ks)
	switch len(probs) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("%s: %w", probs[0], ErrKeysUnrecoverable)
	}
	return fmt.Errorf("%s: %w", strings.Join(probs, "; "), ErrKeysUnrecoverable)
}

// addManifest gives a repository made before init wrote keys/manifest
// one, in both locations, when they hold the same intact config and keys
// and this machine has the write key: from then on sync can tell a
// damaged copy from the intact one.
func addManifest(ctx context.Context, set repo.KeySet, a, b store.Store, k repo.Keys) (*Report, error) {
	rep := &Report{}
	cfg, err := set.Config()
	if set.Has("keys/manifest") || err != nil {
		return rep, nil
	}
	ks, err := k.WriteKeys(cfg.ID)
	if err != nil || len(set.Problems(ks)) > 0 {
		return rep, nil // without the write key nothing can vouch
	}
	sealed := set.Sealed(ks)
	for _, st := range []store.Store{a, b} {
		r, err := writeKeys(ctx, sealed, st)
		rep.Copied = append(rep.Copied, r.Copied...)
		rep.Bytes += r.Bytes
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// conflicting reports whether an object is in both sets with different
// bytes.
func conflicting(a, b repo.KeySet) bool {
	for _, name := range a.Differing(b) {
		if a.Has(name) && b.Has(name) {
			return true
		}
	}
	return false
}

// commonID returns the repository id of two key sets: the id both
// configs name, or the one of the only config that decodes.
func commonID(a, b repo.KeySet) (string, bool) {
	ca, errA := a.Config()
	cb, errB := b.Config()
	switch {
	case errA == nil && errB == nil:
		return ca.ID, ca.ID == cb.ID
	case errA == nil && b.HasConfig():
		return ca.ID, true
	case errB == nil && a.HasConfig():
		return cb.ID, true
	}
	return "", false
}

func sameID(id string, have repo.KeySet, dst store.Store) error {
	cfg, err := have.Config()
	switch {
	case errors.Is(err, repo.ErrNoRepo):
		return fmt.Errorf("%s: %w", dst.Location(), ErrNoMirror)
	case err != nil:
		return fmt.Errorf("%s: %w", dst.Location(), err)
	case cfg.ID != id:
		return fmt.Errorf("%s: %w", dst.Location(), ErrOther)
	}
	return nil
}

func writeKeys(ctx context.Context, set repo.KeySet, dst store.Store) (*Report, error) {
	rep := &Report{}
	changed, err := set.Write(ctx, dst)
	for _, name := range changed {
		rep.Copied = append(rep.Copied, name)
		rep.Bytes += int64(len(set[name]))
	}
	return rep, err
}
