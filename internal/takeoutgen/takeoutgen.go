// Package takeoutgen writes a synthetic Google Takeout export as Google
// names and splits it, for tests: two zip parts
// (takeout-20261201T101500Z-001.zip, -002.zip) holding
// Takeout/Google Photos/Photos from YYYY/ year folders, album folders
// repeating some of their photos byte for byte with sidecars of their
// own, JSON sidecars in the old and the new style (clipped when the name
// is long), "(1)" duplicates, edited copies, motion photos, a messenger
// image with no date anywhere, photos whose EXIF date is not their
// sidecar's, files whose sidecar is in the other part, and
// Takeout/Contacts (a label file repeating cards) and Takeout/Calendar.
//
// Everything is deterministic for a seed. Write returns a Manifest: the
// date each photo or video should be filed under, which files hold the
// same bytes, and how many distinct photos, contacts and events there
// are.
package takeoutgen

import (
	"archive/zip"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"time"
)

// Stamp is the export's time, in its parts' names; every entry's
// modification time is Exported.
const Stamp = "20261201T101500Z"

// Exported is when the export was made.
var Exported = time.Date(2026, 12, 1, 10, 15, 0, 0, time.UTC)

// Media is one photo or video file of the export.
type Media struct {
	// Path is the entry's name in the zips ("Takeout/Google Photos/...").
	Path string
	// Date is the capture date the file must be filed under: its (or its
	// original's) sidecar's photoTakenTime, else its EXIF
	// DateTimeOriginal (read as UTC); zero when it has none anywhere.
	Date time.Time
	// Content numbers its bytes: files of equal Content are copies.
	Content int
	// Sum is the SHA-256 of its bytes.
	Sum  [32]byte
	Size int
}

// Manifest is what an export holds, for checking what reads it.
type Manifest struct {
	// Parts are the zip files, in part order.
	Parts []string
	// Media are the photo and video files, sorted by path.
	Media []Media
	// Distinct counts the distinct contents of Media (photos and videos,
	// each once however many folders hold it); Undated those of them with
	// no date anywhere; PhotoBytes their bytes.
	Distinct, Undated int
	PhotoBytes        int64
	// Contacts counts distinct people (the label file's repeats once);
	// Cards every card of every file. Events counts distinct events (a
	// series with its moved occurrence once).
	Contacts, Cards, Events int
}

// Copies gives the paths of every content held by two files or more,
// each group sorted, the groups by their first path.
func (m *Manifest) Copies() [][]string {
	by := map[int][]string{}
	for _, f := range m.Media {
		by[f.Content] = append(by[f.Content], f.Path)
	}
	var out [][]string
	for _, g := range by {
		if len(g) > 1 {
			sort.Strings(g)
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// entry is one file of the export; part is the part it must go to, or -1
// for where the split falls.
type entry struct {
	path string
	data []byte
	part int
}

// gen builds an export.
type gen struct {
	rng     *rand.Rand
	entries []entry
	media   []Media
	sums    map[[32]byte]int
	dates   map[int]time.Time // content → its date
}

func (g *gen) add(p string, data []byte, part int) {
	g.entries = append(g.entries, entry{path: p, data: data, part: part})
}

// file adds a photo or video with the date it must be filed under.
func (g *gen) file(p string, data []byte, date time.Time, part int) {
	sum := sha256.Sum256(data)
	c, ok := g.sums[sum]
	if !ok {
		c = len(g.sums)
		g.sums[sum] = c
		g.dates[c] = date
	} else if !g.dates[c].Equal(date) {
		panic(fmt.Sprintf("takeoutgen: %s: copies with two dates", p))
	}
	g.media = append(g.media, Media{Path: p, Date: date, Content: c, Sum: sum, Size: len(data)})
	g.add(p, data, part)
}

// Write writes the export's two parts into dir as zips and returns its
// manifest.
func Write(dir string, seed uint64) (*Manifest, error) { return write(dir, seed, ".zip") }

// WriteTgz is Write with the parts as gzip-compressed tars
// (takeout-...-001.tgz), Takeout's other format.
func WriteTgz(dir string, seed uint64) (*Manifest, error) { return write(dir, seed, ".tgz") }

func write(dir string, seed uint64, ext string) (*Manifest, error) {
	g := &gen{rng: rand.New(rand.NewPCG(seed, 0x7a6b0c1d)), sums: map[[32]byte]int{}, dates: map[int]time.Time{}}
	g.photos()
	m := &Manifest{}
	g.pim(m)
	sort.Slice(g.media, func(i, j int) bool { return g.media[i].Path < g.media[j].Path })
	m.Media = g.media
	m.Distinct = len(g.sums)
	seen := map[int]bool{}
	for _, f := range g.media {
		if !seen[f.Content] {
			seen[f.Content] = true
			m.PhotoBytes += int64(f.Size)
			if f.Date.IsZero() {
				m.Undated++
			}
		}
	}
	parts := g.split()
	for i, list := range parts {
		p := filepath.Join(dir, fmt.Sprintf("takeout-%s-%03d%s", Stamp, i+1, ext))
		w := writeZip
		if ext == ".tgz" {
			w = writeTgz
		}
		if err := w(p, list); err != nil {
			return nil, err
		}
		m.Parts = append(m.Parts, p)
	}
	return m, nil
}

// split puts the entries into two parts, in order, the first taking about
// half the bytes; an entry's own part wins.
func (g *gen) split() [2][]entry {
	var total, run int
	for _, e := range g.entries {
		total += len(e.data)
	}
	var out [2][]entry
	for _, e := range g.entries {
		p := e.part
		if p < 0 {
			p = 0
			if run > total/2 {
				p = 1
			}
		}
		run += len(e.data)
		out[p] = append(out[p], e)
	}
	return out
}

func writeZip(p string, list []entry) (err error) {
	f, err := os.Create(p)
	if err != nil {
		return fmt.Errorf("takeoutgen: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("takeoutgen: %w", cerr)
		}
	}()
	zw := zip.NewWriter(f)
	for _, e := range list {
		h := &zip.FileHeader{Name: e.path, Method: zip.Deflate, Modified: Exported}
		if isMedia(e.path) {
			h.Method = zip.Store
		}
		// No Unix mode (MS-DOS attributes, "version made by" 0), as zips
		// written off Unix have; whether Takeout records Unix modes is not
		// verified here, and the product must read both.
		w, err := zw.CreateHeader(h)
		if err != nil {
			return fmt.Errorf("takeoutgen: %s: %w", e.path, err)
		}
		if _, err := w.Write(e.data); err != nil {
			return fmt.Errorf("takeoutgen: %s: %w", e.path, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("takeoutgen: %w", err)
	}
	return nil
}

func isMedia(p string) bool {
	switch path.Ext(p) {
	case ".jpg", ".JPG", ".jpeg", ".MP", ".mp4":
		return true
	}
	return false
}
