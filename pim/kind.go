// Package pim recognises phone PIM data (vCard contacts, iCalendar
// calendars) and media files, and cuts vCard and iCalendar files at record
// boundaries so that a backup can deduplicate single contacts and events.
//
// Classify and Split parse no property values: they only look at line
// structure (BEGIN/END lines, folding, quoted-printable soft breaks), keep
// every byte, never recurse, and run in linear time on any input.
//
// ParseRecord indexes one record piece (UID, identity key, display name,
// decoded fields) from a normalised copy of its bytes, so that records can
// be found (Record.Matches) and their changes described (Diff); the stored
// bytes are never re-encoded.
package pim

import (
	"bytes"
	"strings"
)

// Kind is what a file holds, decided from its name and first bytes.
type Kind uint8

// The kinds of file Classify tells apart.
const (
	KindOther Kind = iota
	KindVCard
	KindICal
	KindMedia
)

// String returns "other", "vcard", "ical" or "media".
func (k Kind) String() string {
	switch k {
	case KindVCard:
		return "vcard"
	case KindICal:
		return "ical"
	case KindMedia:
		return "media"
	}
	return "other"
}

// HeadSize is how many leading bytes of a file Classify looks at.
const HeadSize = 4096

// Classify decides a file's kind from its base name and up to its first
// HeadSize (4096) bytes; longer heads are cut.
//
// Content wins over extension for vCard/iCalendar: after an optional UTF-8
// BOM and leading blank lines, a first line "BEGIN:VCARD" (any case,
// trailing blanks allowed, folding undone) is KindVCard, and
// "BEGIN:VCALENDAR" or a bare BEGIN:VEVENT/VTODO/VJOURNAL/VFREEBUSY/VTIMEZONE
// is KindICal, whatever the extension. Otherwise a .vcf/.vcard name is
// KindVCard and a .ics/.ical/.icalendar/.ifb/.vcs name is KindICal, so
// garbage in a .ics still goes through the iCalendar splitter. Then media is
// recognised by magic number, then by extension. Everything else is
// KindOther.
func Classify(name string, head []byte) Kind {
	if len(head) > HeadSize {
		head = head[:HeadSize]
	}
	if k := classifyText(head); k != KindOther {
		return k
	}
	ext := extOf(name)
	switch ext {
	case "vcf", "vcard":
		return KindVCard
	case "ics", "ical", "icalendar", "ifb", "vcs":
		return KindICal
	}
	if isMediaMagic(head) || mediaExt[ext] {
		return KindMedia
	}
	return KindOther
}

// classifyText looks at the first non-blank logical line of head.
func classifyText(head []byte) Kind {
	r := newLineReader(head)
	var ll logicalLine
	for r.next(&ll) {
		if ll.blank {
			continue
		}
		if ll.tag != tagBegin {
			return KindOther
		}
		switch ll.comp {
		case compVCard:
			return KindVCard
		case compVCalendar, compVEvent, compVTodo, compVJournal, compVFreeBusy, compVTimezone:
			return KindICal
		}
		return KindOther
	}
	return KindOther
}

// extOf returns the lower-case extension of the last path element of name,
// without the dot, or "" if there is none.
func extOf(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	return strings.ToLower(name[i+1:])
}

// mediaExt lists extensions of photo, raw photo and video files.
var mediaExt = map[string]bool{
	"jpg": true, "jpeg": true, "jpe": true, "jfif": true,
	"heic": true, "heif": true, "hif": true, "avif": true,
	"png": true, "gif": true, "webp": true, "bmp": true,
	"tif": true, "tiff": true, "dng": true,
	"cr2": true, "cr3": true, "crw": true, "nef": true, "nrw": true,
	"arw": true, "srf": true, "sr2": true, "orf": true, "rw2": true,
	"raf": true, "pef": true, "srw": true, "x3f": true, "raw": true,
	"mp4": true, "m4v": true, "mov": true, "qt": true,
	"3gp": true, "3g2": true, "avi": true, "mkv": true, "webm": true,
	"mts": true, "m2ts": true, "mpg": true, "mpeg": true, "wmv": true,
}

// magics are fixed leading byte strings of media formats.
var magics = [][]byte{
	{0xFF, 0xD8, 0xFF}, // JPEG
	{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, // PNG
	[]byte("GIF87a"),
	[]byte("GIF89a"),
	{'I', 'I', '*', 0},   // TIFF little-endian: also DNG, CR2, NEF, ARW...
	{'M', 'M', 0, '*'},   // TIFF big-endian
	{'I', 'I', 'R', 'O'}, // Olympus ORF
	{'I', 'I', 'R', 'S'}, // Olympus ORF
	{'I', 'I', 'U', 0},   // Panasonic RW2
	[]byte("FUJIFILMCCD-RAW"),
	{0x1A, 0x45, 0xDF, 0xA3}, // Matroska, WebM
	{0x00, 0x00, 0x01, 0xBA}, // MPEG program stream
}

// isMediaMagic reports whether head starts like a photo or video file.
func isMediaMagic(head []byte) bool {
	for _, m := range magics {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	if len(head) >= 12 && string(head[:4]) == "RIFF" {
		switch string(head[8:12]) {
		case "WEBP", "AVI ":
			return true
		}
	}
	return isMediaFtyp(head)
}

// isMediaFtyp reports whether head starts with an ISO-BMFF "ftyp" box whose
// major brand, or one of whose compatible brands, is a photo or video brand.
func isMediaFtyp(head []byte) bool {
	if len(head) < 12 || string(head[4:8]) != "ftyp" {
		return false
	}
	if mediaBrand(head[8:12]) {
		return true
	}
	size := int(head[0])<<24 | int(head[1])<<16 | int(head[2])<<8 | int(head[3])
	if size > len(head) || size < 16 {
		size = min(len(head), 256)
	}
	for i := 16; i+4 <= size; i += 4 { // compatible brands follow the minor version
		if mediaBrand(head[i : i+4]) {
			return true
		}
	}
	return false
}

// mediaBrand reports whether an ISO-BMFF brand is one of an image or video.
func mediaBrand(b []byte) bool {
	s := string(b)
	if strings.HasPrefix(s, "3gp") || strings.HasPrefix(s, "3g2") {
		return true
	}
	switch s {
	case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1",
		"avif", "avis", "isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42",
		"avc1", "M4V ", "M4VH", "M4VP", "qt  ", "crx ", "mmp4", "MSNV", "f4v ":
		return true
	}
	return false
}
