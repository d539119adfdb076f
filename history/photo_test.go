package history

import (
	"bytes"
	"context"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// box is an ISO BMFF box.
func box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	return append(binary.BigEndian.AppendUint32([]byte(nil), uint32(8+len(body))), append([]byte(typ), body...)...)
}

// noise is n incompressible bytes, so that the chunker cuts them into
// several blobs.
func noise(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// exifTIFF is a big-endian TIFF whose IFD0 points to an Exif IFD holding
// DateTimeOriginal.
func exifTIFF(when string) []byte {
	be := binary.BigEndian
	var b bytes.Buffer
	b.WriteString("MM\x00*")
	binary.Write(&b, be, uint32(8))
	binary.Write(&b, be, uint16(1))
	binary.Write(&b, be, []uint16{0x8769, 4}) // ExifIFDPointer, LONG
	binary.Write(&b, be, []uint32{1, 26})
	binary.Write(&b, be, uint32(0))
	binary.Write(&b, be, uint16(1))
	binary.Write(&b, be, []uint16{0x9003, 2}) // DateTimeOriginal, ASCII
	binary.Write(&b, be, []uint32{uint32(len(when) + 1), 44})
	binary.Write(&b, be, uint32(0))
	b.WriteString(when + "\x00")
	return b.Bytes()
}

// heicExifAt is a HEIC whose Exif item (its iloc says where) comes after
// pad bytes: past the file's first blob, as in an iPhone's HEIC whose
// image data precedes it.
func heicExifAt(when string, pad []byte) []byte {
	u16 := func(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
	u32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	ftyp := box("ftyp", []byte("heic"), u32(0), []byte("mif1heic"))
	hdlr := box("hdlr", u32(0), u32(0), []byte("pict"), make([]byte, 13))
	iinf := box("iinf", u32(0), u16(1), box("infe", []byte{2, 0, 0, 0}, u16(1), u16(0), []byte("Exif"), []byte{0}))
	item := append([]byte{0, 0, 0, 0}, exifTIFF(when)...)
	build := func(offset uint32) []byte {
		iloc := box("iloc", u32(0), []byte{0x44, 0x00}, u16(1), u16(1), u16(0), u16(1), u32(offset), u32(uint32(len(item))))
		f := append(append(ftyp, box("meta", u32(0), hdlr, iinf, iloc)...), box("free", pad)...)
		return append(f, box("mdat", item)...)
	}
	f := build(0)
	return build(uint32(len(f) - len(item)))
}

// mp4At is an MP4 as cameras write it: the media data first, the moov box
// with its mvhd creation time at the end.
func mp4At(t time.Time, data []byte) []byte {
	mvhd := make([]byte, 100)
	secs := uint32(t.Unix() + 2082844800) // seconds since 1904
	binary.BigEndian.PutUint32(mvhd[4:], secs)
	binary.BigEndian.PutUint32(mvhd[8:], secs)
	binary.BigEndian.PutUint32(mvhd[12:], 1000)
	f := box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2mp41"))
	return append(append(f, box("mdat", data)...), box("moov", box("mvhd", mvhd))...)
}

// TestPhotoDates: diff and find date each photo and video in the order of
// SPEC §"Photo and video dates", through the repository: a Takeout photo
// by its sidecar only, a HEIC whose Exif lies past its first blob (past
// 8 MiB), an MP4 whose moov follows its data, iCloud files by their
// Photo Details.csv (beside them, and from the parent's Photos/ folder),
// and a photo with no date of its own by its file time, said as such.
func TestPhotoDates(t *testing.T) {
	src := t.TempDir()
	unpacked := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	jpeg := func(s string) []byte { return []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00no exif: " + s) }
	png := func(s string) []byte { return []byte("\x89PNG\r\n\x1a\nno exif: " + s) }
	icloud := "iCloud Photos Part 1 of 1/"
	files := map[string][]byte{
		"keep.txt": []byte("unchanged"),
		"Takeout/Google Photos/Photos from 2019/IMG_0001.jpg": jpeg("takeout"),
		"Takeout/Google Photos/Photos from 2019/IMG_0001.jpg.supplemental-metadata.json": []byte(
			`{"title": "IMG_0001.jpg", "photoTakenTime": {"timestamp": "1559390400", "formatted": "..."}}`),
		"DCIM/IMG_5000.HEIC":           heicExifAt("2023:04:05 06:07:08", noise(1, 9<<20)),
		"DCIM/VID_0001.mp4":            mp4At(time.Date(2022, 2, 3, 4, 5, 6, 0, time.UTC), noise(2, 9<<20)),
		"DCIM/download.jpg":            jpeg("no date anywhere"),
		icloud + "Photos/IMG_0100.PNG": png("icloud"),
		icloud + "Photos/Photo Details.csv": []byte("imgName,fileChecksum,favorite,hidden,deleted,originalCreationDate,viewCount,importDate\n" +
			`IMG_0100.PNG,AaBb,no,no,no,"Monday October 4,2021 8:15 PM GMT",3,"Tuesday October 5,2021 9:00 AM GMT"` + "\n" +
			`IMG_0101.PNG,CcDd,no,no,no,"Sunday August 13,2023 3:09 PM GMT",0,"Sunday August 13,2023 3:10 PM GMT"` + "\n"),
		icloud + "Albums/IMG_0101.PNG": png("in an album folder"),
	}
	write := func(names ...string) {
		for _, name := range names {
			p := filepath.Join(src, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, files[name], 0o644); err != nil {
				t.Fatal(err)
			}
			os.Chtimes(p, unpacked, unpacked)
		}
	}
	write("keep.txt")
	e := testrepo.New(t)
	first := e.Backup(t, src)
	var all []string
	for name := range files {
		all = append(all, name)
	}
	write(all...)
	second := e.Backup(t, src)
	r := e.Open(t, repo.AccessRead)
	ctx := context.Background()

	// The HEIC and the MP4 span several blobs, their dates past the first.
	for _, name := range []string{"DCIM/IMG_5000.HEIC", "DCIM/VID_0001.mp4"} {
		n := nodeAt(t, r, second.Snapshot.Root.Content, name)
		if ids, err := r.LoadRef(ctx, n.Content); err != nil || len(ids) < 2 {
			t.Fatalf("%s: %d blobs (%v); the test needs several", name, len(ids), err)
		}
	}

	want := map[string]PhotoDate{
		"Takeout/Google Photos/Photos from 2019/IMG_0001.jpg": {"2019-06-01 12:00", "sidecar"},
		"DCIM/IMG_5000.HEIC":           {"2023-04-05 06:07", "exif"},
		"DCIM/VID_0001.mp4":            {"2022-02-03 04:05", "video"},
		icloud + "Photos/IMG_0100.PNG": {"2021-10-04 20:15", "icloud"},
		icloud + "Albums/IMG_0101.PNG": {"2023-08-13 15:09", "icloud"},
		"DCIM/download.jpg":            {"2024-05-01 12:00 (file time)", "mtime"},
	}
	changes, err := Diff(ctx, r, first.Snapshot, second.Snapshot)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, c := range changes {
		w, ok := want[c.Name]
		if !ok {
			continue
		}
		seen++
		if c.What != "photo" || c.Op != "added" || c.PhotoDate != w {
			t.Errorf("diff: %s %s %s %+v; want an added photo dated %+v", c.What, c.Op, c.Name, c.PhotoDate, w)
		}
	}
	if seen != len(want) {
		t.Errorf("diff lists %d of the %d photos: %v", seen, len(want), changes)
	}
	if got, want := (Change{What: "photo", Op: "added", Name: "DCIM/download.jpg", PhotoDate: want["DCIM/download.jpg"]}).String(),
		"+ photo DCIM/download.jpg (no date of its own, file time 2024-05-01 12:00)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}

	snaps, _, err := r.Snapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, w := range want {
		hits, err := Find(ctx, r, snaps, name)
		if err != nil {
			t.Fatal(err)
		}
		var photos []Hit
		for _, h := range hits {
			if h.What == "photo" {
				photos = append(photos, h)
			}
		}
		if len(photos) != 1 || photos[0].Name != name || photos[0].PhotoDate != w {
			t.Errorf("find %s: %+v; want the photo dated %+v", name, photos, w)
		}
	}
}

func nodeAt(t *testing.T, r *repo.Repository, root format.Ref, name string) format.Node {
	t.Helper()
	var found format.Node
	err := r.Walk(context.Background(), root, func(rel string, n format.Node) error {
		if rel == name {
			found = n
		}
		return nil
	})
	if err != nil || found.Name == "" {
		t.Fatalf("%s not in the snapshot (%v)", name, err)
	}
	return found
}
