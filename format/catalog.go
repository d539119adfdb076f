package format

import "bytes"

// catalogVersion prefixes every catalog's plaintext.
const catalogVersion = 1

// Catalog is the sealed list of the snapshots a repository holds, written
// by every backup and forget: a storage holder who deletes a snapshot
// cannot make the newest catalog forget it, and one who puts back an
// older catalog lowers its generation, which the machines that saw the
// newer one notice.
type Catalog struct {
	// Generation is one more than that of the catalog it replaces.
	Generation uint64
	// Snapshots are sorted, without repeats.
	Snapshots []ID
}

// EncodeCatalog encodes a catalog's plaintext. Snapshots must be sorted.
func EncodeCatalog(c *Catalog) []byte {
	var e encoder
	e.byte(catalogVersion)
	e.uvarint(c.Generation)
	e.ids(c.Snapshots)
	return e.b
}

// DecodeCatalog decodes a catalog's plaintext.
func DecodeCatalog(b []byte) (*Catalog, error) {
	d := decoder{b: b}
	if v := d.byte(); d.err == nil && v != catalogVersion {
		return nil, corrupt("unknown catalog version")
	}
	c := &Catalog{Generation: d.uvarint(), Snapshots: d.ids()}
	if err := d.done(); err != nil {
		return nil, err
	}
	for i := 1; i < len(c.Snapshots); i++ {
		if bytes.Compare(c.Snapshots[i-1][:], c.Snapshots[i][:]) >= 0 {
			return nil, corrupt("catalog snapshots not strictly increasing")
		}
	}
	return c, nil
}
