package repo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"filippo.io/age"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// DefaultChunking is the chunking of file data in new repositories; each
// repository keeps the parameters its config names, so older ones go on
// with theirs (and deduplicate as before), and every version reads them
// all. A smaller average chunk shrinks what an edit in the middle of a big
// file rewrites: gear hashing with normalized chunking (level 2) re-finds
// the old cut points only a few chunks after the edit. One 1 MiB overwrite
// of a random file rewrote a median of 3.0 MiB with the 1 MiB average of
// chunker.Default (200 keys); over 300 keys of a 24 MiB file, with the
// 512 KiB of repositories made in early December 2026, a median of
// 2.15 MiB and a mean of 2.57, but 26% of keys past 3 MiB (and the
// median of a benchmark's 5 keys past it one run in eight); with 256 KiB,
// 1.59 and 1.73, and 2.7% past 3 MiB. The cost, measured: 2 GiB of
// photos back up in the same CPU (3.46 s against 3.51, medians of 5) into
// a repository 0.03% larger; the +5% run took 0.259 s against 0.255.
// Min at half of Avg hashes the same share of the bytes.
var DefaultChunking = format.Chunking{Min: 128 << 10, Avg: 256 << 10, Max: 8 << 20}

// InitOptions say how to key a new repository.
type InitOptions struct {
	// Recipients are existing age public keys. Without them (or with a
	// passphrase) init makes an identity.
	Recipients []string
	// Passphrase, when set, stores the identity in the repository wrapped
	// with it (age scrypt).
	Passphrase string
	// ScryptWorkFactor is age's log2 scrypt cost; 0 for age's default.
	ScryptWorkFactor int
	// IdentityFile is where a generated identity is written when there is
	// no passphrase, and an existing one there is reused.
	IdentityFile string
	// KeyDir holds this machine's write keys.
	KeyDir string
}

// InitResult says what init made.
type InitResult struct {
	ID string
	// Recipients the repository encrypts to.
	Recipients []string
	// IdentityFile is set when init wrote or reused a local identity file.
	IdentityFile string
	// NewIdentity is true when the identity was generated now.
	NewIdentity bool
	// WriteKeyFile is this machine's copy of the write key.
	WriteKeyFile string
}

// Init creates a repository in st. It refuses a location that has one.
func Init(ctx context.Context, st store.Store, o InitOptions) (*InitResult, error) {
	if err := checkEmpty(ctx, st); err != nil {
		return nil, err
	}
	if err := store.MakeRoot(st); err != nil {
		return nil, err
	}
	res := &InitResult{ID: newRepoID(), Recipients: append([]string(nil), o.Recipients...)}
	idFile, newID, err := identityForInit(o, res)
	if err != nil {
		return nil, err
	}
	if _, err := crypto.ParseRecipients(res.Recipients); err != nil {
		return nil, err
	}
	wk := crypto.NewWriteKey()
	keys, err := crypto.DeriveKeys(wk)
	if err != nil {
		return nil, err
	}
	if err := storeKeys(ctx, st, o, res, wk, idFile); err != nil {
		return nil, err
	}
	cfg := &format.Config{Version: format.Version, ID: res.ID, Created: time.Now().UTC(),
		Recipients: res.Recipients, Chunker: DefaultChunking, HasPassphraseIdentity: o.Passphrase != ""}
	cfg.MAC = keys.ConfigMAC(format.ConfigMACInput(cfg))
	cb, err := format.EncodeConfig(cfg)
	if err != nil {
		return nil, err
	}
	k := Keys{KeyDir: o.KeyDir}
	if err := k.saveWriteKey(res.ID, wk); err != nil {
		return nil, fmt.Errorf("save write key: %w", err)
	}
	res.WriteKeyFile = k.WriteKeyPath(res.ID)
	// keys/manifest vouches for the keys and the config from the start,
	// so that check can tell a damaged one and sync heal it.
	set, err := LoadKeySet(ctx, st)
	if err != nil {
		return nil, err
	}
	set[configName] = cb
	set.seal(keys)
	if err := store.Save(ctx, st, manifestName, set[manifestName]); err != nil {
		return nil, err
	}
	// The config is written last: a repository exists once it has one.
	if err := saveNew(ctx, st, configName, cb); err != nil {
		return nil, err
	}
	if newID && o.Passphrase == "" {
		res.NewIdentity = true
	}
	return res, nil
}

// identityForInit decides the identity: none with recipients only, else
// the local identity file (reused or created), or a fresh one that only
// the passphrase will protect.
func identityForInit(o InitOptions, res *InitResult) (idFile []byte, generated bool, err error) {
	if len(o.Recipients) > 0 && o.Passphrase == "" {
		return nil, false, nil
	}
	if o.IdentityFile != "" {
		b, err := crypto.ReadSecretFile(o.IdentityFile)
		if err == nil {
			ids, err := crypto.ParseIdentities(b)
			if err != nil {
				return nil, false, fmt.Errorf("%s: %w", o.IdentityFile, err)
			}
			x, ok := ids[0].(*age.X25519Identity)
			if !ok {
				return nil, false, fmt.Errorf("%s: not an X25519 identity", o.IdentityFile)
			}
			res.Recipients = append(res.Recipients, x.Recipient().String())
			res.IdentityFile = o.IdentityFile
			return b, false, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, false, err
		}
	}
	id, err := crypto.GenerateIdentity()
	if err != nil {
		return nil, false, err
	}
	res.Recipients = append(res.Recipients, id.Recipient().String())
	idFile = crypto.IdentityFile(id, time.Now().UTC().Format(time.RFC3339))
	if o.Passphrase == "" && o.IdentityFile != "" {
		if err := os.MkdirAll(filepath.Dir(o.IdentityFile), 0o700); err != nil {
			return nil, false, err
		}
		err := crypto.WriteSecretFile(o.IdentityFile, idFile)
		if errors.Is(err, fs.ErrExist) {
			// Another run made it a moment ago: use that one, as if it
			// had been there first.
			res.Recipients = res.Recipients[:len(res.Recipients)-1]
			return identityForInit(o, res)
		}
		if err != nil {
			return nil, false, fmt.Errorf("write identity: %w", err)
		}
		res.IdentityFile = o.IdentityFile
	}
	return idFile, true, nil
}

// storeKeys writes keys/write.age and, with a passphrase, keys/identity.age.
func storeKeys(ctx context.Context, st store.Store, o InitOptions, res *InitResult, wk, idFile []byte) error {
	rs, err := crypto.ParseRecipients(res.Recipients)
	if err != nil {
		return err
	}
	enc, err := crypto.EncryptTo(wk, rs...)
	if err != nil {
		return err
	}
	// keys/write.age is the claim: of two inits racing for one location,
	// only one can store it, and the other stops before writing anything.
	if err := saveNew(ctx, st, writeKeyName, enc); err != nil {
		return err
	}
	if idFile != nil {
		tags, err := writeKeyTags(idFile, wk, res.ID)
		if err != nil {
			return err
		}
		if err := saveNew(ctx, st, writeTagName, tags); err != nil {
			return err
		}
	}
	if o.Passphrase == "" {
		return nil
	}
	wrapped, err := crypto.WrapIdentity(idFile, o.Passphrase, o.ScryptWorkFactor)
	if err != nil {
		return err
	}
	return saveNew(ctx, st, identityName, wrapped)
}

// saveNew stores one of init's objects only where its name is free: a
// name taken means another init is making a repository in the same place
// at the same time (ErrExists, and that one wins).
func saveNew(ctx context.Context, st store.Store, name string, data []byte) error {
	err := store.SaveNew(ctx, st, name, data)
	if errors.Is(err, store.ErrTaken) {
		return fmt.Errorf("%s: another init created a repository there at the same time: %w", st.Location(), ErrExists)
	}
	return err
}

// checkEmpty refuses a location that has a config, or repository objects
// without one (a damaged repository must not be initialised over).
func checkEmpty(ctx context.Context, st store.Store) error {
	_, err := st.Stat(ctx, configName)
	if err == nil {
		return fmt.Errorf("%s: %w", st.Location(), ErrExists)
	}
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	for _, dir := range []string{"keys", "data", "index", "snapshots", "catalog"} {
		found := false
		err := st.List(ctx, dir, func(string, int64) error {
			found = true
			return errStop
		})
		if err != nil && !errors.Is(err, errStop) {
			return err
		}
		if found {
			return fmt.Errorf("%s holds repository objects but no config (damaged?); not creating a new repository over them: %w",
				st.Location(), ErrExists)
		}
	}
	return nil
}

var errStop = errors.New("stop")

func newRepoID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
