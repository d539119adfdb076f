package photos

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/serve/thumb"
)

// photoJPEG is a w×h JPEG of one colour whose APP1 Exif holds IFD0 and an
// Exif IFD with DateTimeOriginal (EXIF 2.3 §4.6.5, tag 0x9003, ASCII
// "YYYY:MM:DD HH:MM:SS").
func photoJPEG(t *testing.T, w, h int, c color.RGBA, taken string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, 255
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	tiff := []byte("II*\x00\x08\x00\x00\x00")
	tiff = le.AppendUint16(tiff, 1) // IFD0: ExifIFDPointer
	tiff = le.AppendUint16(le.AppendUint16(tiff, 0x8769), 4)
	tiff = le.AppendUint32(le.AppendUint32(tiff, 1), 8+18)
	tiff = le.AppendUint32(tiff, 0)
	tiff = le.AppendUint16(tiff, 1) // Exif IFD: DateTimeOriginal
	tiff = le.AppendUint16(le.AppendUint16(tiff, 0x9003), 2)
	tiff = le.AppendUint32(le.AppendUint32(tiff, 20), 8+18+18)
	tiff = le.AppendUint32(tiff, 0)
	tiff = append(tiff, taken+"\x00"...)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(payload)+2))
	j := buf.Bytes()
	return append(append(append([]byte{}, j[:2]...), append(seg, payload...)...), j[2:]...)
}

func write(t *testing.T, dir, rel string, data []byte, mtime time.Time) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

// countingReader counts the files photodate opens to date photos.
type countingReader struct {
	*repo.Repository
	opens atomic.Int32
}

func (c *countingReader) OpenFile(ctx context.Context, n format.Node) (*repo.FileReader, error) {
	c.opens.Add(1)
	return c.Repository.OpenFile(ctx, n)
}

func TestPhotosOfSnapshots(t *testing.T) {
	env := testrepo.New(t)
	src := t.TempDir()
	mt := time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
	red := photoJPEG(t, 320, 240, color.RGBA{200, 20, 20, 255}, "2024:05:01 12:00:00")
	write(t, src, "DCIM/Camera/IMG_0001.jpg", red, mt)
	write(t, src, "DCIM/Camera/IMG_0002.jpg", photoJPEG(t, 64, 48, color.RGBA{20, 200, 20, 255}, "2024:05:20 08:30:00"), mt)
	write(t, src, "DCIM/Camera/IMG_0003.jpg", photoJPEG(t, 64, 48, color.RGBA{20, 20, 200, 255}, "2023:12:31 23:59:00"), mt)
	write(t, src, "Backup/copy-of-0001.jpg", red, mt) // the same bytes twice
	var pngBuf bytes.Buffer
	png.Encode(&pngBuf, image.NewGray(image.Rect(0, 0, 40, 30)))
	write(t, src, "Pictures/Screenshot.png", pngBuf.Bytes(), mt) // no EXIF: the file time
	write(t, src, "Movies/clip.mp4", []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"), mt)
	write(t, src, "DCIM/.thumbnails/123.jpg", red, mt) // MediaStore's cache: no photo of the grid
	write(t, src, "Contacts/contacts.vcf", []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n"), mt)
	first := env.Backup(t, src)

	os.Remove(filepath.Join(src, "DCIM/Camera/IMG_0002.jpg"))
	write(t, src, "DCIM/Camera/IMG_0004.jpg", photoJPEG(t, 64, 48, color.RGBA{200, 200, 20, 255}, "2024:06:02 10:00:00"), mt)
	second := env.Backup(t, src)

	r := env.Open(t, repo.AccessRead)
	cr := &countingReader{Repository: r}
	lib := NewLibrary(cr)
	ctx := context.Background()
	ps, err := lib.Photos(ctx, first.Snapshot.Root.Content)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, p := range ps {
		paths = append(paths, p.Path)
	}
	want := []string{"DCIM/Camera/IMG_0002.jpg", "Backup/copy-of-0001.jpg", "DCIM/Camera/IMG_0001.jpg",
		"DCIM/Camera/IMG_0003.jpg", "Movies/clip.mp4", "Pictures/Screenshot.png"}
	if len(paths) != len(want) {
		t.Fatalf("photos %q, want %q", paths, want)
	}
	for i := range want {
		if paths[i] != want[i] {
			t.Fatalf("photos %q, want %q (newest first, then path)", paths, want)
		}
	}
	if p := ps[2]; !p.Taken.Equal(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)) || p.DateFrom != "exif" ||
		p.Name != "IMG_0001.jpg" || p.Size != int64(len(red)) || p.Video || p.Content != ps[1].Content {
		t.Errorf("IMG_0001: %+v", p)
	}
	if p := ps[5]; !p.Taken.Equal(mt) || p.DateFrom != "mtime" {
		t.Errorf("screenshot dated %v from %q, want its file time", p.Taken, p.DateFrom)
	}
	if !ps[4].Video || ps[0].Content == ps[2].Content {
		t.Errorf("clip.mp4 not a video, or two photos share a content key")
	}

	months := ByMonth(ps)
	if len(months) != 3 || months[0].Year != 2024 || months[0].Month != time.May || len(months[0].Photos) != 3 ||
		months[1].Month != time.December || months[2].Year != 2021 || len(months[2].Photos) != 2 {
		t.Errorf("months: %+v", months)
	}
	if pg := Page(ps, 2, 4); len(pg) != 2 || pg[0].Path != want[4] {
		t.Errorf("page 2 of 4: %d photos", len(pg))
	}
	if Page(ps, 3, 4) != nil || Page(ps, 0, 4) != nil || Pages(len(ps), 4) != 2 || len(Page(ps, 1, 0)) != 6 {
		t.Error("paging past the ends")
	}

	// The second snapshot: the photos kept are not read again.
	opened := cr.opens.Load()
	ps2, err := lib.Photos(ctx, second.Snapshot.Root.Content)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps2) != 6 || ps2[0].Name != "IMG_0004.jpg" {
		t.Fatalf("second snapshot: %d photos, first %q", len(ps2), ps2[0].Name)
	}
	if n := cr.opens.Load() - opened; n != 1 {
		t.Errorf("dating the second snapshot opened %d files, want only the new photo", n)
	}

	// Asked again: the kept list, nothing read.
	opened = cr.opens.Load()
	again, err := lib.Photos(ctx, first.Snapshot.Root.Content)
	if err != nil || len(again) != len(ps) || &again[0] != &ps[0] || cr.opens.Load() != opened {
		t.Errorf("the first snapshot asked again: %d photos, %d files opened", len(again), cr.opens.Load()-opened)
	}
	// A fresh Library dates the same photos alike (over other workers).
	fresh, err := Photos(ctx, r, first.Snapshot.Root.Content)
	if err != nil || len(fresh) != len(ps) {
		t.Fatal(err)
	}
	for i := range fresh {
		if fresh[i].Path != ps[i].Path || !fresh[i].Taken.Equal(ps[i].Taken) || fresh[i].DateFrom != ps[i].DateFrom {
			t.Errorf("fresh library: %+v, want %+v", fresh[i], ps[i])
		}
	}
	// ByMonth of photos in another order sorts them first.
	shuffled := []Photo{ps[5], ps[3], ps[0], ps[4], ps[2], ps[1]}
	if m := ByMonth(shuffled); len(m) != 3 || m[0].Photos[0].Path != ps[0].Path || m[2].Photos[1].Path != ps[5].Path {
		t.Errorf("ByMonth of shuffled photos: %+v", m)
	}

	snaps, _, err := r.Snapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	held, err := Holding(ctx, r, snaps, ps[2].Content)
	if err != nil {
		t.Fatal(err)
	}
	if len(held) != 2 || held[0].ID != first.ID || held[1].ID != second.ID || held[0].Path != "Backup/copy-of-0001.jpg" {
		t.Errorf("IMG_0001 held by %+v, want both snapshots", held)
	}
	if held, _ := Holding(ctx, r, snaps, ps[0].Content); len(held) != 1 || held[0].ID != first.ID || held[0].Path != "DCIM/Camera/IMG_0002.jpg" {
		t.Errorf("IMG_0002 held by %+v, want the first snapshot only", held)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Holding(cctx, r, snaps, ps[0].Content); err == nil {
		t.Error("Holding went on after its context ended")
	}
	if _, err := lib.Photos(cctx, first.Snapshot.Root.Content); err == nil {
		t.Error("Photos went on after its context ended")
	}

	// Thumbnails: the photo scaled, the video's placeholder, made once.
	c := thumb.NewCache(0)
	th, err := Thumb(ctx, r, c, ps[2], 100)
	if err != nil || th.Type != "image/jpeg" {
		t.Fatalf("thumbnail: %v %s", err, th.Type)
	}
	img, err := jpeg.Decode(bytes.NewReader(th.Data))
	if err != nil || img.Bounds().Dx() != 100 || img.Bounds().Dy() != 75 {
		t.Fatalf("thumbnail %v: %v", img.Bounds(), err)
	}
	if r, _, _, _ := img.At(50, 37).RGBA(); r>>8 < 150 {
		t.Errorf("thumbnail of the red photo is not red: %v", img.At(50, 37))
	}
	if th, _ := Thumb(ctx, r, c, ps[1], 100); !bytes.Equal(th.Data, img2bytes(t, c, ps[2])) {
		t.Error("the copy's thumbnail differs from the photo's")
	}
	if _, _, fills := c.Stats(); fills != 1 {
		t.Errorf("two thumbnails of the same bytes made %d times", fills)
	}
	if th, _ := Thumb(ctx, r, c, ps[4], 100); th.Type != thumb.PlaceholderType || !bytes.Equal(th.Data, thumb.Placeholder("video")) {
		t.Error("the video got no video placeholder")
	}
}

func img2bytes(t *testing.T, c *thumb.Cache, p Photo) []byte {
	t.Helper()
	th, err := c.Get(context.Background(), p.Content+"@100", func() (thumb.Thumb, error) {
		t.Error("not cached")
		return thumb.Thumb{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return th.Data
}
