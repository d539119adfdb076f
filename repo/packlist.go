package repo

import "github.com/lifeboat-backup/lifeboat/format"

// packedBlob is a blob a packer wrote: its entry and its claim's record
// (Index.claim), or noClaim.
type packedBlob struct {
	format.BlobEntry
	claim uint32
}

// packList is the blobs of the pack a packer is writing, in order: an
// append-only list in fixed chunks, which grows without copying and
// wastes at most one chunk (a doubling slice held up to three times the
// list while it grew, and a backup has a pack open per packer).
type packList struct {
	parts [][]packedBlob
	n     int
}

const packListChunk = 1024

func (l *packList) add(b packedBlob) {
	if l.n%packListChunk == 0 {
		l.parts = append(l.parts, make([]packedBlob, 0, packListChunk))
	}
	last := &l.parts[len(l.parts)-1]
	*last = append(*last, b)
	l.n++
}

func (l *packList) at(i int) *packedBlob { return &l.parts[i/packListChunk][i%packListChunk] }

// trailer encodes the list as the pack's trailer.
func (l *packList) trailer() []byte {
	return format.EncodeTrailerOf(l.n, func(i int) *format.BlobEntry { return &l.at(i).BlobEntry })
}
