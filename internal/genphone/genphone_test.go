package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"image/jpeg"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// committed is the checked-in export, relative to this package.
const committed = "../../testdata/phone"

const regenerate = "run `go run ./internal/genphone testdata/phone` from the repository root"

// readTree returns every regular file under root keyed by slash path.
func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestCommittedMatchesGenerator regenerates the export and requires it to be
// byte-identical to testdata/phone, with no missing or extra files.
func TestCommittedMatchesGenerator(t *testing.T) {
	tmp := t.TempDir()
	if err := generate(tmp); err != nil {
		t.Fatal(err)
	}
	got, want := readTree(t, tmp), readTree(t, committed)
	for p, data := range got {
		w, ok := want[p]
		switch {
		case !ok:
			t.Errorf("%s: missing from %s; %s", p, committed, regenerate)
		case !bytes.Equal(data, w):
			t.Errorf("%s: committed file differs from generator output; %s", p, regenerate)
		}
	}
	for p := range want {
		if _, ok := got[p]; !ok {
			t.Errorf("%s: in %s but not produced by the generator", p, committed)
		}
	}
	var total int
	for _, d := range want {
		total += len(d)
	}
	if total > 300*1024 {
		t.Errorf("testdata/phone is %d bytes, want < 300 KiB", total)
	}
}

// TestDeterministic guards against accidental use of time or map order.
func TestDeterministic(t *testing.T) {
	a, err := build()
	if err != nil {
		t.Fatal(err)
	}
	b, err := build()
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if a[i].path != b[i].path || !bytes.Equal(a[i].data, b[i].data) {
			t.Fatalf("%s: two builds differ", a[i].path)
		}
	}
}

func TestCanaries(t *testing.T) {
	files := readTree(t, committed)
	for s, p := range canaries {
		if !bytes.Contains(files[p], []byte(s)) {
			t.Errorf("canary %q not found verbatim in %s", s, p)
		}
		for q, data := range files {
			if q != p && bytes.Contains(data, []byte(s)) {
				t.Errorf("canary %q also occurs in %s", s, q)
			}
		}
	}
}

// exifInfo is what the minimal parser below extracts from an APP1 segment.
type exifInfo struct {
	make, model, dateTimeOriginal, offsetTimeOriginal string
	width, height                                     uint32
}

// parseEXIF walks the JPEG markers to the Exif APP1 segment and reads IFD0
// and the Exif sub-IFD by hand (either byte order), independently of the
// generator's encoder.
func parseEXIF(jpg []byte) (exifInfo, error) {
	var info exifInfo
	if len(jpg) < 4 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		return info, fmt.Errorf("no SOI")
	}
	var tiff []byte
	for i := 2; tiff == nil; {
		if i+4 > len(jpg) || jpg[i] != 0xFF {
			return info, fmt.Errorf("bad marker at %d", i)
		}
		marker, n := jpg[i+1], int(binary.BigEndian.Uint16(jpg[i+2:]))
		if marker == 0xDA || i+2+n > len(jpg) {
			return info, fmt.Errorf("no Exif APP1 before scan data")
		}
		seg := jpg[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			tiff = seg[6:]
		}
		i += 2 + n
	}
	var bo binary.ByteOrder
	switch string(tiff[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return info, fmt.Errorf("bad TIFF header % x", tiff[:4])
	}
	type entry struct {
		typ   uint16
		count uint32
		field []byte // the 4-byte value/offset field
	}
	readIFD := func(off uint32) (map[uint16]entry, error) {
		if int(off)+2 > len(tiff) {
			return nil, fmt.Errorf("IFD offset %d out of range", off)
		}
		n := int(bo.Uint16(tiff[off:]))
		if int(off)+2+12*n+4 > len(tiff) {
			return nil, fmt.Errorf("IFD at %d truncated", off)
		}
		m := map[uint16]entry{}
		for k := 0; k < n; k++ {
			e := tiff[int(off)+2+12*k:]
			m[bo.Uint16(e)] = entry{bo.Uint16(e[2:]), bo.Uint32(e[4:]), e[8:12]}
		}
		return m, nil
	}
	str := func(m map[uint16]entry, tag uint16) string {
		e, ok := m[tag]
		if !ok || e.typ != 2 {
			return ""
		}
		v := e.field[:min(e.count, 4)]
		if e.count > 4 {
			o := bo.Uint32(e.field)
			if int(o)+int(e.count) > len(tiff) {
				return ""
			}
			v = tiff[o : o+e.count]
		}
		return strings.TrimRight(string(v), "\x00")
	}
	num := func(m map[uint16]entry, tag uint16) uint32 {
		switch e := m[tag]; e.typ {
		case 3:
			return uint32(bo.Uint16(e.field))
		case 4:
			return bo.Uint32(e.field)
		}
		return 0
	}
	ifd0, err := readIFD(bo.Uint32(tiff[4:]))
	if err != nil {
		return info, err
	}
	ptr, ok := ifd0[0x8769]
	if !ok {
		return info, fmt.Errorf("IFD0 has no ExifIFDPointer")
	}
	sub, err := readIFD(bo.Uint32(ptr.field))
	if err != nil {
		return info, err
	}
	return exifInfo{
		make: str(ifd0, 0x010F), model: str(ifd0, 0x0110),
		dateTimeOriginal: str(sub, 0x9003), offsetTimeOriginal: str(sub, 0x9011),
		width: num(sub, 0xA002), height: num(sub, 0xA003),
	}, nil
}

func TestPhotoEXIF(t *testing.T) {
	name := regexp.MustCompile(`^IMG_(\d{4})(\d\d)(\d\d)_(\d\d)(\d\d)(\d\d)\.jpg$`)
	files := readTree(t, committed)
	var n int
	for p, data := range files {
		if !strings.HasPrefix(p, "DCIM/Camera/") || path.Ext(p) != ".jpg" {
			continue
		}
		n++
		m := name.FindStringSubmatch(path.Base(p))
		if m == nil {
			t.Errorf("%s: unexpected name", p)
			continue
		}
		info, err := parseEXIF(data)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		want := fmt.Sprintf("%s:%s:%s %s:%s:%s", m[1], m[2], m[3], m[4], m[5], m[6])
		if info.dateTimeOriginal != want {
			t.Errorf("%s: DateTimeOriginal = %q, want %q", p, info.dateTimeOriginal, want)
		}
		if info.make != "Google" || info.model != "Pixel 7a" || info.offsetTimeOriginal != "+02:00" {
			t.Errorf("%s: got %+v", p, info)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if uint32(cfg.Width) != info.width || uint32(cfg.Height) != info.height {
			t.Errorf("%s: EXIF says %dx%d, image is %dx%d", p, info.width, info.height, cfg.Width, cfg.Height)
		}
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if n < 3 {
		t.Errorf("found %d camera JPEGs, want at least 3", n)
	}
}

func TestContacts(t *testing.T) {
	files := readTree(t, committed)
	for _, tc := range []struct {
		path, version string
		cards         int
		maxLine       int // 0: no limit (Android QP lines may be long)
	}{
		{"Contacts/contacts.vcf", "2.1", 12, 0},
		{"Contacts/family.vcf", "3.0", 3, 75},
	} {
		data := string(files[tc.path])
		checkCRLF(t, tc.path, data, tc.maxLine)
		if got := strings.Count(data, "BEGIN:VCARD\r\nVERSION:"+tc.version+"\r\n"); got != tc.cards {
			t.Errorf("%s: %d vCard %s cards, want %d", tc.path, got, tc.version, tc.cards)
		}
		// Every photo must unfold to base64 of a decodable JPEG.
		for _, m := range regexp.MustCompile(`\r\nPHOTO;[^:]*:([^\r]*(?:\r\n [^\r]*)*)\r\n`).FindAllStringSubmatch(data, -1) {
			raw, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(m[1], "\r\n ", ""))
			if err != nil {
				t.Errorf("%s: photo base64: %v", tc.path, err)
			} else if _, err := jpeg.Decode(bytes.NewReader(raw)); err != nil {
				t.Errorf("%s: photo: %v", tc.path, err)
			}
		}
	}
	v21 := string(files["Contacts/contacts.vcf"])
	for _, s := range []string{
		"TEL;CELL:", "TEL;HOME;VOICE:", "EMAIL;HOME:", "ADR;HOME:", "ORG:", "TITLE:", "BDAY:",
		"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:", "NOTE;ENCODING=QUOTED-PRINTABLE:",
		"=\r\n",                                  // QP soft line break
		"=5A=6F=C3=AB", "=E6=9D=8E", "=4A=C3=BC", // Zoë, 李, Jü
		"PHOTO;ENCODING=BASE64;JPEG:", "\r\n\r\n", // Android's empty line after PHOTO
	} {
		if !strings.Contains(v21, s) {
			t.Errorf("contacts.vcf lacks %q", s)
		}
	}
	v30 := string(files["Contacts/family.vcf"])
	for _, s := range []string{"item1.EMAIL;type=INTERNET;type=pref:", "X-ABLabel:", "PHOTO;ENCODING=b;TYPE=JPEG:", "UID:"} {
		if !strings.Contains(v30, s) {
			t.Errorf("family.vcf lacks %q", s)
		}
	}
}

func TestCalendar(t *testing.T) {
	data := string(readTree(t, committed)["Calendar/personal.ics"])
	checkCRLF(t, "personal.ics", data, 75)
	unfolded := strings.ReplaceAll(data, "\r\n ", "")
	for s, n := range map[string]int{
		"BEGIN:VEVENT\r\n": 7, "BEGIN:VTODO\r\n": 3, "BEGIN:VTIMEZONE\r\n": 1, "BEGIN:VALARM\r\n": 1,
		"BEGIN:STANDARD\r\n": 1, "BEGIN:DAYLIGHT\r\n": 1, "RRULE:FREQ=WEEKLY": 1, "RECURRENCE-ID;": 1,
		"DTSTART;VALUE=DATE:": 1, "\r\nCOMPLETED:": 1, "\r\nDUE;": 1, "PRIORITY:": 1,
		"STATUS:NEEDS-ACTION": 1, "UID:d41e6a2c-93b7-4f05-8e1d-5a7c2b9f0e63\r\n": 2,
	} {
		if got := strings.Count(unfolded, s); got != n {
			t.Errorf("personal.ics: %q occurs %d times, want %d", s, got, n)
		}
	}
	if !strings.Contains(data, "\r\n ") {
		t.Error("personal.ics has no folded lines")
	}
}

// checkCRLF requires CRLF line endings and, if maxLine > 0, physical lines
// of at most maxLine octets.
func checkCRLF(t *testing.T, name, data string, maxLine int) {
	t.Helper()
	if !strings.HasSuffix(data, "\r\n") {
		t.Errorf("%s: does not end in CRLF", name)
	}
	for i, l := range strings.Split(strings.TrimSuffix(data, "\r\n"), "\r\n") {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("%s:%d: bare CR or LF", name, i+1)
		}
		if maxLine > 0 && len(l) > maxLine {
			t.Errorf("%s:%d: %d octets, want <= %d", name, i+1, len(l), maxLine)
		}
	}
}

func TestVideoBoxes(t *testing.T) {
	data := readTree(t, committed)["DCIM/Camera/VID_20250614_102000.mp4"]
	var types []string
	for i := 0; i < len(data); {
		if i+8 > len(data) {
			t.Fatalf("truncated box header at %d", i)
		}
		size := int(binary.BigEndian.Uint32(data[i:]))
		if size < 8 || i+size > len(data) {
			t.Fatalf("bad box size %d at %d", size, i)
		}
		types = append(types, string(data[i+4:i+8]))
		i += size
	}
	if got := strings.Join(types, ","); got != "ftyp,free,mdat" {
		t.Errorf("boxes = %s", got)
	}
	if string(data[8:12]) != "mp42" || !bytes.Contains(data[16:24], []byte("isom")) {
		t.Errorf("unexpected ftyp % x", data[:24])
	}
}

func TestPDF(t *testing.T) {
	data := readTree(t, committed)["Documents/Scan 2025-06-01 (copy).pdf"]
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(data)
	if !bytes.HasPrefix(data, []byte("%PDF-1.4\n")) || m == nil {
		t.Fatal("not a well-formed PDF")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(data[xref:], []byte("xref\n")) {
		t.Fatalf("startxref %d does not point at xref", xref)
	}
	for i, e := range regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(data[xref:], -1) {
		off, _ := strconv.Atoi(string(e[1])) // not Sscan: leading zeros would mean octal
		if want := fmt.Sprintf("%d 0 obj\n", i+1); !bytes.HasPrefix(data[off:], []byte(want)) {
			t.Errorf("xref entry %d points at %q", i+1, data[off:off+10])
		}
	}
}
