package repo

import (
	"context"
	"errors"
	"fmt"
	"syscall"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// Access is what a command needs from the keys.
type Access int

const (
	// AccessNone needs no key: check without --read-data. The write key is
	// used when this machine has it.
	AccessNone Access = iota
	// AccessWrite needs the write key from this machine and never loads the
	// identity: backup.
	AccessWrite
	// AccessMeta needs the write key, from this machine or via the
	// identity: snapshots.
	AccessMeta
	// AccessRead needs the identity: restore, ls, check --read-data.
	AccessRead
)

// Repository is an open repository.
type Repository struct {
	st         store.Store
	cfg        *format.Config
	keys       *crypto.Keys // nil with AccessNone and no local write key
	recipients []age.Recipient
	identities []age.Identity // nil unless AccessRead
	idx        *Index
	zenc       *zstd.Encoder
	zdec       *zstd.Decoder
	packs      *packCache
	stateDir   string
	// saveKey is the recovered write key, remembered on this machine once
	// the config checks out and the key is verified.
	saveKey []byte
	// listed is what the last Snapshots call found; catalogDamaged the
	// catalogs it could not open; catalogErr why the catalog after the
	// last commit was not written.
	listed         *listing
	catalogDamaged []error
	catalogErr     error
	// maxSeq is the highest commit sequence of the snapshots listed, and
	// seqKnown whether they were listed (see format.Snapshot.Seq).
	maxSeq   uint64
	seqKnown bool
	// fallback reads blobs whose packs are damaged or missing here from a
	// second location (SetFallback); nil without one.
	fallback *fallback
}

// CatalogDamaged returns the errors of catalogs that did not open in the
// last Snapshots call.
func (r *Repository) CatalogDamaged() []error { return r.catalogDamaged }

// CatalogError says why the catalog after the last commit could not be
// written. The snapshot is committed all the same: a snapshot the
// catalog does not list yet is listed by the next one.
func (r *Repository) CatalogError() error { return r.catalogErr }

// Store returns the store under the repository.
func (r *Repository) Store() store.Store { return r.st }

// Config returns the repository config.
func (r *Repository) Config() *format.Config { return r.cfg }

// ID returns the repository id.
func (r *Repository) ID() string { return r.cfg.ID }

// Keys returns the derived keys, or nil when the repository was opened
// without them.
func (r *Repository) Keys() *crypto.Keys { return r.keys }

// Index returns the blob index (empty when opened without keys).
func (r *Repository) Index() *Index { return r.idx }

// CanRead reports whether the identity is loaded.
func (r *Repository) CanRead() bool { return r.identities != nil }

// Open opens the repository in st with the access a command needs.
func Open(ctx context.Context, st store.Store, k Keys, access Access) (*Repository, error) {
	cfg, err := loadConfig(ctx, st)
	if err != nil {
		return nil, err
	}
	r := &Repository{st: st, cfg: cfg, idx: newIndex(), stateDir: k.StateDir}
	if r.stateDir == "" {
		r.stateDir = StateDir()
	}
	if err := r.unlock(ctx, k, access); err != nil {
		return nil, err
	}
	if r.keys != nil {
		if !r.keys.VerifyConfigMAC(format.ConfigMACInput(cfg), cfg.MAC) {
			// keys/manifest tells a changed config from a write key file
			// that belongs to another repository.
			if damagedKeyObject(ctx, st, configName) {
				return nil, fmt.Errorf("config does not match keys/manifest (damaged or tampered with): %w", ErrDamaged)
			}
			return nil, fmt.Errorf("config does not match this machine's write key (changed by someone without it, or the key file is another repository's): %w", ErrWrongKey)
		}
		if r.recipients, err = crypto.ParseRecipients(cfg.Recipients); err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		if r.saveKey != nil {
			if err := k.saveWriteKey(cfg.ID, r.saveKey); err != nil {
				return nil, fmt.Errorf("remember write key: %w", err)
			}
		}
		load := r.idx.load
		if access == AccessWrite {
			load = r.idx.deferLoad // a backup loads it when it needs it
			r.idx.spillTo(r.stateDir)
		}
		if err := load(ctx, r); err != nil {
			return nil, err
		}
	}
	if err := r.initCodecs(); err != nil {
		return nil, err
	}
	r.packs = newPackCache(r)
	return r, nil
}

func loadConfig(ctx context.Context, st store.Store) (*format.Config, error) {
	b, err := loadSmall(ctx, st, configName, maxKeyObject)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%s: %w", st.Location(), ErrNoRepo)
	}
	if errors.Is(err, syscall.ENOTDIR) {
		return nil, fmt.Errorf("%s is a file, not a repository folder: %w", st.Location(), ErrNoRepo)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", st.Location(), err)
	}
	cfg, err := format.DecodeConfig(b)
	if errors.Is(err, format.ErrCorrupt) {
		return nil, fmt.Errorf("%s: %w (%w)", st.Location(), err, ErrDamaged)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", st.Location(), err)
	}
	return cfg, nil
}

// unlock finds the keys that access needs.
func (r *Repository) unlock(ctx context.Context, k Keys, access Access) error {
	if access == AccessRead {
		return r.unlockWithIdentity(ctx, k)
	}
	wk, err := k.localWriteKey(r.cfg.ID)
	switch {
	case err == nil:
		r.keys, err = crypto.DeriveKeys(wk)
		return err
	case errors.Is(err, ErrNoWriteKey) && access == AccessNone:
		return nil
	case errors.Is(err, ErrNoWriteKey) && access == AccessMeta:
		return r.unlockWithIdentity(ctx, k)
	default:
		return err
	}
}

// unlockWithIdentity loads the identity, recovers the write key from the
// repository with it, and remembers the write key on this machine.
func (r *Repository) unlockWithIdentity(ctx context.Context, k Keys) error {
	ids, stored, err := k.identities(ctx, r.st, r.cfg)
	if err != nil {
		return err
	}
	wrapped, err := loadSmall(ctx, r.st, writeKeyName, maxKeyObject)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("keys/write.age is missing: %w", ErrDamaged)
	}
	if err != nil {
		return fmt.Errorf("load write key: %w", err)
	}
	wk, err := crypto.DecryptWith(wrapped, ids...)
	if errors.Is(err, crypto.ErrWrongKey) && damagedKeyObject(ctx, r.st, writeKeyName) {
		return fmt.Errorf("keys/write.age does not match keys/manifest: %w", ErrDamaged)
	}
	if errors.Is(err, crypto.ErrWrongKey) {
		return fmt.Errorf("the identity does not open this repository: %w", ErrWrongKey)
	}
	if err != nil {
		return fmt.Errorf("decrypt write key: %w", ErrDamaged)
	}
	if r.keys, err = crypto.DeriveKeys(wk); err != nil {
		return fmt.Errorf("write key: %w", ErrDamaged)
	}
	if err := r.verifyWriteKey(ctx, k, ids, wk, stored); err != nil {
		return err
	}
	r.identities = ids
	r.saveKey = wk
	return nil
}

func (r *Repository) initCodecs() error {
	var err error
	// WithLowerEncoderMem is left off: it made the small files' first
	// backup about 6% slower (a median 7.5 against 7.1 s of CPU for 100,000
	// files, slower in 5 pairs of 6) and saved no memory, there or on 100 MB
	// of text.
	r.zenc, err = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest),
		zstd.WithEncoderCRC(false))
	if err != nil {
		return err
	}
	r.zdec, err = zstd.NewReader(nil, zstd.WithDecoderMaxMemory(format.MaxBlobSize),
		zstd.WithDecoderMaxWindow(format.MaxBlobSize), zstd.WithDecoderConcurrency(0))
	return err
}

// Close releases open packs and the index's spill file.
func (r *Repository) Close() error {
	r.idx.close()
	if r.fallback != nil {
		r.fallback.r.packs.close()
	}
	if r.packs != nil {
		r.packs.close()
	}
	if r.zdec != nil {
		r.zdec.Close()
	}
	return nil
}
