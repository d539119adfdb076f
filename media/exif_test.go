package media

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"
)

// tiffExif builds a big-endian TIFF whose IFD0 points to an Exif IFD with
// DateTimeOriginal; dng adds IFD0's DNGVersion tag, as a DNG has.
func tiffExif(when string, dng bool) []byte {
	be := binary.BigEndian
	var b bytes.Buffer
	b.WriteString("MM\x00*")
	binary.Write(&b, be, uint32(8))
	entries := uint16(1)
	if dng {
		entries = 2
	}
	exifIFD := uint32(8 + 2 + 12*int(entries) + 4)
	binary.Write(&b, be, entries)
	// ExifIFDPointer, LONG, 1.
	binary.Write(&b, be, []uint16{0x8769, 4})
	binary.Write(&b, be, []uint32{1, exifIFD})
	if dng {
		// DNGVersion, BYTE, 4, 1.4.0.0 inline.
		binary.Write(&b, be, []uint16{0xc612, 1})
		binary.Write(&b, be, uint32(4))
		b.Write([]byte{1, 4, 0, 0})
	}
	binary.Write(&b, be, uint32(0))
	// Exif IFD: DateTimeOriginal, ASCII.
	str := exifIFD + 2 + 12 + 4
	binary.Write(&b, be, uint16(1))
	binary.Write(&b, be, []uint16{0x9003, 2})
	binary.Write(&b, be, []uint32{uint32(len(when) + 1), str})
	binary.Write(&b, be, uint32(0))
	b.WriteString(when + "\x00")
	return b.Bytes()
}

// heic builds a minimal HEIC: ftyp heic, meta (hdlr, iinf with one Exif
// infe, iloc pointing into mdat), then pad bytes, then mdat holding the
// Exif item (4-byte TIFF header offset, then the TIFF).
func heic(exif []byte, pad int) []byte {
	u16 := func(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
	u32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	ftyp := mp4box("ftyp", []byte("heic"), u32(0), []byte("mif1heic"))
	hdlr := mp4box("hdlr", u32(0), u32(0), []byte("pict"), make([]byte, 13))
	infe := mp4box("infe", []byte{2, 0, 0, 0}, u16(1), u16(0), []byte("Exif"), []byte{0})
	iinf := mp4box("iinf", u32(0), u16(1), infe)
	item := append([]byte{0, 0, 0, 0}, exif...)
	build := func(offset uint32) []byte {
		// iloc v0: offset_size 4, length_size 4, base_offset_size 0.
		iloc := mp4box("iloc", u32(0), []byte{0x44, 0x00}, u16(1),
			u16(1), u16(0), u16(1), u32(offset), u32(uint32(len(item))))
		meta := mp4box("meta", u32(0), hdlr, iinf, iloc)
		f := append(append(append([]byte{}, ftyp...), meta...), mp4box("free", make([]byte, pad))...)
		return append(f, mp4box("mdat", item)...)
	}
	f := build(0)
	return build(uint32(len(f) - len(item)))
}

func TestCaptureTimeFormats(t *testing.T) {
	when := time.Date(2021, 7, 4, 12, 30, 45, 0, time.UTC)
	exif := tiffExif("2021:07:04 12:30:45", false)
	tests := []struct {
		name string
		file []byte
		head bool // CaptureTime on the first 64 KiB must find it too
	}{
		{"tiff", exif, true},
		{"dng", tiffExif("2021:07:04 12:30:45", true), true},
		{"heic, Exif near the start", heic(exif, 100), true},
		{"heic, Exif past the head", heic(exif, 200<<10), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := CaptureTimeAt(bytes.NewReader(tt.file), int64(len(tt.file)))
			if !ok || !got.Equal(when) {
				t.Fatalf("CaptureTimeAt: got %v %v, want %v", got, ok, when)
			}
			head := tt.file[:min(len(tt.file), 64<<10)]
			got, ok = CaptureTime(head)
			if tt.head && (!ok || !got.Equal(when)) {
				t.Fatalf("CaptureTime(head): got %v %v, want %v", got, ok, when)
			}
			if !tt.head && ok {
				t.Fatalf("CaptureTime(head) found %v in bytes it was not given", got)
			}
		})
	}
}

// TestCaptureTimeHostile feeds truncated and corrupted HEIC and TIFF:
// false, never a panic or a hang.
func TestCaptureTimeHostile(t *testing.T) {
	good := heic(tiffExif("2021:07:04 12:30:45", false), 100)
	for cut := 0; cut < len(good); cut += 7 {
		CaptureTimeAt(bytes.NewReader(good[:cut]), int64(cut))
	}
	bad := append([]byte{}, good...)
	// iloc length 0xffffffff: the Exif item runs far past the file.
	i := bytes.Index(bad, []byte("iloc"))
	copy(bad[i+4+4+2+2+2+2+2+4:], []byte{0xff, 0xff, 0xff, 0xff})
	if _, ok := CaptureTimeAt(bytes.NewReader(bad), int64(len(bad))); ok {
		t.Error("Exif item past the end of the file was read")
	}
	if _, ok := CaptureTimeAt(bytes.NewReader(nil), 0); ok {
		t.Error("empty file gave a time")
	}
}
