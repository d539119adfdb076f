package crypto

import (
	"crypto/rand"
	"errors"

	"golang.org/x/crypto/chacha20poly1305"
)

// ErrAuth is returned when sealed bytes fail authentication: they were
// damaged, forged, or sealed with another repository's key.
var ErrAuth = errors.New("authentication failed")

// Labels bind sealed bytes to what they are, so one object cannot be passed
// off as another kind.
const (
	LabelIndex    = "lifeboat v1 index"
	LabelSnapshot = "lifeboat v1 snapshot"
	LabelTrailer  = "lifeboat v1 pack trailer"
	LabelCatalog  = "lifeboat v1 catalog"
)

// SealOverhead is the number of bytes Seal adds.
const SealOverhead = chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

// Seal encrypts and authenticates plaintext with the metadata key, bound to
// label. The result is nonce || ciphertext.
func (k *Keys) Seal(label string, plaintext []byte) []byte {
	aead, _ := chacha20poly1305.NewX(k.meta[:]) // the key size is fixed
	out := make([]byte, chacha20poly1305.NonceSizeX, SealOverhead+len(plaintext))
	if _, err := rand.Read(out); err != nil {
		panic(err)
	}
	return aead.Seal(out, out, plaintext, []byte(label))
}

// Open reverses Seal. It returns ErrAuth for anything not sealed by Seal
// with the same key and label.
func (k *Keys) Open(label string, sealed []byte) ([]byte, error) {
	if len(sealed) < SealOverhead {
		return nil, ErrAuth
	}
	aead, _ := chacha20poly1305.NewX(k.meta[:])
	n := chacha20poly1305.NonceSizeX
	pt, err := aead.Open(nil, sealed[:n], sealed[n:], []byte(label))
	if err != nil {
		return nil, ErrAuth
	}
	return pt, nil
}
