package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

const (
	seedCamera = 0xca_3e_4a
	camW, camH = 320, 240 // a camera photo of the serve data set
	thW, thH   = 160, 120 // its EXIF thumbnail, as cameras embed one
)

// serveData writes the data set of bench/serve.sh: n small camera JPEGs
// under photos/DCIM/Camera, each with an EXIF APP1 (DateTimeOriginal,
// Orientation, an IFD1 thumbnail), and the contacts and calendars of gen.
func serveData(dir string, n int) error {
	root := filepath.Join(dir, "photos")
	if err := os.RemoveAll(root); err != nil {
		return err
	}
	cam := filepath.Join(dir, cameraDir)
	for _, d := range []string{cam, filepath.Join(dir, filepath.Dir(contactsFile)), filepath.Join(dir, calendarDir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	work := make(chan int)
	errc := make(chan error, 1)
	var wg sync.WaitGroup
	var total int64
	var mu sync.Mutex
	for w := 0; w < max(1, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				b, err := cameraJPEG(i)
				if err == nil {
					err = os.WriteFile(filepath.Join(cam, photoName(i)), b, 0o644)
				}
				if err != nil {
					select {
					case errc <- err:
					default:
					}
					continue
				}
				mu.Lock()
				total += int64(len(b))
				mu.Unlock()
			}
		}()
	}
	for i := 1; i <= n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
	}
	if err := os.WriteFile(filepath.Join(dir, contactsFile), contacts(), 0o644); err != nil {
		return err
	}
	for i, name := range []string{"personal", "work", "family"} {
		if err := os.WriteFile(filepath.Join(dir, calendarDir, name+".ics"), calendar(name, uint64(i)), 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("gendata: %d camera photos (%.1f MiB) with EXIF thumbnails, %d contacts, 3 calendars x %d events in %s\n",
		n, float64(total)/mib, numContacts, eventsPerCal, root)
	return nil
}

// cameraJPEG is photo i: a picture of its own (two colours and a band),
// taken at a time of its own between 2014 and 2026, one in twenty shot
// upright (Orientation 6).
func cameraJPEG(i int) ([]byte, error) {
	r := rand.New(rand.NewPCG(seedCamera, uint64(i)))
	img := image.NewRGBA(image.Rect(0, 0, camW, camH))
	c1 := [3]int{r.IntN(256), r.IntN(256), r.IntN(256)}
	c2 := [3]int{r.IntN(256), r.IntN(256), r.IntN(256)}
	band := r.IntN(camH)
	for y := 0; y < camH; y++ {
		for x := 0; x < camW; x++ {
			o := img.PixOffset(x, y)
			for k := 0; k < 3; k++ {
				v := (c1[k]*(camW-x) + c2[k]*x) / camW
				if y > band && y < band+20 {
					v = 255 - v
				}
				img.Pix[o+k] = uint8(v ^ (x * y >> 6 & 7))
			}
			img.Pix[o+3] = 255
		}
	}
	var main, small bytes.Buffer
	if err := jpeg.Encode(&main, img, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	th := image.NewRGBA(image.Rect(0, 0, thW, thH))
	for y := 0; y < thH; y++ {
		for x := 0; x < thW; x++ {
			copy(th.Pix[th.PixOffset(x, y):][:4], img.Pix[img.PixOffset(2*x, 2*y):][:4])
		}
	}
	if err := jpeg.Encode(&small, th, &jpeg.Options{Quality: 75}); err != nil {
		return nil, err
	}
	taken := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Int64N(12*365*24*3600)) * time.Second)
	orientation := uint16(1)
	if i%20 == 0 {
		orientation = 6
	}
	app1 := append([]byte("Exif\x00\x00"), cameraExif(taken.Format("2006:01:02 15:04:05"), orientation, small.Bytes())...)
	if len(app1)+2 > 0xFFFF {
		return nil, fmt.Errorf("photo %d: EXIF of %d bytes does not fit one APP1", i, len(app1))
	}
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(app1)+2))
	j := main.Bytes()
	out := append(append([]byte{}, j[:2]...), seg...)
	out = append(out, app1...)
	return append(out, j[2:]...), nil
}

// cameraExif is the little-endian TIFF structure of an EXIF APP1 as the
// EXIF 2.3 spec lays it out: IFD0 (Orientation, ExifIFDPointer) → Exif
// IFD (DateTimeOriginal); IFD0's next IFD is IFD1 (Compression 6,
// JPEGInterchangeFormat and Length) followed by the thumbnail.
func cameraExif(taken string, orientation uint16, thumb []byte) []byte {
	le := binary.LittleEndian
	entry := func(b []byte, tag, typ uint16, count, value uint32) []byte {
		b = le.AppendUint16(le.AppendUint16(b, tag), typ)
		return le.AppendUint32(le.AppendUint32(b, count), value)
	}
	const ifd0 = 8
	const exifIFD = ifd0 + 2 + 2*12 + 4
	const date = exifIFD + 2 + 12 + 4
	const ifd1 = date + 20
	const thumbAt = ifd1 + 2 + 3*12 + 4
	b := []byte("II*\x00\x08\x00\x00\x00")
	b = le.AppendUint16(b, 2)
	b = entry(b, 0x0112, 3, 1, uint32(orientation))
	b = entry(b, 0x8769, 4, 1, exifIFD)
	b = le.AppendUint32(b, ifd1)
	b = le.AppendUint16(b, 1)
	b = entry(b, 0x9003, 2, 20, date)
	b = le.AppendUint32(b, 0)
	b = append(b, taken+"\x00"...)
	b = le.AppendUint16(b, 3)
	b = entry(b, 0x0103, 3, 1, 6)
	b = entry(b, 0x0201, 4, 1, thumbAt)
	b = entry(b, 0x0202, 4, 1, uint32(len(thumb)))
	b = le.AppendUint32(b, 0)
	return append(b, thumb...)
}
