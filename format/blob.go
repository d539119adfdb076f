package format

// BlobType says what a blob holds. Values are never reused.
type BlobType uint8

const (
	BlobData BlobType = 1 // file content: a chunk, or one vCard/iCalendar record
	BlobTree BlobType = 2 // EncodeTree
	BlobSeq  BlobType = 3 // EncodeSeq
)

// Compression ids. Values are never reused.
const (
	CompNone uint8 = 0
	CompZstd uint8 = 1
)

// BlobEntry locates one blob inside a pack's plaintext stream.
type BlobEntry struct {
	ID     ID
	Type   BlobType
	Comp   uint8
	Offset uint32 // in the pack's decrypted stream
	Length uint32 // stored (possibly compressed) length
	RawLen uint32 // plaintext length after decompression
}

func (e *encoder) blobEntry(b *BlobEntry) {
	e.id(b.ID)
	e.byte(byte(b.Type))
	e.byte(b.Comp)
	e.uvarint(uint64(b.Offset))
	e.uvarint(uint64(b.Length))
	e.uvarint(uint64(b.RawLen))
}

func (d *decoder) blobEntry() BlobEntry {
	var b BlobEntry
	b.ID = d.id()
	b.Type = BlobType(d.byte())
	b.Comp = d.byte()
	off, n, raw := d.uvarint(), d.uvarint(), d.uvarint()
	if d.err != nil {
		return b
	}
	switch {
	case b.Type < BlobData || b.Type > BlobSeq:
		d.fail("unknown blob type")
	case b.Comp > CompZstd:
		d.fail("unknown compression")
	case off > 1<<32-1 || n > MaxBlobSize+1024 || raw > MaxBlobSize || off+n > 1<<32-1:
		d.fail("blob entry out of range")
	case b.Comp == CompNone && n != raw:
		d.fail("uncompressed blob length mismatch")
	}
	b.Offset, b.Length, b.RawLen = uint32(off), uint32(n), uint32(raw)
	return b
}

func (e *encoder) blobEntries(bs []BlobEntry) {
	e.uvarint(uint64(len(bs)))
	for i := range bs {
		e.blobEntry(&bs[i])
	}
}

func (d *decoder) blobEntries() []BlobEntry {
	n := d.count(IDSize + 5)
	bs := make([]BlobEntry, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		bs = append(bs, d.blobEntry())
	}
	return bs
}
