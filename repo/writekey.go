package repo

import (
	"bytes"
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"strings"

	"filippo.io/age"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/store"
)

// writeTagName holds one line per X25519 identity known at init:
// "RECIPIENT TAG", TAG being crypto.WriteKeyTag of the write key.
const writeTagName = "keys/write.tag"

// Object size limits, checked before anything is read whole.
const (
	maxKeyObject      = 64 << 10
	maxIndexObject    = 256 << 20
	maxSnapshotObject = 16 << 20
)

// loadSmall reads an object after checking its size, so a hostile store
// cannot make lifeboat allocate without bound.
func loadSmall(ctx context.Context, st store.Store, name string, limit int64) ([]byte, error) {
	n, err := st.Stat(ctx, name)
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, fmt.Errorf("%s is %d bytes, more than %d: %w", name, n, limit, ErrDamaged)
	}
	return st.Load(ctx, name)
}

// writeKeyTags computes the tag lines for the identities of an identity
// file.
func writeKeyTags(identityFile, writeKey []byte, repoID string) ([]byte, error) {
	ids, err := crypto.ParseIdentities(identityFile)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, id := range ids {
		if x, ok := id.(*age.X25519Identity); ok {
			fmt.Fprintf(&b, "%s %s\n", x.Recipient(), crypto.WriteKeyTag(x.String(), writeKey, repoID))
		}
	}
	return b.Bytes(), nil
}

// verifyWriteKey checks the write key recovered from keys/write.age: it
// must equal this machine's copy when there is one, and its tag must match
// for every loaded identity that has one. A key that neither vouches for
// is refused (ErrUnvouched): anyone can encrypt a write key of their own
// to the public recipients, so a key nothing vouches for could make a
// storage holder's snapshots look genuine.
func (r *Repository) verifyWriteKey(ctx context.Context, k Keys, ids []age.Identity, wk []byte, stored bool) error {
	verified := false
	if local, err := k.localWriteKey(r.cfg.ID); err == nil {
		if !hmac.Equal(local, wk) {
			return fmt.Errorf("keys/write.age holds another write key than this machine's (tampered?): %w", ErrDamaged)
		}
		verified = true
	}
	b, err := loadSmall(ctx, r.st, writeTagName, maxKeyObject)
	switch {
	case errors.Is(err, store.ErrNotFound):
		b = nil // checked below: no tag vouches
	case err != nil:
		return err
	}
	tags := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if rcpt, tag, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
			tags[rcpt] = tag
		}
	}
	for _, id := range ids {
		x, ok := id.(*age.X25519Identity)
		if !ok {
			continue
		}
		want, ok := tags[x.Recipient().String()]
		if !ok {
			continue
		}
		if !hmac.Equal([]byte(want), []byte(crypto.WriteKeyTag(x.String(), wk, r.cfg.ID))) {
			return fmt.Errorf("keys/write.age is not the write key this repository was made with (forged?): %w", ErrDamaged)
		}
		verified = true
	}
	switch {
	case verified:
		return nil
	case stored:
		// init always tags the write key for the stored identity.
		return fmt.Errorf("keys/write.tag lacks the tag of the passphrase-protected identity (removed?): %w", ErrUnvouched)
	case len(tags) == 0:
		return fmt.Errorf("keys/write.tag is missing and this machine has no copy of the write key: %w", ErrUnvouched)
	}
	return fmt.Errorf("keys/write.tag has no tag for this identity and this machine has no copy of the write key: %w", ErrUnvouched)
}
