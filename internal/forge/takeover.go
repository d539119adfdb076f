package forge

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// TakeOver is the storage holder's attack on the write key, with nothing
// but the repository's files: it makes a write key of its own, encrypts
// it to the public recipients in config (as keys/write.age), re-MACs the
// config with it, removes keys/write.tag and keys/manifest, and deletes
// every index file and snapshot. The new key is saved in keyDir as a
// backup machine keeps its copy, so a backup run with that key folder
// commits the attacker's own snapshot. It returns the repository id.
func TakeOver(ctx context.Context, st store.Store, keyDir string) (string, error) {
	b, err := st.Load(ctx, "config")
	if err != nil {
		return "", err
	}
	cfg, err := format.DecodeConfig(b)
	if err != nil {
		return "", err
	}
	wk := crypto.NewWriteKey()
	keys, err := crypto.DeriveKeys(wk)
	if err != nil {
		return "", err
	}
	rs, err := crypto.ParseRecipients(cfg.Recipients)
	if err != nil {
		return "", err
	}
	enc, err := crypto.EncryptTo(wk, rs...)
	if err != nil {
		return "", err
	}
	cfg.MAC = keys.ConfigMAC(format.ConfigMACInput(cfg))
	cb, err := format.EncodeConfig(cfg)
	if err != nil {
		return "", err
	}
	if err := store.Save(ctx, st, "keys/write.age", enc); err != nil {
		return "", err
	}
	if err := store.Save(ctx, st, "config", cb); err != nil {
		return "", err
	}
	for _, name := range []string{"keys/write.tag", "keys/manifest"} {
		if err := st.Remove(ctx, name); err != nil && !isNotFound(err) {
			return "", err
		}
	}
	for _, dir := range []string{"index", "snapshots"} {
		if err := removeAll(ctx, st, dir); err != nil {
			return "", err
		}
	}
	path := repo.Keys{KeyDir: keyDir}.WriteKeyPath(cfg.ID)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	return cfg.ID, crypto.WriteSecretFile(path, []byte(crypto.EncodeWriteKey(wk)))
}

func removeAll(ctx context.Context, st store.Store, dir string) error {
	var names []string
	if err := st.List(ctx, dir, func(name string, _ int64) error {
		names = append(names, name)
		return nil
	}); err != nil {
		return err
	}
	for _, name := range names {
		if err := st.Remove(ctx, name); err != nil {
			return fmt.Errorf("remove %s: %w", name, err)
		}
	}
	return nil
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
