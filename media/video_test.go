package media

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// mp4box builds one box: 32-bit size, type, payload.
func mp4box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	b := make([]byte, 8, 8+len(body))
	binary.BigEndian.PutUint32(b, uint32(8+len(body)))
	copy(b[4:], typ)
	return append(b, body...)
}

// largeBox builds a box with size 1 and a 64-bit largesize.
func largeBox(typ string, payload []byte) []byte {
	b := make([]byte, 16, 16+len(payload))
	binary.BigEndian.PutUint32(b, 1)
	copy(b[4:], typ)
	binary.BigEndian.PutUint64(b[8:], uint64(16+len(payload)))
	return append(b, payload...)
}

func mvhdV0(t time.Time) []byte {
	p := make([]byte, 100)
	secs := uint32(t.Unix() - mac1904)
	binary.BigEndian.PutUint32(p[4:], secs)
	binary.BigEndian.PutUint32(p[8:], secs)
	binary.BigEndian.PutUint32(p[12:], 1000)
	return mp4box("mvhd", p)
}

func mvhdV1(secs uint64) []byte {
	p := make([]byte, 112)
	p[0] = 1
	binary.BigEndian.PutUint64(p[4:], secs)
	binary.BigEndian.PutUint64(p[12:], secs)
	binary.BigEndian.PutUint32(p[20:], 1000)
	return mp4box("mvhd", p)
}

var ftyp = mp4box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2mp41"))

func TestVideoTime(t *testing.T) {
	when := time.Date(2019, 2, 15, 19, 35, 1, 0, time.UTC)
	v1 := uint64(when.Unix() - mac1904)
	qtDay := func(s string) []byte { // udta/©day, QuickTime text
		return mp4box("udta", mp4box("\xa9day", []byte{0, byte(len(s)), 0x15, 0xc7}, []byte(s)))
	}
	ilstDay := func(s string) []byte { // udta/meta/ilst/©day/data
		data := mp4box("data", []byte{0, 0, 0, 1, 0, 0, 0, 0}, []byte(s))
		return mp4box("udta", mp4box("meta", []byte{0, 0, 0, 0},
			mp4box("hdlr", make([]byte, 25)), mp4box("ilst", mp4box("\xa9day", data))))
	}
	// moov/meta (QuickTime style: no version) with keys and ilst, as an
	// iPhone writes it; key 2 is the capture date.
	appleMeta := func(date string) []byte {
		u32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
		keys := mp4box("keys", u32(0), u32(2),
			mp4box("mdta", []byte("com.apple.quicktime.make")),
			mp4box("mdta", []byte(appleKey)))
		ilst := mp4box("ilst",
			mp4box(string(u32(1)), mp4box("data", u32(1), u32(0), []byte("Apple"))),
			mp4box(string(u32(2)), mp4box("data", u32(1), u32(0), []byte(date))))
		return mp4box("meta", mp4box("hdlr", make([]byte, 25)), keys, ilst)
	}
	edited := time.Date(2024, 5, 5, 10, 0, 0, 0, time.UTC)
	mdat := mp4box("mdat", make([]byte, 4096))
	full := append(append(append([]byte{}, ftyp...), mdat...), mp4box("moov", mvhdV0(when), mp4box("trak"))...)
	tests := []struct {
		name string
		file []byte
		want time.Time // zero: none
	}{
		{"v0 mvhd after mdat", full, when},
		{"v1 mvhd", append(append([]byte{}, ftyp...), mp4box("moov", mvhdV1(v1))...), when},
		{"64-bit mdat before moov", append(append(append([]byte{}, ftyp...), largeBox("mdat", make([]byte, 300))...),
			mp4box("moov", mvhdV0(when))...), when},
		{"64-bit moov", append(append([]byte{}, ftyp...), largeBox("moov", mvhdV0(when))...), when},
		{"size 0 moov runs to the end", append(append([]byte{}, ftyp...), append([]byte{0, 0, 0, 0, 'm', 'o', 'o', 'v'}, mvhdV0(when)...)...), when},
		{"mvhd 0, ©day QuickTime", append(append([]byte{}, ftyp...), mp4box("moov", mvhdV1(0), qtDay("2019-02-15T19:35:01Z"))...), when},
		{"mvhd 0, ©day ilst with zone", append(append([]byte{}, ftyp...), mp4box("moov", mvhdV1(0), ilstDay("2019-02-15T20:35:01+0100"))...), when},
		{"mvhd Unix seconds, ©day", append(append([]byte{}, ftyp...), mp4box("moov", mvhdV1(uint64(when.Unix())), qtDay("2019-02-15 19:35:01"))...), when},
		{"mvhd wins over ©day", append(append([]byte{}, ftyp...), mp4box("moov", mvhdV0(when), qtDay("2001-01-01T00:00:00Z"))...), when},
		{"apple creationdate beats mvhd (edited on the phone)", append(append([]byte{}, ftyp...),
			mp4box("moov", mvhdV0(edited), appleMeta("2019-02-15T20:35:01+0100"))...), when},
		{"apple keys without creationdate", append(append([]byte{}, ftyp...),
			mp4box("moov", mvhdV0(edited), mp4box("meta", mp4box("keys", make([]byte, 8)), mp4box("ilst",
				mp4box("\x00\x00\x00\x01", mp4box("data", make([]byte, 8), []byte("2001-01-01T00:00:00Z"))))))...), edited},
		{"mvhd 0, no ©day", append(append([]byte{}, ftyp...), mp4box("moov", mvhdV1(0))...), time.Time{}},
		{"©day only a year", append(append([]byte{}, ftyp...), mp4box("moov", mvhdV1(0), qtDay("2019"))...), time.Time{}},
		{"v1 mvhd far future", append(append([]byte{}, ftyp...), mp4box("moov", mvhdV1(1<<62))...), time.Time{}},
		{"unknown mvhd version", append(append([]byte{}, ftyp...), mp4box("moov", append([]byte{0, 0, 0, 108, 'm', 'v', 'h', 'd', 7}, make([]byte, 99)...))...), time.Time{}},
		{"truncated in mdat", full[:len(ftyp)+100], time.Time{}},
		{"truncated after mvhd", full[:len(full)-3], when},
		{"truncated inside mvhd", full[:len(full)-len(mp4box("trak"))-90], time.Time{}},
		{"no moov", append(append([]byte{}, ftyp...), mdat...), time.Time{}},
		{"box shorter than header (loop)", append(append([]byte{}, ftyp...), 0, 0, 0, 4, 'f', 'r', 'e', 'e', 0, 0, 0, 0), time.Time{}},
		{"largesize 0 (loop)", append(append([]byte{}, ftyp...), 0, 0, 0, 1, 'f', 'r', 'e', 'e', 0, 0, 0, 0, 0, 0, 0, 0), time.Time{}},
		{"box past its parent", append(append([]byte{}, ftyp...), mp4box("moov", append([]byte{0, 0, 0xff, 0xff, 'm', 'v', 'h', 'd'}, mvhdV0(when)[8:]...))...), time.Time{}},
		{"empty", nil, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := VideoTime(bytes.NewReader(tt.file), int64(len(tt.file)))
			if tt.want.IsZero() {
				if ok {
					t.Fatalf("got %v, want none", got)
				}
				return
			}
			if !ok || !got.Equal(tt.want) {
				t.Fatalf("got %v %v, want %v", got, ok, tt.want)
			}
		})
	}
}

// TestVideoTimeBoxLimit stops after maxBoxes boxes: a file of a million
// empty boxes before moov is not walked to the end.
func TestVideoTimeBoxLimit(t *testing.T) {
	free := mp4box("free")
	var b bytes.Buffer
	b.Write(ftyp)
	for i := 0; i < maxBoxes+10; i++ {
		b.Write(free)
	}
	b.Write(mp4box("moov", mvhdV0(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))))
	r := &countingReader{r: bytes.NewReader(b.Bytes())}
	if _, ok := VideoTime(r, int64(b.Len())); ok {
		t.Fatal("moov found past the box limit")
	}
	if r.reads > maxBoxes+2 {
		t.Fatalf("%d reads, want at most %d", r.reads, maxBoxes+2)
	}
}

type countingReader struct {
	r     *bytes.Reader
	reads int
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	c.reads++
	return c.r.ReadAt(p, off)
}

// TestVideoTimeFFmpeg reads a video ffmpeg made with a set creation_time.
// ffmpeg is not installed by .ci/run, so the test skips without it.
func TestVideoTimeFFmpeg(t *testing.T) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg not installed")
	}
	when := time.Date(2021, 7, 4, 12, 30, 45, 0, time.UTC)
	for _, ext := range []string{"mp4", "mov"} {
		out := filepath.Join(t.TempDir(), "v."+ext)
		cmd := exec.Command(ffmpeg, "-v", "error", "-f", "lavfi", "-i", "color=c=black:s=16x16:d=0.2",
			"-metadata", "creation_time="+when.Format(time.RFC3339), out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg: %v: %s", err, b)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		got, ok := VideoTime(f, st.Size())
		f.Close()
		if !ok || !got.Equal(when) {
			t.Errorf("%s: got %v %v, want %v", ext, got, ok, when)
		}
	}
}
