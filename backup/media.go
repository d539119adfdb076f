package backup

import "github.com/lifeboat-backup/lifeboat/format"

// A snapshot counts distinct photos and videos, not media files
// (SnapshotStats.DistinctMedia): Google Takeout puts a photo in its year
// folder and again in each of its albums, byte for byte, and a messenger
// keeps its own copy of a photo it sent. Two files are one photo when the
// repository stores the same content for them (the same size and blob
// ids, which the content-defined chunking makes equal for equal bytes).
// The media files are counted as well, to compare with a snapshot from
// before the mark (see comparable).

// countMedia counts a media file: its content once, the file always. The
// caller holds b.mu.
func (b *backuper) countMedia(n format.Node) {
	b.mediaFiles++
	if b.media == nil {
		b.media = map[string]bool{}
	}
	k := n.ContentKey()
	if b.media[k] {
		return
	}
	b.media[k] = true
	b.stats.Media++
}
