package pim

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
)

// Text decoding. Values are bytes in whatever charset the writer used; the
// index wants UTF-8. decodeText decides, in this order:
//
//  1. valid UTF-8 without NUL or ESC bytes is taken as it is, whatever
//     CHARSET says (Latin-1 or Shift_JIS text is practically never valid
//     UTF-8, while exporters do mislabel UTF-8; NUL and ESC bytes may be
//     UTF-16 or ISO-2022-JP);
//  2. the value's own CHARSET, then the record's (the first CHARSETs seen in
//     it, for the 2.1 habit of labelling only some lines), if
//     golang.org/x/text knows it and decoding produces no U+FFFD;
//  3. otherwise valid UTF-8 as it is;
//  4. damaged UTF-8, e.g. a lossy transcoding that replaced bytes with '?'
//     (the value, or the whole record, has at least twice as many bytes in
//     valid multi-byte sequences as invalid bytes): invalid bytes dropped;
//  5. Shift_JIS (phones that write raw Shift_JIS without CHARSET), if it
//     decodes without error into Japanese characters and does not look like
//     Latin text misread: a run of non-ASCII characters glued to ASCII letters
//     on both sides ("H<kanji><kanji>e" for the Latin-1 "Hélène"), or a lone
//     one glued to a letter ("<kana>sa" for "Åsa"), rejects it;
//  6. Windows-1252, which accepts any byte (ISO-8859-1 is a subset for text).

// replacement is U+FFFD in UTF-8.
var replacement = []byte("\uFFFD")

// charsetByName returns the encoding named by a CHARSET parameter, or nil.
func charsetByName(name string) encoding.Encoding {
	name = strings.TrimSpace(name)
	switch strings.ToUpper(name) {
	case "":
		return nil
	case "CP932", "WINDOWS-31J", "MS932", "SJIS", "X-SJIS", "SHIFT-JIS", "SHIFT_JIS":
		return japanese.ShiftJIS
	}
	if e, err := htmlindex.Get(name); err == nil && e != nil {
		return e
	}
	if e, err := ianaindex.IANA.Encoding(name); err == nil && e != nil {
		return e
	}
	return nil
}

// toUTF8 returns b as UTF-8 text; charsets are the value's declared
// CHARSET values (unknown names are ignored).
func toUTF8(b []byte, charsets []string) string {
	return decodeText(b, charsets, nil, false)
}

// decodeText returns b as UTF-8 text. own are the value's CHARSET values,
// rec the record's; damaged says the whole record looks like damaged UTF-8.
func decodeText(b []byte, own, rec []string, damaged bool) string {
	if utf8.Valid(b) && bytes.IndexByte(b, 0) < 0 && bytes.IndexByte(b, 0x1B) < 0 {
		return string(b)
	}
	for _, names := range [2][]string{own, rec} {
		for _, cs := range names {
			e := charsetByName(cs)
			if e == nil {
				continue
			}
			out, err := e.NewDecoder().Bytes(b)
			if err == nil && (!bytes.Contains(out, replacement) || bytes.Contains(b, replacement)) {
				return string(out)
			}
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	if s, ok := damagedUTF8(b); ok || damaged {
		return s
	}
	if s, ok := shiftJIS(b); ok {
		return s
	}
	out, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	return strings.ReplaceAll(string(out), "\uFFFD", "")
}

// damagedUTF8 returns b without its invalid bytes, and whether b looks
// like damaged UTF-8 (see looksDamagedUTF8).
func damagedUTF8(in []byte) (string, bool) {
	var sb strings.Builder
	for b := in; len(b) > 0; {
		r, n := utf8.DecodeRune(b)
		if r != utf8.RuneError || n > 1 {
			sb.Write(b[:n])
		}
		b = b[n:]
	}
	return sb.String(), looksDamagedUTF8(in)
}

// looksDamagedUTF8 reports whether b holds at least twice as many bytes in
// valid multi-byte UTF-8 sequences as invalid bytes. Shift_JIS and
// Windows-1252 text rarely form valid multi-byte sequences.
func looksDamagedUTF8(b []byte) bool {
	good, bad := 0, 0
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n <= 1:
			bad++
		case n > 1:
			good += n
		}
		b = b[n:]
	}
	return bad > 0 && good >= 2*bad
}

// shiftJIS decodes b as Shift_JIS if that looks right.
func shiftJIS(b []byte) (string, bool) {
	out, err := japanese.ShiftJIS.NewDecoder().Bytes(b)
	if err != nil {
		return "", false
	}
	s := string(out)
	if strings.ContainsRune(s, utf8.RuneError) {
		return "", false
	}
	rs := []rune(s)
	for _, r := range rs {
		if r >= utf8.RuneSelf && !isJapanese(r) {
			return "", false
		}
	}
	// Latin text misread: a run of non-ASCII characters that is one
	// character glued to a letter, or is glued to letters on both sides.
	for i := 0; i < len(rs); {
		if rs[i] < utf8.RuneSelf {
			i++
			continue
		}
		j := i
		for j < len(rs) && rs[j] >= utf8.RuneSelf {
			j++
		}
		left := i > 0 && isASCIILetter(rs[i-1])
		right := j < len(rs) && isASCIILetter(rs[j])
		if left && right || j-i == 1 && (left || right) {
			return "", false
		}
		i = j
	}
	return s, true
}

// isJapanese reports whether r is a character Shift_JIS text is made of:
// kana, kanji, CJK punctuation and symbols, full- and half-width forms.
func isJapanese(r rune) bool {
	switch {
	case unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han):
		return true
	case 0x3000 <= r && r <= 0x30FF, 0xFF00 <= r && r <= 0xFFEF:
		return true
	case 0x2010 <= r && r <= 0x2312, 0x2500 <= r && r <= 0x26FF, 0x0391 <= r && r <= 0x0451, r == 0xA7, r == 0xA8, r == 0xB0, r == 0xB1, r == 0xB4, r == 0xB6, r == 0xD7, r == 0xF7:
		return true // symbols, Greek and Cyrillic of JIS X 0208
	}
	return false
}

func isASCIILetter(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

// cleanText removes NUL and other control characters except TAB and LF,
// and turns CR LF and lone CR into LF.
func cleanText(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' || r == 0x7F || 0x80 <= r && r < 0xA0 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r < 0x20 && r != '\t' && r != '\n', r == 0x7F, 0x80 <= r && r < 0xA0:
			return -1
		}
		return r
	}, s)
}

// decodeQP decodes quoted-printable text tolerantly: "=XY" (any case) is a
// byte, any other '=' is kept. Soft breaks were joined by the tokenizer.
func decodeQP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '=' && i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
			out = append(out, unhex(b[i+1])<<4|unhex(b[i+2]))
			i += 2
			continue
		}
		out = append(out, b[i])
	}
	return out
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
