package repo

import (
	"context"
	"errors"
	"fmt"

	"filippo.io/age"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// ChangePassphrase re-wraps the identity stored in the repository
// (keys/identity.age) with a new passphrase. The identity itself does not
// change, so the recipients, keys/write.age and keys/write.tag stay valid.
// A wrong old passphrase gives ErrWrongKey.
//
// The old passphrase is checked, and the stored identity is checked to
// be this repository's (it must open keys/write.age and its tag must
// vouch for the write key), before anything is written.
func ChangePassphrase(ctx context.Context, st store.Store, k Keys, oldPass, newPass string, workFactor int) (KeySet, error) {
	cfg, err := loadConfig(ctx, st)
	if err != nil {
		return nil, err
	}
	if !cfg.HasPassphraseIdentity {
		return nil, ErrNoStoredIdentity
	}
	wrapped, err := loadSmall(ctx, st, identityName, maxKeyObject)
	if err != nil {
		return nil, fmt.Errorf("load stored identity: %w", err)
	}
	idFile, err := unwrapIdentityFile(wrapped, oldPass)
	if err != nil {
		return nil, err
	}
	ids, err := crypto.ParseIdentities(idFile)
	if err != nil {
		return nil, fmt.Errorf("stored identity: %w: %w", err, ErrDamaged)
	}
	keys, err := writeKeyWith(ctx, &Repository{st: st, cfg: cfg}, k, ids)
	if err != nil {
		return nil, err
	}
	rewrapped, err := crypto.WrapIdentity(idFile, newPass, workFactor)
	if err != nil {
		return nil, err
	}
	set, err := LoadKeySet(ctx, st)
	if err != nil {
		return nil, err
	}
	// The CLI holds the repository's write lock (lock.Write) meanwhile.
	set[identityName] = rewrapped
	set.seal(keys)
	if _, err := set.Write(ctx, st); err != nil {
		return nil, err
	}
	return set, nil
}

// unwrapIdentityFile decrypts keys/identity.age to the identity file's
// text, which is wrapped again as it is.
func unwrapIdentityFile(wrapped []byte, pass string) ([]byte, error) {
	sid, err := age.NewScryptIdentity(pass)
	if err != nil {
		return nil, err
	}
	b, err := crypto.DecryptWith(wrapped, sid)
	if errors.Is(err, crypto.ErrWrongKey) {
		return nil, fmt.Errorf("the passphrase does not open the stored identity: %w", ErrWrongKey)
	}
	if err != nil {
		return nil, fmt.Errorf("decrypt stored identity: %w", ErrDamaged)
	}
	return b, nil
}

// writeKeyWith recovers the write key from keys/write.age with the stored
// identity and checks it against its tag (required, as for any stored
// identity) and the config's MAC.
func writeKeyWith(ctx context.Context, r *Repository, k Keys, ids []age.Identity) (*crypto.Keys, error) {
	enc, err := loadSmall(ctx, r.st, writeKeyName, maxKeyObject)
	if err != nil {
		return nil, fmt.Errorf("load write key: %w", err)
	}
	wk, err := crypto.DecryptWith(enc, ids...)
	if errors.Is(err, crypto.ErrWrongKey) {
		return nil, fmt.Errorf("the stored identity does not open keys/write.age: %w", ErrDamaged)
	}
	if err != nil {
		return nil, fmt.Errorf("decrypt write key: %w", ErrDamaged)
	}
	if err := r.verifyWriteKey(ctx, k, ids, wk, true); err != nil {
		return nil, err
	}
	keys, err := crypto.DeriveKeys(wk)
	if err != nil {
		return nil, fmt.Errorf("write key: %w", ErrDamaged)
	}
	if !keys.VerifyConfigMAC(format.ConfigMACInput(r.cfg), r.cfg.MAC) {
		return nil, fmt.Errorf("config does not match the write key: %w", ErrDamaged)
	}
	return keys, nil
}
