package thumb

import (
	"bytes"
	"encoding/binary"
	"io"
)

// Bounds on what the EXIF reader looks at, whatever a file claims.
const (
	maxIFDEntries = 1000    // entries of one IFD
	maxIFDs       = 16      // IFDs followed in one file (IFD0, IFD1, SubIFDs)
	maxSubIFDs    = 8       // SubIFD offsets of one IFD
	maxEmbedded   = 8 << 20 // bytes of one embedded JPEG
	maxSegments   = 64      // JPEG segments looked at before the image data
)

// TIFF tags the reader uses.
const (
	tagNewSubFileType = 0x00FE
	tagCompression    = 0x0103
	tagStripOffsets   = 0x0111
	tagOrientation    = 0x0112
	tagStripCounts    = 0x0117
	tagSubIFDs        = 0x014A
	tagJPEGOffset     = 0x0201 // JPEGInterchangeFormat
	tagJPEGLength     = 0x0202 // JPEGInterchangeFormatLength
)

// span is a byte range of the file.
type span struct{ off, n int64 }

// exifInfo is what a file's EXIF says about showing it small: its
// orientation (1 to 8, 0 when not given) and the embedded JPEG
// thumbnails and previews it holds, as ranges of the file.
type exifInfo struct {
	orientation int
	thumbs      []span
}

// entry is one IFD entry, its value or offset still raw.
type entry struct {
	typ   uint16
	count uint32
	raw   [4]byte
}

// tiffReader reads a TIFF structure that starts at base in r and is n
// bytes long; offsets in it are from base.
type tiffReader struct {
	r       io.ReaderAt
	base, n int64
	bo      binary.ByteOrder
}

// readTIFF parses the TIFF header at base and every IFD reachable from
// IFD0 (its next IFD, its SubIFDs), bounded in count and size. Offsets it
// returns are of the file, not of the TIFF structure.
func readTIFF(r io.ReaderAt, base, n int64) (exifInfo, bool) {
	var hdr [8]byte
	if n < 8 || !readFull(r, hdr[:], base) {
		return exifInfo{}, false
	}
	t := &tiffReader{r: r, base: base, n: n}
	switch string(hdr[:4]) {
	case "II*\x00":
		t.bo = binary.LittleEndian
	case "MM\x00*":
		t.bo = binary.BigEndian
	default:
		return exifInfo{}, false
	}
	var info exifInfo
	queue := []int64{int64(t.bo.Uint32(hdr[4:]))}
	seen := map[int64]bool{}
	for i := 0; len(queue) > 0 && i < maxIFDs; i++ {
		off := queue[0]
		queue = queue[1:]
		if off == 0 || seen[off] {
			continue
		}
		seen[off] = true
		ifd, next, ok := t.ifd(off)
		if !ok {
			continue
		}
		if i == 0 {
			if e, ok := ifd[tagOrientation]; ok {
				if v := t.values(e, 1); len(v) == 1 && v[0] >= 1 && v[0] <= 8 {
					info.orientation = int(v[0])
				}
			}
			queue = append(queue, next) // IFD1, the thumbnail's
		}
		if e, ok := ifd[tagSubIFDs]; ok {
			for _, v := range t.values(e, maxSubIFDs) {
				queue = append(queue, int64(v))
			}
		}
		if s, ok := t.embedded(ifd); ok {
			info.thumbs = append(info.thumbs, s)
		}
	}
	return info, true
}

// embedded returns the JPEG an IFD points at: JPEGInterchangeFormat, or a
// reduced-resolution image (NewSubFileType 1) of one JPEG strip, as DNG
// keeps its preview.
func (t *tiffReader) embedded(ifd map[uint16]entry) (span, bool) {
	first := func(tag uint16) (int64, bool) {
		e, ok := ifd[tag]
		if !ok {
			return 0, false
		}
		v := t.values(e, 1)
		if len(v) != 1 {
			return 0, false
		}
		return int64(v[0]), true
	}
	off, ok1 := first(tagJPEGOffset)
	n, ok2 := first(tagJPEGLength)
	if !ok1 || !ok2 {
		sub, _ := first(tagNewSubFileType)
		comp, _ := first(tagCompression)
		if sub != 1 || (comp != 6 && comp != 7) {
			return span{}, false
		}
		if e, ok := ifd[tagStripOffsets]; !ok || e.count != 1 {
			return span{}, false
		}
		off, ok1 = first(tagStripOffsets)
		n, ok2 = first(tagStripCounts)
		if !ok1 || !ok2 {
			return span{}, false
		}
	}
	if n <= 0 || n > maxEmbedded || off < 0 || off > t.n-n {
		return span{}, false
	}
	return span{t.base + off, n}, true
}

// ifd reads the IFD at off: its entries by tag and the next IFD's offset.
func (t *tiffReader) ifd(off int64) (map[uint16]entry, int64, bool) {
	var cnt [2]byte
	if off < 8 || off > t.n-2 || !readFull(t.r, cnt[:], t.base+off) {
		return nil, 0, false
	}
	count := int64(t.bo.Uint16(cnt[:]))
	if count > maxIFDEntries || off+2+count*12+4 > t.n {
		return nil, 0, false
	}
	buf := make([]byte, count*12+4)
	if !readFull(t.r, buf, t.base+off+2) {
		return nil, 0, false
	}
	ifd := make(map[uint16]entry, count)
	for i := int64(0); i < count; i++ {
		b := buf[i*12:]
		var e entry
		e.typ, e.count = t.bo.Uint16(b[2:]), t.bo.Uint32(b[4:])
		copy(e.raw[:], b[8:12])
		ifd[t.bo.Uint16(b)] = e
	}
	return ifd, int64(t.bo.Uint32(buf[count*12:])), true
}

// values returns up to max SHORT or LONG values of an entry (IFD
// pointers are LONG or IFD type 13), read inline or at their offset.
func (t *tiffReader) values(e entry, max int) []uint32 {
	size := int64(0)
	switch e.typ {
	case 3:
		size = 2
	case 4, 13:
		size = 4
	default:
		return nil
	}
	count := int64(min(e.count, uint32(max)))
	if count == 0 {
		return nil
	}
	data := e.raw[:]
	if int64(e.count)*size > 4 {
		off := int64(t.bo.Uint32(e.raw[:]))
		if off < 0 || off > t.n-count*size {
			return nil
		}
		data = make([]byte, count*size)
		if !readFull(t.r, data, t.base+off) {
			return nil
		}
	}
	out := make([]uint32, count)
	for i := range out {
		if size == 2 {
			out[i] = uint32(t.bo.Uint16(data[i*2:]))
		} else {
			out[i] = t.bo.Uint32(data[i*4:])
		}
	}
	return out
}

// jpegExif finds a JPEG's APP1 Exif segment among its first segments and
// reads its TIFF structure; embedded thumbnails must lie inside it.
func jpegExif(r io.ReaderAt, size int64) (exifInfo, bool) {
	off := int64(2) // past SOI
	for i := 0; i < maxSegments && off+4 <= size; i++ {
		var m [4]byte
		if !readFull(r, m[:], off) || m[0] != 0xFF {
			return exifInfo{}, false
		}
		marker := m[1]
		switch {
		case marker == 0xFF: // fill byte
			off++
			continue
		case marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01:
			off += 2
			continue
		case marker == 0xDA || marker == 0xD9: // image data or end: no EXIF before it
			return exifInfo{}, false
		}
		n := int64(binary.BigEndian.Uint16(m[2:]))
		if n < 2 || off+2+n > size {
			return exifInfo{}, false
		}
		if marker == 0xE1 && n >= 8+8 {
			var id [6]byte
			if readFull(r, id[:], off+4) && bytes.Equal(id[:], []byte("Exif\x00\x00")) {
				return readTIFF(r, off+10, n-8)
			}
		}
		off += 2 + n
	}
	return exifInfo{}, false
}

// readFull reads len(b) bytes at off, reporting whether it got them all.
func readFull(r io.ReaderAt, b []byte, off int64) bool {
	if off < 0 {
		return false
	}
	n, err := r.ReadAt(b, off)
	return n == len(b) && (err == nil || err == io.EOF)
}
