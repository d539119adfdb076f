package crypto

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/zeebo/blake3"
)

// KeySize is the size of the write key and of every derived key.
const KeySize = 32

// Keys are the write key and the subkeys derived from it.
type Keys struct {
	write     [KeySize]byte
	blobID    [KeySize]byte
	Chunker   [KeySize]byte // seeds the chunker's gear table
	meta      [KeySize]byte
	configMAC [KeySize]byte
	pathKey   [KeySize]byte
	hasher    *blake3.Hasher // keyed with blobID; cloned per use
}

// NewWriteKey returns a fresh random write key.
func NewWriteKey() []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return k
}

// ErrBadWriteKey is returned for a write key of the wrong form.
var ErrBadWriteKey = errors.New("malformed write key")

// DeriveKeys derives the subkeys of a write key.
func DeriveKeys(writeKey []byte) (*Keys, error) {
	if len(writeKey) != KeySize {
		return nil, ErrBadWriteKey
	}
	k := &Keys{}
	copy(k.write[:], writeKey)
	for _, d := range []struct {
		dst  *[KeySize]byte
		info string
	}{
		{&k.blobID, "lifeboat v1 blob id"},
		{&k.Chunker, "lifeboat v1 chunker"},
		{&k.meta, "lifeboat v1 metadata"},
		{&k.configMAC, "lifeboat v1 config mac"},
		{&k.pathKey, "lifeboat v1 path key"},
	} {
		sub, err := hkdf.Key(sha256.New, writeKey, nil, d.info, KeySize)
		if err != nil {
			return nil, fmt.Errorf("derive %s: %w", d.info, err)
		}
		copy(d.dst[:], sub)
	}
	h, err := blake3.NewKeyed(k.blobID[:])
	if err != nil {
		return nil, err
	}
	k.hasher = h
	return k, nil
}

// WriteKey returns the write key itself, for storing it.
func (k *Keys) WriteKey() []byte { return append([]byte(nil), k.write[:]...) }

// BlobID returns the keyed hash that names a blob with plaintext data.
func (k *Keys) BlobID(data []byte) [32]byte {
	h := k.hasher.Clone()
	h.Write(data)
	var id [32]byte
	h.Sum(id[:0])
	return id
}

// PathKey names a path inside a source without revealing it: 32 hex
// digits of HMAC-SHA256 keyed from the write key. Snapshots keep their
// per-file data (for the mass-deletion alarm) under it, so a write-key
// holder who can read snapshots learns no file name, yet a backup, which
// knows the paths it reads, can match them with the previous snapshot.
func (k *Keys) PathKey(path string) string {
	m := hmac.New(sha256.New, k.pathKey[:])
	m.Write([]byte(path))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// ConfigMAC returns the MAC of a config's bytes.
func (k *Keys) ConfigMAC(data []byte) string {
	m := hmac.New(sha256.New, k.configMAC[:])
	m.Write(data)
	return hex.EncodeToString(m.Sum(nil))
}

// VerifyConfigMAC reports whether mac is the config MAC of data.
func (k *Keys) VerifyConfigMAC(data []byte, mac string) bool {
	want, err := hex.DecodeString(mac)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, k.configMAC[:])
	m.Write(data)
	return hmac.Equal(m.Sum(nil), want)
}

// EncodeWriteKey returns the text form of a write key, as stored in files.
func EncodeWriteKey(k []byte) string { return "LIFEBOAT-WRITE-KEY-1" + hex.EncodeToString(k) + "\n" }

// ParseWriteKey parses the text form of a write key.
func ParseWriteKey(s string) ([]byte, error) {
	const prefix = "LIFEBOAT-WRITE-KEY-1"
	if len(s) < len(prefix) || s[:len(prefix)] != prefix {
		return nil, ErrBadWriteKey
	}
	b, err := hex.DecodeString(trimNewline(s[len(prefix):]))
	if err != nil || len(b) != KeySize {
		return nil, ErrBadWriteKey
	}
	return b, nil
}

func trimNewline(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}

// WriteKeyTag authenticates a repository's write key with an X25519
// identity: only the identity's holder can compute it, so a storage holder
// who encrypts a write key of their own to the public recipients cannot
// pass it off. The key is HKDF-SHA256 of the identity's secret; the tag is
// HMAC-SHA256 over the write key and the repository id.
func WriteKeyTag(identitySecret string, writeKey []byte, repoID string) string {
	k, err := hkdf.Key(sha256.New, []byte(identitySecret), nil, "lifeboat v1 write key tag", KeySize)
	if err != nil {
		panic(err) // fixed sizes never fail
	}
	m := hmac.New(sha256.New, k)
	m.Write(writeKey)
	m.Write([]byte(repoID))
	return hex.EncodeToString(m.Sum(nil))
}
