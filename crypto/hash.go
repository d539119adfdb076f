package crypto

import (
	"hash"

	"github.com/zeebo/blake3"
)

// ObjectHash returns the unkeyed BLAKE3-256 hash that names a stored object
// (pack, index, snapshot). Anyone can check it, with no key.
func ObjectHash(data []byte) [32]byte { return blake3.Sum256(data) }

// NewObjectHasher returns a streaming ObjectHash.
func NewObjectHasher() hash.Hash { return blake3.New() }
