package pim

import (
	"strings"
	"testing"
)

// ftyp returns the start of an ISO-BMFF file with the given major brand and
// compatible brands.
func ftyp(major string, compat ...string) string {
	body := major + "\x00\x00\x00\x00" + strings.Join(compat, "")
	n := 8 + len(body)
	return string([]byte{0, 0, byte(n >> 8), byte(n)}) + "ftyp" + body + "\x00\x00\x00\x08free"
}

func TestClassify(t *testing.T) {
	cases := []struct {
		name, file, head string
		want             Kind
	}{
		{"vcard by content", "contacts.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\n", KindVCard},
		{"vcard content wins over .ics", "x.ics", "BEGIN:VCARD\r\n", KindVCard},
		{"vcard content wins over .jpg", "x.jpg", "begin:vcard\n", KindVCard},
		{"vcard content, no name", "", "BEGIN:VCARD\n", KindVCard},
		{"vcard after BOM and blank lines", "x", "\xEF\xBB\xBF\r\n  \r\n\nBEGIN:VCARD \r\n", KindVCard},
		{"vcard folded first line", "x", "BEGIN:VC\r\n ARD\r\n", KindVCard},
		{"ical by content", "x.txt", "BEGIN:VCALENDAR\r\n", KindICal},
		{"vcalendar in .vcf", "user-cal.vcf", "BEGIN:VCALENDAR\nVERSION:1.0\n", KindICal},
		{"bare VEVENT", "x", "BEGIN:VEVENT\n", KindICal},
		{"bare VTODO", "x", "BEGIN:VTODO\n", KindICal},
		{"bare VJOURNAL", "x", "BEGIN:VJOURNAL\n", KindICal},
		{"bare VFREEBUSY", "x", "BEGIN:VFREEBUSY\n", KindICal},
		{"bare VTIMEZONE", "x", "BEGIN:VTIMEZONE\n", KindICal},
		{"bare VALARM is not enough", "x", "BEGIN:VALARM\n", KindOther},
		{"garbage .ics", "x.ics", "\x00\x01garbage", KindICal},
		{"garbage .VCF", "DIR/X.VCF", "garbage", KindVCard},
		{"jpeg magic in .ics stays ical", "x.ics", "\xFF\xD8\xFF\xE0", KindICal},
		{".vcard", "a.vcard", "", KindVCard},
		{".ifb", "a.ifb", "", KindICal},
		{".ical", `C:\x\a.ical`, "", KindICal},
		{"jpeg magic", "IMG_0001", "\xFF\xD8\xFF\xE1\x00\x10Exif", KindMedia},
		{"png magic", "x", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", KindMedia},
		{"gif magic", "x", "GIF89a\x01\x00", KindMedia},
		{"webp magic", "x", "RIFF\x10\x00\x00\x00WEBPVP8 ", KindMedia},
		{"tiff/dng magic", "x", "II*\x00\x08\x00\x00\x00", KindMedia},
		{"big-endian tiff magic", "x", "MM\x00*\x00\x00\x00\x08", KindMedia},
		{"heic magic", "x", ftyp("heic", "mif1", "heic"), KindMedia},
		{"mp4 magic", "x", ftyp("isom", "isom", "iso2", "avc1", "mp41"), KindMedia},
		{"mov magic", "x", ftyp("qt  ", "qt  "), KindMedia},
		{"3gp magic", "x", ftyp("3gp5", "3gp5"), KindMedia},
		{"media by compatible brand", "x", ftyp("zzzz", "zzzz", "mp42"), KindMedia},
		{"unknown ftyp brand", "x", ftyp("zzzz", "yyyy"), KindOther},
		{"matroska magic", "x", "\x1a\x45\xdf\xa3\x01", KindMedia},
		{"media by extension", "clip.MOV", "not a real header", KindMedia},
		{"media by extension heic", "IMG_1.HEIC", "", KindMedia},
		{"raw by extension", "DSC_1.nef", "", KindMedia},
		{"text", "notes.txt", "hello\n", KindOther},
		{"empty", "", "", KindOther},
		{"BEGIN: not first line", "x", "hello\nBEGIN:VCARD\n", KindOther},
		{"vcard name with suffix", "x", "BEGIN:VCARDS\n", KindOther},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.file, []byte(tc.head)); got != tc.want {
				t.Errorf("Classify(%q, %q) = %v, want %v", tc.file, tc.head, got, tc.want)
			}
		})
	}
}

func TestClassifyLongHead(t *testing.T) {
	head := strings.Repeat("\n", HeadSize) + "BEGIN:VCARD\n"
	if got := Classify("x", []byte(head)); got != KindOther {
		t.Errorf("BEGIN after the first %d bytes: got %v, want other", HeadSize, got)
	}
	head = "BEGIN:VCARD\n" + strings.Repeat("x", 10*HeadSize)
	if got := Classify("x", []byte(head)); got != KindVCard {
		t.Errorf("long vCard head: got %v, want vcard", got)
	}
}

func TestKindString(t *testing.T) {
	want := map[Kind]string{KindOther: "other", KindVCard: "vcard", KindICal: "ical", KindMedia: "media", 99: "other"}
	for k, s := range want {
		if k.String() != s {
			t.Errorf("Kind(%d).String() = %q, want %q", k, k.String(), s)
		}
	}
	if RecEvent.String() != "event" || RecordKind(99).String() != "invalid" {
		t.Errorf("RecordKind.String: %q %q", RecEvent.String(), RecordKind(99).String())
	}
}
