package iosgen

import (
	"encoding/binary"
	"fmt"
	"io"
)

// manifestClass is the protection class ManifestKey is wrapped with.
const manifestClass = 4

// keys is an encrypted backup's key material: the keybag as written, the
// class keys it wraps, and Manifest.db's key.
type keys struct {
	rand        io.Reader
	keybag      []byte
	class       map[uint32][]byte
	manifestKey []byte // the plain key
	manifestKF  []byte // ManifestKey as written: class, wrapped key
}

// newKeys makes random class keys for classes 1 to 11 and a keybag that
// wraps each under the password's key.
func newKeys(o Options) (*keys, error) {
	k := &keys{rand: o.Rand, class: map[uint32][]byte{}}
	salt, dpsl, uuid := k.random(20), k.random(20), k.random(16)
	pk, err := passwordKey(o.Password, salt, o.Iter, dpsl, o.DPIC, o.Legacy)
	if err != nil {
		return nil, err
	}
	var kb []byte
	kb = tlv(kb, "VERS", u32(5))
	kb = tlv(kb, "TYPE", u32(1)) // a backup keybag
	kb = tlv(kb, "UUID", uuid)
	kb = tlv(kb, "HMCK", k.random(40))
	kb = tlv(kb, "WRAP", u32(0))
	kb = tlv(kb, "SALT", salt)
	kb = tlv(kb, "ITER", u32(uint32(o.Iter)))
	if !o.Legacy {
		kb = tlv(kb, "DPWT", u32(1))
		kb = tlv(kb, "DPIC", u32(uint32(o.DPIC)))
		kb = tlv(kb, "DPSL", dpsl)
	}
	for c := uint32(1); c <= 11; c++ {
		key := k.random(32)
		wrapped, err := wrapKey(pk, key)
		if err != nil {
			return nil, err
		}
		k.class[c] = key
		kb = tlv(kb, "UUID", k.random(16))
		kb = tlv(kb, "CLAS", u32(c))
		kb = tlv(kb, "WRAP", u32(2))
		kb = tlv(kb, "KTYP", u32(0))
		kb = tlv(kb, "WPKY", wrapped)
	}
	k.keybag = kb
	k.manifestKey = k.random(32)
	if k.manifestKF, err = k.wrapFor(manifestClass, k.manifestKey); err != nil {
		return nil, err
	}
	return k, nil
}

// wrapFor wraps key with the key of class, prefixed by the class number
// in 4 little-endian bytes, as ManifestKey and EncryptionKey are.
func (k *keys) wrapFor(class uint32, key []byte) ([]byte, error) {
	ck, ok := k.class[class]
	if !ok {
		return nil, fmt.Errorf("no class %d key", class)
	}
	w, err := wrapKey(ck, key)
	if err != nil {
		return nil, err
	}
	return append(binary.LittleEndian.AppendUint32(nil, class), w...), nil
}

// encryptFile encrypts data under key and gives the ciphertext and the
// EncryptionKey field that unwraps that key.
func (k *keys) encryptFile(class uint32, key, data []byte) ([]byte, []byte, error) {
	field, err := k.wrapFor(class, key)
	if err != nil {
		return nil, nil, err
	}
	enc, err := encryptCBC(key, data)
	return enc, field, err
}

func (k *keys) random(n int) []byte {
	b := make([]byte, n)
	if _, err := io.ReadFull(k.rand, b); err != nil {
		panic(fmt.Sprintf("iosgen: random bytes: %v", err))
	}
	return b
}
