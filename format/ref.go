package format

// Ref points at a list of blobs: a file's data chunks in order, or a
// directory's tree blobs in order.
//
// Long lists are stored as a tree of sequence blobs so that one changed entry
// rewrites only a few small blobs: with Level 0, IDs are the list itself;
// with Level n > 0, IDs name sequence blobs of level n, each holding IDs of
// level n-1. Where a sequence blob ends is decided by the content of its
// last ID (see SeqBoundary), so an edit does not shift later boundaries.
type Ref struct {
	Level uint8
	IDs   []ID
}

// MaxRefLevel bounds the depth of a sequence tree.
const MaxRefLevel = 8

func (e *encoder) ref(r Ref) {
	e.byte(r.Level)
	e.ids(r.IDs)
}

func (d *decoder) ref() Ref {
	var r Ref
	r.Level = d.byte()
	if d.err == nil && r.Level > MaxRefLevel {
		d.fail("ref level too deep")
	}
	r.IDs = d.ids()
	return r
}

// seqVersion prefixes every sequence blob.
const seqVersion = 1

// EncodeSeq encodes the IDs of one sequence blob.
func EncodeSeq(ids []ID) []byte {
	e := encoder{b: make([]byte, 0, IDSize*len(ids)+4)}
	e.byte(seqVersion)
	e.ids(ids)
	return e.b
}

// DecodeSeq decodes a sequence blob.
func DecodeSeq(b []byte) ([]ID, error) {
	d := decoder{b: b}
	if v := d.byte(); d.err == nil && v != seqVersion {
		return nil, corrupt("unknown sequence version")
	}
	ids := d.ids()
	if err := d.done(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, corrupt("empty sequence")
	}
	return ids, nil
}

// Sequence shape. An ID list longer than InlineIDs is cut into sequence
// blobs; a blob ends after an ID whose SeqBoundary is true, or at MaxSeqIDs.
const (
	InlineIDs = 8
	MaxSeqIDs = 64
	seqMask   = 3 // about 4 IDs, 128 bytes, per sequence blob
)

// SeqBoundary reports whether a sequence blob ends after id. IDs are keyed
// hashes, so this is content-defined and unpredictable without the key.
func SeqBoundary(id ID) bool { return id[IDSize-1]&seqMask == 0 }
