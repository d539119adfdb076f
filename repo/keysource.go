package repo

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"filippo.io/age"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// Object names outside the content-addressed directories.
const (
	configName   = "config"
	writeKeyName = "keys/write.age"
	identityName = "keys/identity.age"
)

// Keys says where a command may find keys. The zero value finds the write
// key in DefaultKeyDir and the identity in DefaultIdentityFile.
type Keys struct {
	// IdentityFile is an explicit identity file (--identity).
	IdentityFile string
	// DefaultIdentityFile is tried when IdentityFile is empty.
	DefaultIdentityFile string
	// PassphraseFile unlocks the identity stored in the repository.
	PassphraseFile string
	// Prompt asks for the passphrase on a terminal; nil when there is none.
	Prompt func() (string, error)
	// KeyDir holds this machine's write keys.
	KeyDir string
	// StateDir holds this machine's record of each repository's newest
	// snapshot (rollback detection); empty means StateDir().
	StateDir string
}

func (k Keys) keyDir() string {
	if k.KeyDir != "" {
		return k.KeyDir
	}
	return DefaultKeyDir()
}

// identities finds the identity, in this order: an explicit identity file;
// an explicit passphrase file for the identity stored in the repository;
// the default identity file; a passphrase prompt.
func (k Keys) identities(ctx context.Context, st store.Store, cfg *format.Config) (ids []age.Identity, stored bool, err error) {
	if k.IdentityFile != "" {
		ids, err := readIdentityFile(k.IdentityFile)
		return ids, false, err
	}
	if k.PassphraseFile != "" && cfg.HasPassphraseIdentity {
		pass, err := crypto.ReadPassphraseFile(k.PassphraseFile)
		if err != nil {
			return nil, false, fmt.Errorf("%w: %w", ErrKeyFile, err)
		}
		ids, err := storedIdentity(ctx, st, pass)
		return ids, true, err
	}
	def := k.DefaultIdentityFile
	if def == "" {
		def = DefaultIdentityFile()
	}
	if _, err := os.Stat(def); err == nil {
		ids, err := readIdentityFile(def)
		return ids, false, err
	}
	if !cfg.HasPassphraseIdentity || k.Prompt == nil {
		return nil, false, ErrNoIdentity
	}
	pass, err := k.Prompt()
	if err != nil {
		return nil, false, err
	}
	ids, err = storedIdentity(ctx, st, pass)
	return ids, true, err
}

// storedIdentity unwraps keys/identity.age with a passphrase.
func storedIdentity(ctx context.Context, st store.Store, pass string) ([]age.Identity, error) {
	wrapped, err := loadSmall(ctx, st, identityName, maxKeyObject)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("keys/identity.age is missing: %w", ErrDamaged)
	}
	if err != nil {
		return nil, fmt.Errorf("load stored identity: %w", err)
	}
	ids, err := crypto.UnwrapIdentity(wrapped, pass)
	if errors.Is(err, crypto.ErrWrongKey) && damagedKeyObject(ctx, st, identityName) {
		return nil, fmt.Errorf("keys/identity.age does not match keys/manifest: %w", ErrDamaged)
	}
	if errors.Is(err, crypto.ErrWrongKey) {
		return nil, fmt.Errorf("passphrase does not open the stored identity: %w", ErrWrongKey)
	}
	if err != nil {
		// The passphrase opened the header: the rest is damaged (age's
		// own words, "failed to decrypt and authenticate payload chunk",
		// name no file).
		return nil, fmt.Errorf("%s opens with the passphrase but its content does not decrypt or is no identity: %w", identityName, ErrDamaged)
	}
	return ids, nil
}

func readIdentityFile(path string) ([]age.Identity, error) {
	b, err := crypto.ReadSecretFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		// Moved off the machine, as init advises: a missing key, not a
		// usage error.
		return nil, fmt.Errorf("identity file %s does not exist: %w", path, ErrNoIdentity)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: read identity: %w", ErrKeyFile, err)
	}
	ids, err := crypto.ParseIdentities(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ids, nil
}

// localWriteKey reads this machine's write key for a repository.
func (k Keys) localWriteKey(repoID string) ([]byte, error) {
	b, err := crypto.ReadSecretFile(writeKeyFile(k.keyDir(), repoID))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoWriteKey
	}
	if err != nil {
		return nil, fmt.Errorf("read write key: %w", err)
	}
	return crypto.ParseWriteKey(string(b))
}

// saveWriteKey stores a write key on this machine, unless one is there.
func (k Keys) saveWriteKey(repoID string, key []byte) error {
	dir := k.keyDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	err := crypto.WriteSecretFile(writeKeyFile(dir, repoID), []byte(crypto.EncodeWriteKey(key)))
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	return err
}

// WriteKeyPath is where this machine keeps the write key of repoID.
func (k Keys) WriteKeyPath(repoID string) string {
	return filepath.Clean(writeKeyFile(k.keyDir(), repoID))
}
