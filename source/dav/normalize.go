package dav

import (
	"bytes"
	"regexp"
)

// crlf writes every line end of a record as CRLF when it has CR CR LF
// (iPhone exports) or bare CR ones: Xandikos refuses such a card
// ("Missing header and trailer lines", inside a 207), and the line ends
// carry no meaning. A record with only CRLF or only LF line ends is
// returned as it is.
func crlf(rec []byte) []byte {
	if !needsCRLF(rec) {
		return rec
	}
	out := make([]byte, 0, len(rec)+len(rec)/32)
	for i := 0; i < len(rec); i++ {
		switch {
		case rec[i] != '\r':
			out = append(out, rec[i])
		case i+2 < len(rec) && rec[i+1] == '\r' && rec[i+2] == '\n':
			out = append(out, '\r', '\n')
			i += 2
		case i+1 < len(rec) && rec[i+1] == '\n':
			out = append(out, '\r', '\n')
			i++
		default:
			out = append(out, '\r', '\n')
		}
	}
	return out
}

// needsCRLF reports whether rec has a CR that is not the start of CRLF.
func needsCRLF(rec []byte) bool {
	for i := bytes.IndexByte(rec, '\r'); i >= 0; {
		if i+1 >= len(rec) || rec[i+1] != '\n' {
			return true
		}
		j := bytes.IndexByte(rec[i+1:], '\r')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// version21 finds a vCard 2.1 card.
var version21 = regexp.MustCompile(`(?mi)^VERSION:2\.1\r?$`)

// typeParams writes a vCard 2.1 card's bare parameters with their names,
// as 2.1 allows and 3.0 requires: TEL;CELL;VOICE becomes
// TEL;TYPE=CELL;TYPE=VOICE, a bare QUOTED-PRINTABLE becomes
// ENCODING=QUOTED-PRINTABLE. Radicale takes bare parameters and drops
// them, so that the phone number restored there says no more that it is
// a mobile's.
func typeParams(card []byte) []byte {
	if !version21.Match(card) {
		return card
	}
	var out bytes.Buffer
	out.Grow(len(card) + len(card)/16)
	for len(card) > 0 {
		line, rest, eol := cutLine(card)
		card = rest
		params, value, ok := bytes.Cut(line, []byte(":"))
		if ok && len(line) > 0 && line[0] != ' ' && line[0] != '\t' && bytes.IndexByte(params, ';') >= 0 {
			out.Write(namedParams(params))
			out.WriteByte(':')
			out.Write(value)
		} else {
			out.Write(line)
		}
		out.Write(eol)
	}
	return out.Bytes()
}

// namedParams names a property's bare parameters (see typeParams).
func namedParams(params []byte) []byte {
	parts := bytes.Split(params, []byte(";"))
	for i, p := range parts[1:] {
		switch {
		case len(p) == 0 || bytes.ContainsRune(p, '='):
		case isEncoding(p):
			parts[i+1] = append([]byte("ENCODING="), p...)
		default:
			parts[i+1] = append([]byte("TYPE="), p...)
		}
	}
	return bytes.Join(parts, []byte(";"))
}

func isEncoding(p []byte) bool {
	for _, e := range []string{"QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT"} {
		if bytes.EqualFold(p, []byte(e)) {
			return true
		}
	}
	return false
}

// base64Param finds a vCard 2.1 inline binary value (PHOTO, LOGO, SOUND,
// KEY): ENCODING=BASE64 or a bare BASE64 parameter.
var base64Param = regexp.MustCompile(`(?i);(ENCODING=)?BASE64[;:]`)

// inlineBinary writes a vCard 2.1 inline binary value the way vCard 3.0
// does, which every server takes: ENCODING=b instead of ENCODING=BASE64
// (Radicale refuses the card otherwise: "Failed to serialize item ... a
// bytes-like object is required"), bare parameters (JPEG) as TYPE=JPEG,
// the base64 on one line, without the empty line that ends it in 2.1.
// The picture's bytes stay the same.
func inlineBinary(card []byte) []byte {
	if !base64Param.Match(card) {
		return card
	}
	var out bytes.Buffer
	out.Grow(len(card))
	for len(card) > 0 {
		line, rest, eol := cutLine(card)
		card = rest
		params, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !isBinary(params) {
			out.Write(line)
			out.Write(eol)
			continue
		}
		out.Write(binaryParams(params))
		out.WriteByte(':')
		out.Write(value)
		for len(card) > 0 && (card[0] == ' ' || card[0] == '\t') {
			line, rest, _ = cutLine(card)
			card = rest
			out.Write(line[1:])
		}
		out.Write(eol)
		if next, rest, _ := cutLine(card); len(next) == 0 && len(rest) > 0 {
			card = rest // 2.1's empty line after a base64 value
		}
	}
	return out.Bytes()
}

// isBinary reports whether a property's name and parameters say base64.
func isBinary(params []byte) bool {
	parts := bytes.Split(params, []byte(";"))
	for _, p := range parts[1:] {
		if bytes.EqualFold(p, []byte("ENCODING=BASE64")) || bytes.EqualFold(p, []byte("BASE64")) {
			return true
		}
	}
	return false
}

// binaryParams rewrites a binary property's name and parameters:
// PHOTO;ENCODING=BASE64;JPEG becomes PHOTO;ENCODING=b;TYPE=JPEG.
func binaryParams(params []byte) []byte {
	parts := bytes.Split(params, []byte(";"))
	for i, p := range parts[1:] {
		switch {
		case bytes.EqualFold(p, []byte("ENCODING=BASE64")), bytes.EqualFold(p, []byte("BASE64")):
			parts[i+1] = []byte("ENCODING=b")
		case len(p) > 0 && !bytes.ContainsRune(p, '='):
			parts[i+1] = append([]byte("TYPE="), p...)
		}
	}
	return bytes.Join(parts, []byte(";"))
}

// cutLine splits off the first line and its terminator (CRLF or LF; the
// record went through crlf before).
func cutLine(b []byte) (line, rest, eol []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, nil
	}
	j := i
	if j > 0 && b[j-1] == '\r' {
		j--
	}
	return b[:j], b[i+1:], b[j : i+1]
}
