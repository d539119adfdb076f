package takeoutgen

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/media"
)

// TestSidecarName: the research notes' rules, by hand: NAME.json cut so
// the part before ".json" is 46 UTF-16 units, the new suffix clipped with
// the name, "(N)" behind the clip.
func TestSidecarName(t *testing.T) {
	for _, tc := range []struct {
		name  string
		style Style
		want  string
	}{
		{"IMG_1234.jpg", Old, "IMG_1234.jpg.json"},
		{"IMG_1234.jpg", New, "IMG_1234.jpg.supplemental-metadata.json"},
		{"IMG_1234(1).jpg", Old, "IMG_1234.jpg(1).json"},
		{"IMG_1234(1).jpg", New, "IMG_1234.jpg.supplemental-metadata(1).json"},
		{"IMG_1234(1).jpg", NewInPlace, "IMG_1234(1).jpg.supplemental-metadata.json"},
		{"PXL_20240115_070000123.LONG_EXPOSURE-01.COVER.jpg", Unclipped, "PXL_20240115_070000123.LONG_EXPOSURE-01.COVER.jpg.supplemental-metadata.json"},
		{"PXL_20230702_090000456.NIGHT.jpg", New, "PXL_20230702_090000456.NIGHT.jpg.supplemental-.json"},
		{"PXL_20230812_143015123.MP.jpg", New, "PXL_20230812_143015123.MP.jpg.supplemental-met.json"},
		{"Screenshot_20220315-101530_Samsung Internet.jpg", Old, "Screenshot_20220315-101530_Samsung Internet.jp.json"},
		{"20220815_183000_Hochzeit_von_Lea_und_Jonas_am_See.jpg", New, "20220815_183000_Hochzeit_von_Lea_und_Jonas_am_.json"},
		{"Screenshot_20220315-101530_WhatsApp Business(1).jpg", New, "Screenshot_20220315-101530_WhatsApp Business.j(1).json"},
		// 46 characters of which "ö" and "–" are one unit each.
		{"Sommerfest bei Oma und Opa in Bad Tölz – Gruppenbild.jpg", Old, "Sommerfest bei Oma und Opa in Bad Tölz – Grupp.json"},
	} {
		got := SidecarName(tc.name, tc.style)
		if got != tc.want {
			t.Errorf("SidecarName(%q, %d) = %q, want %q", tc.name, tc.style, got, tc.want)
		}
		if n := utf16Len(strings.TrimSuffix(strings.TrimSuffix(got, ".json"), "(1)")); n > 46 && tc.style != Unclipped {
			t.Errorf("%q: %d units before .json", got, n)
		}
	}
}

// TestWrite: the parts are zips named as Google names them; every media
// file of the manifest is in one of them with the bytes it says; the
// manifest's counts agree with what the zips hold; the same seed gives
// the same bytes and another seed others.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	m, err := Write(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Parts) != 2 || filepath.Base(m.Parts[0]) != "takeout-20261201T101500Z-001.zip" || filepath.Base(m.Parts[1]) != "takeout-20261201T101500Z-002.zip" {
		t.Fatalf("parts %v", m.Parts)
	}
	files := map[string][]byte{}
	inPart := map[string]int{}
	for i, p := range m.Parts {
		zr, err := zip.OpenReader(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			r, _ := f.Open()
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if _, dup := files[f.Name]; dup {
				t.Errorf("%s in both parts", f.Name)
			}
			files[f.Name], inPart[f.Name] = b, i
			if !f.Modified.Equal(Exported) {
				t.Errorf("%s: modified %v", f.Name, f.Modified)
			}
		}
		zr.Close()
	}
	sums := map[[32]byte]bool{}
	var undated, split int
	for _, f := range m.Media {
		b, ok := files[f.Path]
		if !ok || sha256.Sum256(b) != f.Sum || len(b) != f.Size {
			t.Errorf("%s: not in the zips as the manifest says", f.Path)
			continue
		}
		if f.Size < 2<<10 || f.Size > 21<<10 {
			t.Errorf("%s: %d bytes", f.Path, f.Size)
		}
		if !sums[f.Sum] && f.Date.IsZero() {
			undated++
		}
		sums[f.Sum] = true
		for _, st := range []Style{Old, New, NewInPlace, Unclipped} {
			if p, ok := inPart[path.Dir(f.Path)+"/"+SidecarName(path.Base(f.Path), st)]; ok && p != inPart[f.Path] {
				split++
			}
		}
	}
	if len(sums) != m.Distinct || undated != m.Undated || m.Undated != 1 {
		t.Errorf("%d distinct, %d undated; manifest says %d and %d", len(sums), undated, m.Distinct, m.Undated)
	}
	if len(m.Media) <= m.Distinct || len(m.Copies()) == 0 {
		t.Errorf("%d files of %d contents, %d copy groups: want album copies", len(m.Media), m.Distinct, len(m.Copies()))
	}
	if split < 3 {
		t.Errorf("%d photos with their sidecar in the other part, want at least 3", split)
	}
	all, fam := files["Takeout/Contacts/My Contacts/My Contacts.vcf"], files["Takeout/Contacts/Family/Family.vcf"]
	if n := bytes.Count(all, []byte("BEGIN:VCARD")); n != m.Contacts || n+bytes.Count(fam, []byte("BEGIN:VCARD")) != m.Cards || len(fam) == 0 {
		t.Errorf("%d cards in My Contacts, manifest %d contacts and %d cards", n, m.Contacts, m.Cards)
	}
	for _, c := range bytes.SplitAfter(fam, []byte("END:VCARD\r\n")) {
		if !bytes.Contains(all, c) {
			t.Errorf("Family.vcf card not in My Contacts.vcf: %q", c)
		}
	}
	if _, ok := files["Takeout/Calendar/Anna Schmidt.ics"]; !ok {
		t.Error("no calendar")
	}

	// Same seed, same bytes; another seed, other bytes.
	again := t.TempDir()
	if _, err := Write(again, 1); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	if _, err := Write(other, 2); err != nil {
		t.Fatal(err)
	}
	for i, p := range m.Parts {
		a, _ := os.ReadFile(p)
		b, _ := os.ReadFile(filepath.Join(again, filepath.Base(p)))
		c, _ := os.ReadFile(filepath.Join(other, filepath.Base(p)))
		if !bytes.Equal(a, b) || bytes.Equal(a, c) {
			t.Errorf("part %d: same seed same bytes %v, other seed other bytes %v", i+1, bytes.Equal(a, b), !bytes.Equal(a, c))
		}
	}
}

// TestEXIF: the photos that carry EXIF give their DateTimeOriginal to
// media's reader; a photo without a sidecar is dated by its EXIF, and
// some photos' EXIF dates are not their sidecar's.
func TestEXIF(t *testing.T) {
	dir := t.TempDir()
	m, err := Write(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	ex := filepath.Join(dir, "x")
	if err := Extract(ex, m.Parts...); err != nil {
		t.Fatal(err)
	}
	var withEXIF, differ, exifOnly int
	for _, f := range m.Media {
		b, err := os.ReadFile(filepath.Join(ex, filepath.FromSlash(f.Path)))
		if err != nil || sha256.Sum256(b) != f.Sum {
			t.Fatalf("%s extracted wrong: %v", f.Path, err)
		}
		if fi, _ := os.Stat(filepath.Join(ex, filepath.FromSlash(f.Path))); !fi.ModTime().Equal(Exported) {
			t.Errorf("%s: mtime %v", f.Path, fi.ModTime())
		}
		ct, ok := media.CaptureTime(b)
		if !ok {
			continue
		}
		withEXIF++
		if ct.Format("2006-01") != f.Date.Format("2006-01") {
			differ++
		}
		if strings.HasSuffix(f.Path, "_1.jpg") {
			exifOnly++
			if !ct.Equal(f.Date) {
				t.Errorf("%s: EXIF %v, manifest %v", f.Path, ct, f.Date)
			}
		}
	}
	if withEXIF < 10 || differ < 2 || exifOnly != 1 {
		t.Errorf("%d photos with EXIF, %d of another month than their sidecar, %d EXIF only", withEXIF, differ, exifOnly)
	}
}

// TestTgz: the tgz parts hold what the zip parts of the same seed hold,
// path for path and byte for byte, with the same manifest.
func TestTgz(t *testing.T) {
	dir := t.TempDir()
	mz, err := Write(dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	mt, err := WriteTgz(dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(mt.Parts[1]) != "takeout-20261201T101500Z-002.tgz" || mt.Distinct != mz.Distinct || len(mt.Media) != len(mz.Media) {
		t.Fatalf("tgz parts %v, %d distinct of %d; zip %d of %d", mt.Parts, mt.Distinct, len(mt.Media), mz.Distinct, len(mz.Media))
	}
	a, b := filepath.Join(dir, "xa"), filepath.Join(dir, "xb")
	if err := Extract(a, mz.Parts...); err != nil {
		t.Fatal(err)
	}
	if err := Extract(b, mt.Parts...); err != nil {
		t.Fatal(err)
	}
	var n int
	filepath.Walk(a, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s: the tgz holds other bytes (%v)", rel, err)
		}
		n++
		return nil
	})
	if n < len(mz.Media) {
		t.Errorf("%d files extracted", n)
	}
}
