package repo

import (
	"errors"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
)

// TestDecompressionBounded: a blob whose zstd payload expands far beyond
// its recorded length (a zstd bomb) is refused as damage, without
// allocating the expansion.
func TestDecompressionBounded(t *testing.T) {
	keys, err := crypto.DeriveKeys(crypto.NewWriteKey())
	if err != nil {
		t.Fatal(err)
	}
	r := &Repository{keys: keys}
	if err := r.initCodecs(); err != nil {
		t.Fatal(err)
	}
	enc, _ := zstd.NewWriter(nil)
	bomb := enc.EncodeAll(make([]byte, 64<<20), nil) // 64 MiB of zeros in a few KiB
	e := format.BlobEntry{ID: format.ID{1}, Comp: format.CompZstd, Length: uint32(len(bomb)), RawLen: 100}
	for _, bb := range []*blobBuf{new(blobBuf), {raw: make([]byte, 0, 64)}} {
		if _, err = r.openBlob(format.ID{}, e, bomb, bb); !errors.Is(err, ErrDamaged) {
			t.Fatalf("bomb (buffer of %d): err = %v, want ErrDamaged", cap(bb.raw), err)
		}
		if cap(bb.raw) > 100 {
			t.Fatalf("bomb: the buffer kept %d bytes for a blob of 100", cap(bb.raw))
		}
	}
	// A genuine compressed blob opens.
	data := []byte("BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\n")
	c := enc.EncodeAll(data, nil)
	e = format.BlobEntry{ID: r.BlobID(data), Comp: format.CompZstd, Length: uint32(len(c)), RawLen: uint32(len(data))}
	if got, err := r.openBlob(format.ID{}, e, c, new(blobBuf)); err != nil || string(got) != string(data) {
		t.Fatalf("genuine blob: %q, %v", got, err)
	}
}
