package thumb

import (
	"encoding/binary"
	"io"
)

// Bounds on the ISO-BMFF (HEIC) boxes the reader looks at.
const (
	maxMeta     = 1 << 20 // bytes of the meta box read
	maxTopBoxes = 64      // top-level boxes looked at for meta
)

// heicExif finds a HEIC's Exif item (meta/iinf names it, meta/iloc places
// it) and reads its TIFF structure. iPhones keep their thumbnail as an
// HEVC image item, which Go cannot decode; only an IFD1 JPEG in the Exif
// item is found here, which most HEIC files lack.
func heicExif(r io.ReaderAt, size int64) (exifInfo, bool) {
	meta, ok := findBox(r, 0, size, "meta", maxTopBoxes)
	if !ok || meta.n > maxMeta || meta.n < 4 {
		return exifInfo{}, false
	}
	buf := make([]byte, meta.n)
	if !readFull(r, buf, meta.off) {
		return exifInfo{}, false
	}
	body := buf[4:] // FullBox version and flags
	id, ok := exifItem(child(body, "iinf"))
	if !ok {
		return exifInfo{}, false
	}
	ext, ok := itemExtent(child(body, "iloc"), id)
	if !ok || ext.n < 4+8 || ext.off < 0 || ext.off > size-ext.n {
		return exifInfo{}, false
	}
	var hdr [4]byte
	if !readFull(r, hdr[:], ext.off) {
		return exifInfo{}, false
	}
	skip := int64(binary.BigEndian.Uint32(hdr[:]))
	if skip > ext.n-4-8 {
		return exifInfo{}, false
	}
	return readTIFF(r, ext.off+4+skip, ext.n-4-skip)
}

// findBox returns the payload of the first box of type typ among the
// boxes in [off, end) of r.
func findBox(r io.ReaderAt, off, end int64, typ string, limit int) (span, bool) {
	for i := 0; i < limit && off+8 <= end; i++ {
		var h [16]byte
		if !readFull(r, h[:8], off) {
			return span{}, false
		}
		n, hl := int64(binary.BigEndian.Uint32(h[:4])), int64(8)
		switch n {
		case 0:
			n = end - off
		case 1:
			if !readFull(r, h[8:16], off+8) {
				return span{}, false
			}
			n, hl = int64(binary.BigEndian.Uint64(h[8:16])), 16
		}
		if n < hl || n > end-off {
			return span{}, false
		}
		if string(h[4:8]) == typ {
			return span{off + hl, n - hl}, true
		}
		off += n
	}
	return span{}, false
}

// child returns the payload of the first box of type typ in b (a run of
// boxes), or nil.
func child(b []byte, typ string) []byte {
	for len(b) >= 8 {
		n := int(binary.BigEndian.Uint32(b))
		if n < 8 || n > len(b) {
			return nil
		}
		if string(b[4:8]) == typ {
			return b[8:n]
		}
		b = b[n:]
	}
	return nil
}

// exifItem returns the id of the item of type "Exif" in an iinf payload.
func exifItem(b []byte) (uint32, bool) {
	if len(b) < 6 {
		return 0, false
	}
	entries := b[6:]
	if b[0] != 0 {
		if len(b) < 8 {
			return 0, false
		}
		entries = b[8:]
	}
	for len(entries) >= 8 {
		n := int(binary.BigEndian.Uint32(entries))
		if n < 8 || n > len(entries) {
			return 0, false
		}
		if string(entries[4:8]) == "infe" {
			e := entries[8:n]
			if len(e) >= 4 && (e[0] == 2 || e[0] == 3) {
				p := e[4:]
				var id uint32
				if e[0] == 2 && len(p) >= 8 {
					id, p = uint32(binary.BigEndian.Uint16(p)), p[2:]
				} else if e[0] == 3 && len(p) >= 10 {
					id, p = binary.BigEndian.Uint32(p), p[4:]
				} else {
					return 0, false
				}
				if string(p[2:6]) == "Exif" {
					return id, true
				}
			}
		}
		entries = entries[n:]
	}
	return 0, false
}

// itemExtent returns where item id lies in the file, from an iloc
// payload: its one extent at a file offset (construction method 0).
func itemExtent(b []byte, id uint32) (span, bool) {
	if len(b) < 8 {
		return span{}, false
	}
	v := b[0]
	offSize, lenSize := int(b[4]>>4), int(b[4]&15)
	baseSize, idxSize := int(b[5]>>4), int(b[5]&15)
	if v == 0 {
		idxSize = 0
	}
	p := b[6:]
	take := func(n int) (uint64, bool) {
		if n != 0 && n != 4 && n != 8 || len(p) < n {
			return 0, false
		}
		var x uint64
		for _, c := range p[:n] {
			x = x<<8 | uint64(c)
		}
		p = p[n:]
		return x, true
	}
	take16 := func() (uint64, bool) {
		if len(p) < 2 {
			return 0, false
		}
		x := uint64(binary.BigEndian.Uint16(p))
		p = p[2:]
		return x, true
	}
	var count uint64
	var ok bool
	if v < 2 {
		count, ok = take16()
	} else {
		count, ok = take(4)
	}
	if !ok {
		return span{}, false
	}
	for i := uint64(0); i < count && i < 4096; i++ {
		var item uint64
		if v < 2 {
			item, ok = take16()
		} else {
			item, ok = take(4)
		}
		if !ok {
			return span{}, false
		}
		method := uint64(0)
		if v == 1 || v == 2 {
			if method, ok = take16(); !ok {
				return span{}, false
			}
			method &= 15
		}
		if _, ok = take16(); !ok { // data_reference_index
			return span{}, false
		}
		base, ok1 := take(baseSize)
		extents, ok2 := take16()
		if !ok1 || !ok2 {
			return span{}, false
		}
		var first span
		for j := uint64(0); j < extents; j++ {
			if idxSize > 0 {
				if _, ok = take(idxSize); !ok {
					return span{}, false
				}
			}
			off, ok1 := take(offSize)
			n, ok2 := take(lenSize)
			if !ok1 || !ok2 {
				return span{}, false
			}
			if j == 0 {
				first = span{int64(base + off), int64(n)}
			}
		}
		if uint32(item) == id {
			if method != 0 || extents != 1 || first.off < 0 || first.n <= 0 || first.n > maxMeta {
				return span{}, false
			}
			return first, true
		}
	}
	return span{}, false
}
