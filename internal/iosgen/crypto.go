package iosgen

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
)

// wrapKey is RFC 3394's AES key wrap of key (a multiple of 8 bytes) under
// kek, written here apart from the reader's unwrap so that one does not
// merely mirror the other.
func wrapKey(kek, key []byte) ([]byte, error) {
	if len(key)%8 != 0 || len(key) < 16 {
		return nil, fmt.Errorf("key wrap: key of %d bytes", len(key))
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	n := len(key) / 8
	a := uint64(0xa6a6a6a6a6a6a6a6)
	r := make([][8]byte, n)
	for i := range r {
		copy(r[i][:], key[i*8:])
	}
	var b [16]byte
	for j := 0; j < 6; j++ {
		for i := 0; i < n; i++ {
			binary.BigEndian.PutUint64(b[:8], a)
			copy(b[8:], r[i][:])
			block.Encrypt(b[:], b[:])
			a = binary.BigEndian.Uint64(b[:8]) ^ uint64(n*j+i+1)
			copy(r[i][:], b[8:])
		}
	}
	out := binary.BigEndian.AppendUint64(nil, a)
	for i := range r {
		out = append(out, r[i][:]...)
	}
	return out, nil
}

// encryptCBC is AES-CBC with a zero IV over data PKCS#7-padded.
func encryptCBC(key, data []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	pad := aes.BlockSize - len(data)%aes.BlockSize
	out := make([]byte, len(data)+pad)
	copy(out, data)
	for i := len(data); i < len(out); i++ {
		out[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, make([]byte, aes.BlockSize)).CryptBlocks(out, out)
	return out, nil
}

// passwordKey is the key that wraps the class keys: PBKDF2-SHA256 over
// dpsl and dpic first unless legacy (before iOS 10.2), then PBKDF2-SHA1
// over salt and iter.
func passwordKey(password []byte, salt []byte, iter int, dpsl []byte, dpic int, legacy bool) ([]byte, error) {
	pw := password
	if !legacy {
		k, err := pbkdf2.Key(sha256.New, string(password), dpsl, dpic, 32)
		if err != nil {
			return nil, err
		}
		pw = k
	}
	return pbkdf2.Key(sha1.New, string(pw), salt, iter, 32)
}

// tlv appends one keybag block: tag, big-endian length, value.
func tlv(b []byte, tag string, v []byte) []byte {
	b = append(b, tag...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(v)))
	return append(b, v...)
}

func u32(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }
