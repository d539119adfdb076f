package repo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"filippo.io/age"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// Errors of the key commands; the CLI reports them as usage errors.
var (
	// ErrBadRecipient: not an age X25519 public key (age1...).
	ErrBadRecipient = errors.New("not a valid age public key (age1...)")
	// ErrDuplicateRecipient: the key is already a recipient, or given twice.
	ErrDuplicateRecipient = errors.New("already a recipient")
	// ErrNotRecipient: the key is not a recipient of the repository.
	ErrNotRecipient = errors.New("not a recipient of this repository")
	// ErrLastRecipient: a repository needs at least one recipient.
	ErrLastRecipient = errors.New("the last recipient cannot be removed")
	// ErrProtectedRecipient: removing the key needs Force.
	ErrProtectedRecipient = errors.New("protected recipient")
	// ErrNoStoredIdentity: the repository keeps no passphrase-protected
	// identity.
	ErrNoStoredIdentity = errors.New("the repository stores no passphrase-protected identity")
)

// ParseRecipient checks an age X25519 public key and returns its
// canonical form. Its error never echoes the input (it may be a secret
// key given by mistake).
func ParseRecipient(s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(strings.ToUpper(s), "AGE-SECRET-KEY-") {
		return "", fmt.Errorf("%w: that is a secret key (an identity); give its public key", ErrBadRecipient)
	}
	r, err := age.ParseX25519Recipient(s)
	if err != nil {
		return "", ErrBadRecipient
	}
	return r.String(), nil
}

// KeyInfo describes a repository's keys as this machine sees them.
type KeyInfo struct {
	ID         string
	Recipients []string
	// PassphraseIdentity: keys/identity.age holds an identity wrapped
	// with a passphrase.
	PassphraseIdentity bool
	// StoredRecipient is the public key of the stored identity, as
	// keys/write.tag names it ("" when unknown). It is a hint: nothing
	// authenticates it without the passphrase.
	StoredRecipient string
	// IdentityFile is the identity file this machine uses (--identity,
	// else the default one when it exists); LocalRecipients are its
	// public keys.
	IdentityFile    string
	LocalRecipients []string
	// WriteKeyFile is this machine's write key file, "" when it has none.
	WriteKeyFile string
}

// ListKeys reads the keys of the repository in st. It needs no secret.
func ListKeys(ctx context.Context, st store.Store, k Keys) (*KeyInfo, error) {
	cfg, err := loadConfig(ctx, st)
	if err != nil {
		return nil, err
	}
	info := &KeyInfo{ID: cfg.ID, Recipients: cfg.Recipients, PassphraseIdentity: cfg.HasPassphraseIdentity}
	if info.StoredRecipient, err = storedRecipient(ctx, st, cfg); err != nil {
		return nil, err
	}
	if info.IdentityFile, info.LocalRecipients, err = k.localIdentity(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(k.WriteKeyPath(cfg.ID)); err == nil {
		info.WriteKeyFile = k.WriteKeyPath(cfg.ID)
	}
	return info, nil
}

// storedRecipient names the recipient of the passphrase-protected
// identity: init writes exactly its tag to keys/write.tag.
func storedRecipient(ctx context.Context, st store.Store, cfg *format.Config) (string, error) {
	if !cfg.HasPassphraseIdentity {
		return "", nil
	}
	tags, err := loadSmall(ctx, st, writeTagName, maxKeyObject)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(tags), "\n") {
		if rcpt, _, ok := strings.Cut(strings.TrimSpace(line), " "); ok && slices.Contains(cfg.Recipients, rcpt) {
			return rcpt, nil
		}
	}
	return "", nil
}

// localIdentity returns the identity file this machine uses and the
// public keys of its X25519 identities; "" when there is none.
func (k Keys) localIdentity() (string, []string, error) {
	path := k.IdentityFile
	if path == "" {
		path = k.DefaultIdentityFile
		if path == "" {
			path = DefaultIdentityFile()
		}
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return "", nil, nil
		}
	}
	ids, err := readIdentityFile(path)
	if err != nil {
		return "", nil, err
	}
	var rcpts []string
	for _, id := range ids {
		if x, ok := id.(*age.X25519Identity); ok {
			rcpts = append(rcpts, x.Recipient().String())
		}
	}
	return path, rcpts, nil
}

// KeyEditor changes a repository's recipients. It holds the write key,
// never the identity (unless the write key had to be recovered with it).
type KeyEditor struct {
	st   store.Store
	k    Keys
	cfg  *format.Config
	keys *crypto.Keys
	cur  KeySet
}

// EditKeys opens the keys of the repository in st for a change. The
// write key comes from this machine, or from keys/write.age with the
// identity (as for AccessMeta); a write key that nothing vouches for is
// refused, since the change re-encrypts it to new recipients.
func EditKeys(ctx context.Context, st store.Store, k Keys) (*KeyEditor, error) {
	cfg, err := loadConfig(ctx, st)
	if err != nil {
		return nil, err
	}
	r := &Repository{st: st, cfg: cfg}
	if err := r.unlock(ctx, k, AccessMeta); err != nil {
		return nil, err
	}
	if !r.keys.VerifyConfigMAC(format.ConfigMACInput(cfg), cfg.MAC) {
		return nil, fmt.Errorf("config does not match the write key: %w", ErrWrongKey)
	}
	if r.saveKey != nil {
		if err := k.saveWriteKey(cfg.ID, r.saveKey); err != nil {
			return nil, fmt.Errorf("remember write key: %w", err)
		}
	}
	cur, err := LoadKeySet(ctx, st)
	if err != nil {
		return nil, err
	}
	return &KeyEditor{st: st, k: k, cfg: cfg, keys: r.keys, cur: cur}, nil
}

// Config returns the config as it was when the editor was opened.
func (e *KeyEditor) Config() *format.Config { return e.cfg }

// AddRecipients adds age public keys to the config and re-encrypts
// keys/write.age to every recipient. Data written from now on is
// encrypted to the new keys too; data already written is not.
func (e *KeyEditor) AddRecipients(ctx context.Context, keys []string) (KeySet, error) {
	rcpts := slices.Clone(e.cfg.Recipients)
	for _, key := range keys {
		r, err := ParseRecipient(key)
		if err != nil {
			return nil, err
		}
		if slices.Contains(rcpts, r) {
			return nil, fmt.Errorf("%s: %w", r, ErrDuplicateRecipient)
		}
		rcpts = append(rcpts, r)
	}
	if len(rcpts) == len(e.cfg.Recipients) {
		return nil, fmt.Errorf("no recipient to add: %w", ErrBadRecipient)
	}
	cfg := *e.cfg
	cfg.Recipients = rcpts
	return e.commit(ctx, &cfg, e.cur.clone())
}

// RemoveOptions say what a removal may take with it.
type RemoveOptions struct {
	// Force removes the recipient of the stored identity (deleting
	// keys/identity.age) or of this machine's identity.
	Force bool
}

// RemoveResult says what a removal did besides removing the recipient.
type RemoveResult struct {
	// StoredIdentityRemoved: the recipient was the stored identity's,
	// and keys/identity.age was deleted.
	StoredIdentityRemoved bool
	// LocalIdentity: the recipient was this machine's identity.
	LocalIdentity bool
}

// RemoveRecipient removes an age public key from the config and
// re-encrypts keys/write.age to the others. It refuses the last
// recipient, and without Force the recipient of the stored identity or
// of this machine's identity.
func (e *KeyEditor) RemoveRecipient(ctx context.Context, key string, o RemoveOptions) (KeySet, *RemoveResult, error) {
	r, err := ParseRecipient(key)
	if err != nil {
		return nil, nil, err
	}
	if !slices.Contains(e.cfg.Recipients, r) {
		return nil, nil, fmt.Errorf("%s: %w", r, ErrNotRecipient)
	}
	if len(e.cfg.Recipients) == 1 {
		return nil, nil, fmt.Errorf("%s: %w", r, ErrLastRecipient)
	}
	res := &RemoveResult{}
	stored, err := storedRecipient(ctx, e.st, e.cfg)
	if err != nil {
		return nil, nil, err
	}
	_, local, err := e.k.localIdentity()
	if err != nil {
		return nil, nil, err
	}
	res.StoredIdentityRemoved = r == stored
	res.LocalIdentity = slices.Contains(local, r)
	switch {
	case res.StoredIdentityRemoved && !o.Force:
		return nil, nil, fmt.Errorf("%s is the key of the identity stored in the repository: without it the passphrase "+
			"opens nothing written from now on (pass --force to remove it and delete keys/identity.age): %w", r, ErrProtectedRecipient)
	case res.LocalIdentity && !o.Force:
		return nil, nil, fmt.Errorf("%s is the key of this machine's identity: it would no longer decrypt what is "+
			"written from now on (pass --force to remove it anyway): %w", r, ErrProtectedRecipient)
	}
	cfg := *e.cfg
	cfg.Recipients = slices.DeleteFunc(slices.Clone(e.cfg.Recipients), func(s string) bool { return s == r })
	set := e.cur.clone()
	if res.StoredIdentityRemoved {
		cfg.HasPassphraseIdentity = false
		delete(set, identityName)
	}
	dropTag(set, r)
	set, err = e.commit(ctx, &cfg, set)
	return set, res, err
}

// dropTag removes a recipient's line from keys/write.tag, and the object
// when no line is left.
func dropTag(set KeySet, rcpt string) {
	tags, ok := set[writeTagName]
	if !ok {
		return
	}
	var keep []string
	for _, line := range strings.Split(string(tags), "\n") {
		if r, _, ok := strings.Cut(strings.TrimSpace(line), " "); ok && r != rcpt {
			keep = append(keep, line)
		}
	}
	if len(keep) == 0 {
		delete(set, writeTagName)
		return
	}
	set[writeTagName] = []byte(strings.Join(keep, "\n") + "\n")
}

// commit writes a new config, keys/write.age encrypted to its
// recipients, and the manifest.
func (e *KeyEditor) commit(ctx context.Context, cfg *format.Config, set KeySet) (KeySet, error) {
	// The CLI holds the repository's write lock (lock.Write) meanwhile.
	cfg.MAC = e.keys.ConfigMAC(format.ConfigMACInput(cfg))
	cb, err := format.EncodeConfig(cfg)
	if err != nil {
		return nil, err
	}
	rs, err := crypto.ParseRecipients(cfg.Recipients)
	if err != nil {
		return nil, err
	}
	wrapped, err := crypto.EncryptTo(e.keys.WriteKey(), rs...)
	if err != nil {
		return nil, err
	}
	set[configName], set[writeKeyName] = cb, wrapped
	set.seal(e.keys)
	if _, err := set.Write(ctx, e.st); err != nil {
		return nil, err
	}
	return set, nil
}

// WriteKeys returns the keys derived from this machine's write key for a
// repository, or ErrNoWriteKey.
func (k Keys) WriteKeys(repoID string) (*crypto.Keys, error) {
	wk, err := k.localWriteKey(repoID)
	if err != nil {
		return nil, err
	}
	return crypto.DeriveKeys(wk)
}

// packOpenError explains why a pack's age header did not open. Since
// 'key add', packs may be encrypted to different recipients: a pack
// written before the loaded identity's key was added does not open with
// it, which is a key that does not reach back that far, not damage. A
// pack that no longer matches its name is damage either way.
func packOpenError(obj store.Object, name string, err error) error {
	var nm *age.NoIdentityMatchError
	if errors.As(err, &nm) {
		if id, ok := ParseObjectName(name); ok && objectMatches(obj, id) {
			return fmt.Errorf("%s is not encrypted to the loaded identity (written before its key was added with "+
				"'lifeboat key add'?): %w", name, ErrWrongKey)
		}
	}
	return readError(name, err)
}

// objectMatches reports whether an object's bytes hash to its id.
func objectMatches(obj store.Object, id format.ID) bool {
	h := crypto.NewObjectHasher()
	if _, err := io.Copy(h, io.NewSectionReader(obj, 0, obj.Size())); err != nil {
		return false
	}
	var got format.ID
	copy(got[:], h.Sum(nil))
	return got == id
}
