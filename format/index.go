package format

// indexVersion prefixes every index file's plaintext.
const indexVersion = 1

// IndexPack is the blob list of one pack.
type IndexPack struct {
	Pack  ID
	Blobs []BlobEntry
}

// EncodeIndex encodes an index file's plaintext.
func EncodeIndex(packs []IndexPack) []byte {
	var e encoder
	e.byte(indexVersion)
	e.uvarint(uint64(len(packs)))
	for i := range packs {
		e.id(packs[i].Pack)
		e.blobEntries(packs[i].Blobs)
	}
	return e.b
}

// DecodeIndex decodes an index file's plaintext.
func DecodeIndex(b []byte) ([]IndexPack, error) {
	d := decoder{b: b}
	if v := d.byte(); d.err == nil && v != indexVersion {
		return nil, corrupt("unknown index version")
	}
	n := d.count(IDSize + 1)
	packs := make([]IndexPack, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		p := IndexPack{Pack: d.id()}
		p.Blobs = d.blobEntries()
		packs = append(packs, p)
	}
	if err := d.done(); err != nil {
		return nil, err
	}
	return packs, nil
}
