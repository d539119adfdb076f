package export_test

import (
	"context"
	"encoding/binary"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/export"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// TestByDateTakeoutSidecars: export --by-date of a Takeout files each
// photo under its sidecar's photoTakenTime, by the old and the new sidecar
// names, a truncated one and a (1) duplicate; a photo with no date of its
// own under its mtime, counted as undated; thumbnail caches not at all;
// an album's copy of a photo once, its places in NAME.copies.txt.
func TestByDateTakeoutSidecars(t *testing.T) {
	src := filepath.Join(t.TempDir(), "Takeout")
	unpacked := time.Date(2024, 11, 30, 10, 0, 0, 0, time.UTC) // the day the zip was unpacked
	photo := func(s string) []byte { return []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00no exif here: " + s) }
	sidecar := func(unix string) []byte {
		return []byte(`{"title": "x", "photoTakenTime": {"timestamp": "` + unix + `", "formatted": "..."}}`)
	}
	year := "Google Photos/Photos from 2019/"
	files := map[string][]byte{
		year + "IMG_0001.jpg":                                        photo("1"),
		year + "IMG_0001.jpg.json":                                   sidecar("1559390400"), // 2019-06-01
		year + "IMG_0002.jpg":                                        photo("2"),
		year + "IMG_0002.jpg.supplemental-metadata.json":             sidecar("1564617600"), // 2019-08-01
		year + "PXL_20191224_183015123.NIGHT.jpg":                    photo("3"),
		year + "PXL_20191224_183015123.NIGHT.jpg.supplemental-.json": sidecar("1577212215"), // 2019-12-24, cut to 51 characters
		year + "image(1).jpg":                                        photo("4"),
		year + "image.jpg(1).json":                                   sidecar("1551398400"), // 2019-03-01
		"Google Photos/WhatsApp/IMG-20240101-WA0001.jpg":             photo("5"),            // no date anywhere
		"Google Photos/.thumbnails/IMG_0001.jpg":                     photo("6"),
		"Google Photos/Trip to Rome/IMG_0001.jpg":                    photo("1"), // an album's copy of the year folder's photo
		"Google Photos/Trip to Rome/IMG_0001.jpg.json":               sidecar("1559390400"),
	}
	for name, data := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, unpacked, unpacked)
	}
	e := testrepo.New(t)
	res := e.Backup(t, src)
	out := filepath.Join(t.TempDir(), "kit")
	got, err := export.Run(context.Background(), e.Open(t, repo.AccessRead), res.Snapshot, export.Options{Target: out, Photos: true, ByDate: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"photos/2019/06/IMG_0001.jpg", "photos/2019/08/IMG_0002.jpg",
		"photos/2019/12/PXL_20191224_183015123.NIGHT.jpg", "photos/2019/03/image(1).jpg", "photos/2024/11/IMG-20240101-WA0001.jpg"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(want))); err != nil {
			t.Errorf("%s: %v (exported: %v)", want, err, got.Files)
		}
	}
	if got.Photos != 5 || got.Undated != 1 || got.Copies != 1 {
		t.Errorf("exported %d photos, %d undated, %d copies; want 5, 1 and 1 (the thumbnail cache left out)", got.Photos, got.Undated, got.Copies)
	}
	// The album's copy is not written again: the photo's index names both.
	index, err := os.ReadFile(filepath.Join(out, "photos", "2019", "06", "IMG_0001.jpg.copies.txt"))
	if want := "Google Photos/Photos from 2019/IMG_0001.jpg\nGoogle Photos/Trip to Rome/IMG_0001.jpg\n"; err != nil || string(index) != want {
		t.Errorf("IMG_0001.jpg.copies.txt: %q (%v), want %q", index, err, want)
	}
	if _, err := os.Stat(filepath.Join(out, "photos", "2019", "06", "IMG_0001-2.jpg")); err == nil {
		t.Errorf("the album's copy was written again as IMG_0001-2.jpg")
	}
}

// TestByDateICloudAndLateMoov: export --by-date files an iCloud download's
// photo under its Photo Details.csv date, and a video whose moov box
// follows 9 MiB of data (past its first blob) under its creation time;
// neither counts as undated.
func TestByDateICloudAndLateMoov(t *testing.T) {
	src := filepath.Join(t.TempDir(), "download")
	unpacked := time.Date(2024, 11, 30, 10, 0, 0, 0, time.UTC)
	box := func(typ string, body []byte) []byte {
		return append(binary.BigEndian.AppendUint32(nil, uint32(8+len(body))), append([]byte(typ), body...)...)
	}
	mvhd := make([]byte, 100)
	binary.BigEndian.PutUint32(mvhd[4:], uint32(time.Date(2022, 2, 3, 4, 5, 6, 0, time.UTC).Unix()+2082844800))
	binary.BigEndian.PutUint32(mvhd[12:], 1000)
	data := make([]byte, 9<<20)
	rng := mrand.New(mrand.NewPCG(3, 4))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	video := append(append(box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2mp41")), box("mdat", data)...), box("moov", box("mvhd", mvhd))...)
	files := map[string][]byte{
		"iCloud Photos Part 1 of 1/Photos/IMG_0100.PNG": []byte("\x89PNG\r\n\x1a\nno exif"),
		"iCloud Photos Part 1 of 1/Photos/Photo Details.csv": []byte("imgName,fileChecksum,favorite,hidden,deleted,originalCreationDate,viewCount,importDate\n" +
			`IMG_0100.PNG,AaBb,no,no,no,"Monday October 4,2021 8:15 PM GMT",3,"Tuesday October 5,2021 9:00 AM GMT"` + "\n"),
		"DCIM/VID_0001.mp4": video,
	}
	for name, b := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, unpacked, unpacked)
	}
	e := testrepo.New(t)
	res := e.Backup(t, src)
	out := filepath.Join(t.TempDir(), "kit")
	got, err := export.Run(context.Background(), e.Open(t, repo.AccessRead), res.Snapshot, export.Options{Target: out, Photos: true, ByDate: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"photos/2021/10/IMG_0100.PNG", "photos/2022/02/VID_0001.mp4"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(want))); err != nil {
			t.Errorf("%s: %v (exported: %v)", want, err, got.Files)
		}
	}
	if got.Photos != 2 || got.Undated != 0 {
		t.Errorf("exported %d photos, %d undated; want 2 and 0", got.Photos, got.Undated)
	}
}

// TestByDateBestCopy: a photo is dated by the best date any of its
// copies has, whichever is walked first: an album's edited copy with
// neither its original nor a sidecar beside it (walked before the year
// folder) files under the year folder copy's sidecar date, not its mtime
// nor its EXIF; a photo whose copies have only mtimes stays undated.
func TestByDateBestCopy(t *testing.T) {
	src := filepath.Join(t.TempDir(), "Takeout")
	unpacked := time.Date(2024, 11, 30, 10, 0, 0, 0, time.UTC)
	photo := func(s string) []byte { return []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00no exif here: " + s) }
	files := map[string][]byte{
		"Google Photos/Photos from 2019/IMG_4525.jpg":          photo("original"),
		"Google Photos/Photos from 2019/IMG_4525.jpg.json":     []byte(`{"photoTakenTime": {"timestamp": "1559390400"}}`), // 2019-06-01
		"Google Photos/Photos from 2019/IMG_4525-edited.jpg":   photo("edited"),
		"Google Photos/New Zealand/IMG_4525-edited.jpg":        photo("edited"),
		"Google Photos/New Zealand/received_1234.jpeg":         photo("messenger"),
		"Google Photos/Photos from 2023/received_1234(1).jpeg": photo("messenger"),
	}
	for name, data := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, unpacked, unpacked)
	}
	e := testrepo.New(t)
	res := e.Backup(t, src)
	out := filepath.Join(t.TempDir(), "kit")
	got, err := export.Run(context.Background(), e.Open(t, repo.AccessRead), res.Snapshot, export.Options{Target: out, Photos: true, ByDate: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"photos/2019/06/IMG_4525.jpg", "photos/2019/06/IMG_4525-edited.jpg", "photos/2024/11/received_1234.jpeg"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(want))); err != nil {
			t.Errorf("%s: %v (exported: %v)", want, err, got.Files)
		}
	}
	if got.Photos != 3 || got.Undated != 1 || got.Copies != 2 {
		t.Errorf("exported %d photos, %d undated, %d copies; want 3, 1 and 2", got.Photos, got.Undated, got.Copies)
	}
}
