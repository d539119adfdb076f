package repo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// manifestName vouches for the config and the other key objects: it lists
// their hashes and is MAC'd with the write key. The key commands write
// it, so that sync can tell a copy of the keys made by a write-key holder
// from one a storage holder made up (none of them is named by its hash).
const manifestName = "keys/manifest"

const manifestHeader = "lifeboat keys manifest v1\n"

// keyObjectNames are the objects that are not content-addressed, in the
// order a change writes them: the keys, then the config that lists the
// recipients, then the manifest that vouches for all of them.
var keyObjectNames = []string{identityName, writeTagName, writeKeyName, configName, manifestName}

// KeySet is one location's config and key objects, by name; a name that
// is not in the map is an object the location does not have.
type KeySet map[string][]byte

// LoadKeySet reads the config and key objects of a location.
func LoadKeySet(ctx context.Context, st store.Store) (KeySet, error) {
	s := KeySet{}
	for _, name := range keyObjectNames {
		b, err := loadSmall(ctx, st, name, maxKeyObject)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", st.Location(), store.WithName(name, err))
		}
		s[name] = b
	}
	return s, nil
}

// Equal reports whether two sets hold the same objects with the same bytes.
func (s KeySet) Equal(o KeySet) bool {
	if len(s) != len(o) {
		return false
	}
	for name, b := range s {
		if ob, ok := o[name]; !ok || !bytes.Equal(b, ob) {
			return false
		}
	}
	return true
}

// Differing names the objects that one set has and the other lacks or
// holds with other bytes.
func (s KeySet) Differing(o KeySet) []string {
	var out []string
	for _, name := range keyObjectNames {
		b, ok := s[name]
		ob, ook := o[name]
		if ok != ook || !bytes.Equal(b, ob) {
			out = append(out, name)
		}
	}
	return out
}

// HasConfig reports whether the location has a config (the mark of a
// repository), readable or not.
func (s KeySet) HasConfig() bool { return s.Has(configName) }

// Has reports whether the set holds an object.
func (s KeySet) Has(name string) bool { _, ok := s[name]; return ok }

// Object returns an object's bytes, nil when the set lacks it.
func (s KeySet) Object(name string) []byte { return s[name] }

// Config decodes the set's config.
func (s KeySet) Config() (*format.Config, error) {
	b, ok := s[configName]
	if !ok {
		return nil, fmt.Errorf("no config: %w", ErrNoRepo)
	}
	return format.DecodeConfig(b)
}

// seal sets keys/manifest for the other objects of the set.
func (s KeySet) seal(ks *crypto.Keys) {
	body := s.manifestBody()
	s[manifestName] = fmt.Appendf(body, "mac %s\n", ks.ConfigMAC(body))
}

// Sealed returns a copy of the set with a keys/manifest for its other
// objects, MAC'd with ks: for a repository made before init wrote one.
func (s KeySet) Sealed(ks *crypto.Keys) KeySet {
	c := s.clone()
	c.seal(ks)
	return c
}

// manifestBody lists every object but the manifest, sorted, with its
// BLAKE3 hash. The header keeps its MAC apart from the config's (JSON).
func (s KeySet) manifestBody() []byte {
	var names []string
	for name := range s {
		if name != manifestName {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	b := []byte(manifestHeader)
	for _, name := range names {
		b = fmt.Appendf(b, "%s %s\n", name, format.ID(crypto.ObjectHash(s[name])))
	}
	return b
}

// Verify checks, with the write key, that keys/manifest vouches for
// exactly the objects of the set, and that the config is authentic.
func (s KeySet) Verify(ks *crypto.Keys) error {
	m, ok := s[manifestName]
	if !ok {
		return fmt.Errorf("no keys/manifest: %w", ErrDamaged)
	}
	i := bytes.LastIndex(m, []byte("\nmac "))
	if i < 0 || !bytes.HasSuffix(m, []byte("\n")) {
		return fmt.Errorf("keys/manifest is malformed: %w", ErrDamaged)
	}
	body, mac := m[:i+1], strings.TrimSuffix(string(m[i+len("\nmac "):]), "\n")
	if !ks.VerifyConfigMAC(body, mac) {
		return fmt.Errorf("keys/manifest does not match the write key: %w", ErrDamaged)
	}
	if !bytes.Equal(body, s.manifestBody()) {
		return fmt.Errorf("the config and keys do not match keys/manifest: %w", ErrDamaged)
	}
	cfg, err := s.Config()
	if err != nil {
		return err
	}
	if !ks.VerifyConfigMAC(format.ConfigMACInput(cfg), cfg.MAC) {
		return fmt.Errorf("config does not match the write key: %w", ErrDamaged)
	}
	return nil
}

// Write makes st's config and key objects those of the set: objects that
// differ are written in keyObjectNames order and read back, then those
// the set lacks are removed. It returns the names written or removed.
//
// Each object is replaced atomically (store.Save writes a temporary
// object and renames it); an interrupted Write leaves a mix that the
// manifest no longer vouches for, and running the change again, or sync,
// finishes it.
func (s KeySet) Write(ctx context.Context, st store.Store) ([]string, error) {
	var changed []string
	for _, name := range keyObjectNames {
		want, ok := s[name]
		if !ok {
			continue
		}
		if have, err := LoadObject(ctx, st, name); err == nil && bytes.Equal(have, want) {
			continue
		}
		if err := store.Save(ctx, st, name, want); err != nil {
			return changed, fmt.Errorf("%s: write %s: %w", st.Location(), name, err)
		}
		if back, err := LoadObject(ctx, st, name); err != nil || !bytes.Equal(back, want) {
			return changed, fmt.Errorf("%s: %s does not read back as written", st.Location(), name)
		}
		changed = append(changed, name)
	}
	for _, name := range keyObjectNames {
		if _, ok := s[name]; ok {
			continue
		}
		err := st.Remove(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return changed, fmt.Errorf("%s: remove %s: %w", st.Location(), name, err)
		}
		changed = append(changed, name)
	}
	return changed, nil
}

// clone returns a copy of the set (the byte slices are shared; they are
// never modified in place).
func (s KeySet) clone() KeySet {
	c := make(KeySet, len(s))
	for k, v := range s {
		c[k] = v
	}
	return c
}
