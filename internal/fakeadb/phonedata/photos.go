package phonedata

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"time"
)

// PhotoFolders are the folders Photos fills, in turn.
var PhotoFolders = []string{"DCIM/Camera", "Pictures/Screenshots", "Movies", "WhatsApp/Media/WhatsApp Images"}

// PhotoEpoch is the mtime of the first file Photos writes; file i is
// 37*i seconds later.
var PhotoEpoch = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

// Photos writes n files of size bytes each (at least their 32-byte head)
// under dir, in PhotoFolders in turn, named as each folder's app names
// them (IMG_20240101_120000_000.jpg, Screenshot_20240101-120037.png,
// VID_20240101_120114.mp4, IMG-20240101-WA0003.jpg), each starting
// like its format (JPEG SOI and APP0, PNG signature, an MP4 ftyp box) and
// with contents of its own, and sets their mtimes in whole seconds. It
// returns each file's slash-separated path relative to dir and its mtime.
func Photos(dir string, n int, size int) (map[string]time.Time, error) {
	const head = 32
	size = max(size, head)
	fill := make([]byte, size)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range fill {
		fill[i] = byte(rng.Uint32())
	}
	files := make(map[string]time.Time, n)
	made := map[string]bool{}
	buf := make([]byte, size)
	for i := range n {
		mt := PhotoEpoch.Add(time.Duration(37*i) * time.Second)
		folder := PhotoFolders[i%len(PhotoFolders)]
		rel := path.Join(folder, photoName(folder, mt, i))
		copy(buf, fill)
		copy(buf, photoHead(folder))
		binary.BigEndian.PutUint64(buf[head-8:], uint64(i)) // distinct contents
		for k := head; k+8 <= size; k += 4096 {
			binary.LittleEndian.PutUint64(buf[k:], uint64(i)*0x9e3779b97f4a7c15)
		}
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if !made[folder] {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return nil, fmt.Errorf("phonedata: %w", err)
			}
			made[folder] = true
		}
		if err := os.WriteFile(p, buf, 0o644); err != nil {
			return nil, fmt.Errorf("phonedata: %w", err)
		}
		if err := os.Chtimes(p, mt, mt); err != nil {
			return nil, fmt.Errorf("phonedata: %w", err)
		}
		files[rel] = mt
	}
	return files, nil
}

// photoName is file i's name as its folder's app writes it; the index
// keeps names apart where the time alone would not.
func photoName(folder string, t time.Time, i int) string {
	switch folder {
	case "Pictures/Screenshots":
		return fmt.Sprintf("Screenshot_%s-%s_%d.png", t.Format("20060102"), t.Format("150405"), i)
	case "Movies":
		return fmt.Sprintf("VID_%s_%s_%d.mp4", t.Format("20060102"), t.Format("150405"), i)
	case "WhatsApp/Media/WhatsApp Images":
		return fmt.Sprintf("IMG-%s-WA%04d.jpg", t.Format("20060102"), i)
	}
	return fmt.Sprintf("IMG_%s_%s_%03d.jpg", t.Format("20060102"), t.Format("150405"), i%1000)
}

func photoHead(folder string) []byte {
	switch folder {
	case "Pictures/Screenshots":
		return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	case "Movies":
		return []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
	}
	return []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
}

// SparseEpoch is the mtime Sparse sets.
var SparseEpoch = time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)

// Sparse makes rel under dir a sparse file of size bytes (a video over
// 4 GiB costs no disk), starting with an MP4 ftyp box, with mtime
// SparseEpoch.
func Sparse(dir, rel string, size int64) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("phonedata: %w", err)
	}
	f, err := os.Create(p)
	if err != nil {
		return fmt.Errorf("phonedata: %w", err)
	}
	h := photoHead("Movies")
	if int64(len(h)) > size {
		h = h[:size]
	}
	_, err = f.Write(h)
	if err == nil {
		err = f.Truncate(size)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chtimes(p, SparseEpoch, SparseEpoch)
	}
	if err != nil {
		return fmt.Errorf("phonedata: sparse %s: %w", rel, err)
	}
	return nil
}
