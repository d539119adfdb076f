package repo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"filippo.io/age"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// CheckKeys verifies the config and key objects of st (see
// KeySet.Problems) and names each one that is damaged or missing.
func CheckKeys(ctx context.Context, st store.Store, ks *crypto.Keys) ([]string, error) {
	set, err := LoadKeySet(ctx, st)
	if err != nil {
		if store.Unavailable(err) || ctx.Err() != nil {
			return nil, err
		}
		return []string{err.Error()}, nil
	}
	return set.Problems(ks), nil
}

// Problems names each config or key object of the set that is damaged
// or missing. Without a key it checks what needs none: keys/manifest's
// hashes against the objects (init writes a manifest; older repositories
// may have none), that the age files have well-formed headers, and the
// form of keys/write.tag. With the write key (ks not nil) it also checks
// the manifest's and the config's MACs.
func (s KeySet) Problems(ks *crypto.Keys) []string {
	var out []string
	cfg, err := s.Config()
	if err != nil {
		out = append(out, fmt.Sprintf("config: %v (damaged)", err))
	}
	if s.Has(manifestName) {
		out = append(out, s.manifestProblems(ks)...)
	}
	if !s.Has(writeKeyName) {
		out = append(out, writeKeyName+": missing")
	} else if !ageHeaderOK(s[writeKeyName]) {
		out = append(out, writeKeyName+": not a well-formed age file (damaged)")
	}
	if b, ok := s[identityName]; ok && !ageHeaderOK(b) {
		out = append(out, identityName+": not a well-formed age file (damaged)")
	}
	if cfg == nil {
		return dedupe(out)
	}
	if cfg.HasPassphraseIdentity && !s.Has(identityName) {
		out = append(out, identityName+": missing (the config says the repository stores the identity)")
	}
	if cfg.HasPassphraseIdentity && !s.Has(writeTagName) {
		out = append(out, writeTagName+": missing (init tags the write key for the stored identity)")
	}
	if b, ok := s[writeTagName]; ok && !tagsOK(b, cfg.Recipients) {
		out = append(out, writeTagName+": malformed or names a key that is not a recipient (damaged)")
	}
	if ks != nil && !ks.VerifyConfigMAC(format.ConfigMACInput(cfg), cfg.MAC) {
		out = append(out, "config: does not match the write key (damaged or tampered with)")
	}
	return dedupe(out)
}

// manifestProblems compares the objects with keys/manifest: every object
// listed must be there with its hash, and no other. With the write key
// the manifest's MAC is checked too.
func (s KeySet) manifestProblems(ks *crypto.Keys) []string {
	m := s[manifestName]
	i := bytes.LastIndex(m, []byte("\nmac "))
	if !bytes.HasPrefix(m, []byte(manifestHeader)) || i < 0 || !bytes.HasSuffix(m, []byte("\n")) {
		return []string{manifestName + ": malformed (damaged)"}
	}
	body, mac := m[:i+1], strings.TrimSuffix(string(m[i+len("\nmac "):]), "\n")
	var out []string
	if ks != nil && !ks.VerifyConfigMAC(body, mac) {
		out = append(out, manifestName+": does not match the write key (damaged or tampered with)")
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(string(body[len(manifestHeader):]), "\n"), "\n") {
		name, hash, ok := strings.Cut(line, " ")
		if !ok || !slices.Contains(keyObjectNames, name) || name == manifestName {
			return append(out, manifestName+": malformed (damaged)")
		}
		listed[name] = true
		b, ok := s[name]
		switch {
		case !ok:
			out = append(out, name+": missing (listed in keys/manifest)")
		case format.ID(crypto.ObjectHash(b)).String() != hash:
			out = append(out, name+": does not match keys/manifest (damaged)")
		}
	}
	for _, name := range keyObjectNames {
		if name != manifestName && s.Has(name) && !listed[name] {
			out = append(out, name+": not listed in keys/manifest (damaged or planted)")
		}
	}
	return out
}

// ageHeaderOK reports whether b is an age file whose header parses: a
// throwaway identity then fails with "no identity matched", any damage to
// the header with another error. The payload is checked only by
// decrypting it, which needs the key.
func ageHeaderOK(b []byte) bool {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return false
	}
	_, err = age.Decrypt(bytes.NewReader(b), id)
	var nm *age.NoIdentityMatchError
	return errors.As(err, &nm)
}

// tagsOK reports whether every line of keys/write.tag is "RECIPIENT TAG"
// with a recipient of the config and a 64-digit hex tag.
func tagsOK(b []byte, recipients []string) bool {
	if len(b) == 0 || !bytes.HasSuffix(b, []byte("\n")) {
		return false
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		rcpt, tag, ok := strings.Cut(line, " ")
		if !ok || !slices.Contains(recipients, rcpt) || len(tag) != 64 || strings.Trim(tag, "0123456789abcdef") != "" {
			return false
		}
	}
	return true
}

func dedupe(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// damagedKeyObject reports whether keys/manifest, where there is one,
// shows that an object was damaged or removed. A key that does not open
// an object is then damage (exit 13), not a wrong key.
func damagedKeyObject(ctx context.Context, st store.Store, name string) bool {
	set, err := LoadKeySet(ctx, st)
	if err != nil || !set.Has(manifestName) {
		return false
	}
	for _, p := range set.manifestProblems(nil) {
		if strings.HasPrefix(p, name+":") || strings.HasPrefix(p, manifestName+":") {
			return true
		}
	}
	return false
}
