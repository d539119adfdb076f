package repo

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"slices"
	"strings"

	"filippo.io/age"

	"github.com/lifeboat-backup/lifeboat/crypto"
)

// ErrNothingToTag: the identity's keys are not recipients, or already
// tag the write key.
var ErrNothingToTag = errors.New("no recipient of this identity lacks a write-key tag")

// TagWriteKey vouches for the write key with this machine's identity: it
// adds to keys/write.tag the tag of each of the identity's X25519 keys
// that is a recipient and has none. That is the record that lets a new
// machine with the identity trust keys/write.age (see verifyWriteKey) for
// a repository made with --recipient only, or a key added later. The
// editor's write key is this machine's copy or one a tag vouched for, so
// the tag vouches for the key this machine backs up with. It returns the
// recipients it tagged.
func (e *KeyEditor) TagWriteKey(ctx context.Context) (KeySet, []string, error) {
	path, _, err := e.k.localIdentity()
	if err != nil {
		return nil, nil, err
	}
	if path == "" {
		return nil, nil, ErrNoIdentity
	}
	ids, err := readIdentityFile(path)
	if err != nil {
		return nil, nil, err
	}
	set := e.cur.clone()
	old := string(set[writeTagName])
	tags := map[string]string{}
	for _, line := range strings.Split(old, "\n") {
		if rcpt, tag, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
			tags[rcpt] = tag
		}
	}
	var added []string
	lines := old
	if lines != "" && !strings.HasSuffix(lines, "\n") {
		lines += "\n"
	}
	wk := e.keys.WriteKey()
	for _, id := range ids {
		x, ok := id.(*age.X25519Identity)
		if !ok || !slices.Contains(e.cfg.Recipients, x.Recipient().String()) {
			continue
		}
		rcpt, tag := x.Recipient().String(), crypto.WriteKeyTag(x.String(), wk, e.cfg.ID)
		if have, ok := tags[rcpt]; ok {
			if !hmac.Equal([]byte(have), []byte(tag)) {
				return nil, nil, fmt.Errorf("keys/write.tag holds another tag for %s than this write key's: %w", rcpt, ErrDamaged)
			}
			continue
		}
		lines += rcpt + " " + tag + "\n"
		added = append(added, rcpt)
	}
	if len(added) == 0 {
		return nil, nil, ErrNothingToTag
	}
	set[writeTagName] = []byte(lines)
	cfg := *e.cfg
	set, err = e.commit(ctx, &cfg, set)
	return set, added, err
}
