package media

import (
	"encoding/binary"
	"io"
	"strings"
	"time"
)

// Limits of the box walk: a hostile file can nest boxes or split itself
// into millions of tiny ones; a phone video has a few dozen in moov.
const (
	maxBoxes   = 4096
	maxDayText = 256
)

// mac1904 is the QuickTime epoch, in Unix seconds.
const mac1904 = -2082844800

// VideoTime reads the creation time of a QuickTime or MP4 video (.mp4,
// .mov, .3gp, Pixel's .MP) through r, a file of size bytes. In order:
//
//  1. Apple's com.apple.quicktime.creationdate (moov/meta keys and ilst):
//     the capture time with its zone, which an iPhone keeps when the
//     video is trimmed or edited on the phone, while mvhd then becomes
//     the time of the edit.
//  2. moov/mvhd creation_time (32-bit in a version 0 box, 64-bit in
//     version 1; seconds since 1904-01-01 UTC). Every phone writes it:
//     Android's MPEG4Writer from time(NULL) when it writes moov at the end
//     of the recording (frameworks/av MPEG4Writer.cpp writeMvhdBox,
//     getMpeg4Time, which gives 0 when the clock is out of range), Apple's
//     AVFoundation likewise, both in UTC. 0 means unknown; a time before
//     1970-01-02 is taken as unknown too, the mark of writers that put
//     Unix seconds in the 1904 field.
//  3. ©day (moov/udta/©day, QuickTime text, or moov/udta/meta/ilst/©day,
//     iTunes style): optional, often only a date, written mostly by
//     editors and ffmpeg, so it comes after mvhd.
//
// The walk is bounded: a box of size 0 runs to the end of its parent, size
// 1 has a 64-bit size after the type, a box shorter than its header or
// running past its parent ends the walk of that parent (except at the top
// level, where it is taken as a file cut short and read to its end), the
// walk follows fixed paths at most six boxes deep
// (moov/udta/meta/ilst/©day/data), and at most maxBoxes boxes are read.
// Truncated or hostile input gives false, never a panic.
func VideoTime(r io.ReaderAt, size int64) (time.Time, bool) {
	if r == nil || size < 8 {
		return time.Time{}, false
	}
	w := &boxWalk{r: r}
	moov, ok := w.find(0, size, "moov")
	if !ok {
		return time.Time{}, false
	}
	if t, ok := w.appleCreation(moov); ok {
		return t, true
	}
	if t, ok := w.mvhd(moov); ok {
		return t, true
	}
	if t, ok := w.day(moov); ok {
		return t, true
	}
	return time.Time{}, false
}

// box is the payload range of one box.
type box struct{ start, end int64 }

type boxWalk struct {
	r     io.ReaderAt
	boxes int
	buf   [16]byte
}

// children calls fn for each box inside [start, end) until fn returns
// false or the boxes end.
func (w *boxWalk) children(start, end int64, fn func(typ string, b box) bool) {
	top := start == 0
	for pos := start; pos+8 <= end; {
		if w.boxes++; w.boxes > maxBoxes {
			return
		}
		if _, err := w.r.ReadAt(w.buf[:8], pos); err != nil {
			return
		}
		n := int64(binary.BigEndian.Uint32(w.buf[:4]))
		typ := string(w.buf[4:8])
		hdr := int64(8)
		switch n {
		case 0:
			n = end - pos
		case 1:
			if pos+16 > end {
				return
			}
			if _, err := w.r.ReadAt(w.buf[8:16], pos+8); err != nil {
				return
			}
			large := binary.BigEndian.Uint64(w.buf[8:16])
			if large > uint64(end-pos) {
				if !top {
					return
				}
				large = uint64(end - pos)
			}
			n, hdr = int64(large), 16
		}
		if n > end-pos && top {
			// A file cut short (a partial copy): the last box runs to
			// the end of what there is.
			n = end - pos
		}
		if n < hdr || n > end-pos {
			return
		}
		if !fn(typ, box{pos + hdr, pos + n}) {
			return
		}
		pos += n
	}
}

// find returns the first box of type typ directly inside [start, end).
func (w *boxWalk) find(start, end int64, typ string) (box, bool) {
	var found box
	ok := false
	w.children(start, end, func(t string, b box) bool {
		if t == typ {
			found, ok = b, true
			return false
		}
		return true
	})
	return found, ok
}

// mvhd reads moov/mvhd's creation time.
func (w *boxWalk) mvhd(moov box) (time.Time, bool) {
	b, ok := w.find(moov.start, moov.end, "mvhd")
	if !ok || b.end-b.start < 8 {
		return time.Time{}, false
	}
	n := b.end - b.start
	if n > 12 {
		n = 12
	}
	if _, err := w.r.ReadAt(w.buf[:n], b.start); err != nil {
		return time.Time{}, false
	}
	var secs uint64
	switch w.buf[0] {
	case 0:
		secs = uint64(binary.BigEndian.Uint32(w.buf[4:8]))
	case 1:
		if n < 12 {
			return time.Time{}, false
		}
		secs = binary.BigEndian.Uint64(w.buf[4:12])
	default:
		return time.Time{}, false
	}
	// 1<<40 seconds is 34,000 years: far past latest, and safe to convert.
	if secs == 0 || secs > 1<<40 {
		return time.Time{}, false
	}
	t := time.Unix(int64(secs)+mac1904, 0).UTC()
	if t.Before(time.Unix(86400, 0)) || !t.Before(latest) {
		return time.Time{}, false
	}
	return t, true
}

// day reads ©day from moov/udta, QuickTime style or in meta/ilst.
func (w *boxWalk) day(moov box) (time.Time, bool) {
	udta, ok := w.find(moov.start, moov.end, "udta")
	if !ok {
		return time.Time{}, false
	}
	if b, ok := w.find(udta.start, udta.end, "\xa9day"); ok {
		// QuickTime text: 16-bit length, 16-bit language, text.
		if t, ok := parseDay(w.text(b, 4)); ok {
			return t, true
		}
	}
	meta, ok := w.find(udta.start, udta.end, "meta")
	if !ok {
		return time.Time{}, false
	}
	start := meta.start
	// ISO meta is a full box (version and flags first); QuickTime's is not.
	if _, err := w.r.ReadAt(w.buf[:8], start); err == nil && string(w.buf[4:8]) != "hdlr" {
		start += 4
	}
	ilst, ok := w.find(start, meta.end, "ilst")
	if !ok {
		return time.Time{}, false
	}
	item, ok := w.find(ilst.start, ilst.end, "\xa9day")
	if !ok {
		return time.Time{}, false
	}
	data, ok := w.find(item.start, item.end, "data")
	if !ok {
		return time.Time{}, false
	}
	// data: 32-bit type, 32-bit locale, value.
	return parseDay(w.text(data, 8))
}

// text reads at most maxDayText bytes of b after skip bytes.
func (w *boxWalk) text(b box, skip int64) string {
	n := b.end - b.start - skip
	if n <= 0 {
		return ""
	}
	if n > maxDayText {
		n = maxDayText
	}
	p := make([]byte, n)
	if _, err := w.r.ReadAt(p, b.start+skip); err != nil {
		return ""
	}
	return strings.TrimRight(string(p), "\x00 ")
}

// parseDay reads the date forms found in ©day: RFC 3339 with or without
// zone, ffmpeg's "2006-01-02 15:04:05", a bare date. A bare year is too
// vague to file a video under and gives false.
func parseDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{
		time.RFC3339Nano, "2006-01-02T15:04:05-0700", "2006-01-02T15:04:05",
		"2006-01-02 15:04:05", "2006-01-02T15:04:05.000000Z", "2006-01-02",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Before(earliest) || !t.Before(latest) {
				return time.Time{}, false
			}
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// appleKey is the QuickTime metadata key of an Apple capture date.
const appleKey = "com.apple.quicktime.creationdate"

// appleCreation reads moov/meta's com.apple.quicktime.creationdate: the
// keys box names it (1-based index), the ilst item of that index holds
// a data box with the date text ("2019-02-15T20:35:01+0100").
func (w *boxWalk) appleCreation(moov box) (time.Time, bool) {
	meta, ok := w.find(moov.start, moov.end, "meta")
	if !ok {
		return time.Time{}, false
	}
	keys, ok := w.find(meta.start, meta.end, "keys")
	if !ok || keys.end-keys.start < 8 {
		return time.Time{}, false
	}
	// keys: version and flags, entry count, then entries of
	// size(4) namespace(4) name.
	index, found := uint32(0), false
	w.children(keys.start+8, keys.end, func(ns string, b box) bool {
		index++
		if ns == "mdta" && b.end-b.start == int64(len(appleKey)) {
			p := make([]byte, len(appleKey))
			if _, err := w.r.ReadAt(p, b.start); err == nil && string(p) == appleKey {
				found = true
				return false
			}
		}
		return true
	})
	if !found {
		return time.Time{}, false
	}
	ilst, ok := w.find(meta.start, meta.end, "ilst")
	if !ok {
		return time.Time{}, false
	}
	want := string(binary.BigEndian.AppendUint32(nil, index))
	item, ok := w.find(ilst.start, ilst.end, want)
	if !ok {
		return time.Time{}, false
	}
	data, ok := w.find(item.start, item.end, "data")
	if !ok {
		return time.Time{}, false
	}
	return parseDay(w.text(data, 8))
}
