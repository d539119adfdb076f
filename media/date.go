package media

import (
	"bytes"
	"io"
	"time"
)

// Where a photo's date came from, as PhotoDate reports it.
const (
	SourceSidecar = "sidecar" // Takeout JSON photoTakenTime (or creationTime)
	SourceEXIF    = "exif"    // EXIF DateTimeOriginal (else DateTime)
	SourceVideo   = "video"   // QuickTime/MP4 moov/mvhd (else ©day)
	SourceICloud  = "icloud"  // iCloud Photo Details.csv (DateInputs.ICloud)
	SourceMTime   = "mtime"   // the file's modification time: not a capture date
)

// DateInputs is what is known about one photo or video. Zero fields are
// absent. Sidecar is the raw Takeout JSON paired by Sidecars; Head the
// first bytes of the file; R and Size the whole file, when it can be read
// at random (then Head may be nil); ICloud the date from iCloud's Photo
// Details.csv, filled by the part that reads that file; MTime the file's
// modification time.
type DateInputs struct {
	Sidecar []byte
	Head    []byte
	R       io.ReaderAt
	Size    int64
	ICloud  time.Time
	MTime   time.Time
}

// Date gives the best capture date of a photo or video and where it came
// from, in the order of issue 15: the Takeout sidecar, EXIF
// (JPEG/HEIC/DNG/...), the video's own creation time, iCloud's Photo
// Details.csv, and only then the file's mtime, which callers must present
// as such ("date unknown, file time used"). When nothing is known, even
// no mtime, it returns the zero time and "".
//
// Sidecar times are exact instants (UTC); EXIF times are the camera's wall
// clock with no zone and come back as if UTC, as CaptureTime gives them;
// video times are UTC. A photo taken near midnight can therefore file
// under a neighbouring day depending on its source, as in every Takeout
// tool (ente metadata-json.ts notes Takeout has no zone either).
func (in DateInputs) Date() (time.Time, string) {
	if len(in.Sidecar) > 0 {
		if t, ok := ParseSidecar(in.Sidecar); ok {
			return t, SourceSidecar
		}
	}
	var r io.ReaderAt = bytes.NewReader(in.Head)
	size := int64(len(in.Head))
	if in.R != nil {
		r, size = in.R, in.Size
	}
	if t, ok := CaptureTimeAt(r, size); ok {
		return t, SourceEXIF
	}
	if t, ok := VideoTime(r, size); ok {
		return t, SourceVideo
	}
	if !in.ICloud.IsZero() {
		return in.ICloud.UTC(), SourceICloud
	}
	if !in.MTime.IsZero() {
		return in.MTime.UTC(), SourceMTime
	}
	return time.Time{}, ""
}

// PhotoDate is DateInputs.Date for the common case without iCloud: see
// there for the order. r may be nil (then only head is read); size is the
// size of the file r reads.
func PhotoDate(sidecar []byte, head []byte, r io.ReaderAt, size int64, mtime time.Time) (t time.Time, source string) {
	return DateInputs{Sidecar: sidecar, Head: head, R: r, Size: size, MTime: mtime}.Date()
}
