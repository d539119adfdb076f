package format

import (
	"encoding/binary"
	"errors"
)

// A pack file is
//
//	age-encrypted stream of blob payloads, back to back
//	sealed trailer (EncodeTrailer, sealed with the repository's metadata key)
//	uint32 little-endian length of the sealed trailer
//	magic "lbp1"
//
// The trailer lets the index be rebuilt from the packs with only the write key.

// PackMagic ends every pack file.
const PackMagic = "lbp1"

// PackFooterSize is the size of the fixed footer after the sealed trailer.
const PackFooterSize = 8

// trailerVersion prefixes every trailer.
const trailerVersion = 1

// EncodeTrailer encodes the blob list of a pack.
func EncodeTrailer(entries []BlobEntry) []byte {
	return EncodeTrailerOf(len(entries), func(i int) *BlobEntry { return &entries[i] })
}

// EncodeTrailerOf is EncodeTrailer of n entries, entry(i) giving each,
// for a writer that keeps them in pieces.
func EncodeTrailerOf(n int, entry func(i int) *BlobEntry) []byte {
	e := encoder{b: make([]byte, 0, 48*n+4)}
	e.byte(trailerVersion)
	e.uvarint(uint64(n))
	for i := 0; i < n; i++ {
		e.blobEntry(entry(i))
	}
	return e.b
}

// DecodeTrailer decodes the blob list of a pack.
func DecodeTrailer(b []byte) ([]BlobEntry, error) {
	d := decoder{b: b}
	if v := d.byte(); d.err == nil && v != trailerVersion {
		return nil, corrupt("unknown pack trailer version")
	}
	es := d.blobEntries()
	if err := d.done(); err != nil {
		return nil, err
	}
	return es, nil
}

// PackFooter returns the footer for a sealed trailer of n bytes.
func PackFooter(n int) []byte {
	f := binary.LittleEndian.AppendUint32(nil, uint32(n))
	return append(f, PackMagic...)
}

// ErrNotPack is returned for bytes that do not end like a pack.
var ErrNotPack = errors.New("not a lifeboat pack")

// ParsePackFooter returns the sealed trailer's length, given the last
// PackFooterSize bytes of a pack of size packSize.
func ParsePackFooter(footer []byte, packSize int64) (int, error) {
	if len(footer) != PackFooterSize || string(footer[4:]) != PackMagic {
		return 0, ErrNotPack
	}
	n := int64(binary.LittleEndian.Uint32(footer))
	if n > packSize-PackFooterSize || n > 64<<20 {
		return 0, ErrNotPack
	}
	return int(n), nil
}
