package records

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// photo returns the inline PHOTO of a card's bytes, decoded, or nil: a
// base64 value (vCard 2.1 and 3.0, ENCODING=B or BASE64, folded or in
// bare vCard 2.1 continuation lines) or a data: URI (vCard 4.0). URIs that
// point elsewhere, values over MaxPhoto and undecodable ones are nil.
func photo(raw []byte) []byte {
	lines := bytes.Split(raw, []byte("\n"))
	for i := 0; i < len(lines); i++ {
		head, val, ok := bytes.Cut(trimCR(lines[i]), []byte(":"))
		if !ok || !isPhoto(head) {
			continue
		}
		var b64 bytes.Buffer
		b64.Write(val)
		bare := bytes.Contains(bytes.ToUpper(head), []byte("BASE64"))
		for i+1 < len(lines) && b64.Len() <= MaxPhoto*4/3+8 {
			next := trimCR(lines[i+1])
			switch {
			case len(next) > 0 && (next[0] == ' ' || next[0] == '\t'):
				b64.Write(next[1:])
			case bare && len(next) > 0 && !bytes.Contains(next, []byte(":")):
				b64.Write(next)
			default:
				return decodePhoto(b64.Bytes())
			}
			i++
		}
		return decodePhoto(b64.Bytes())
	}
	return nil
}

func trimCR(b []byte) []byte { return bytes.TrimSuffix(b, []byte("\r")) }

// isPhoto reports whether a line's name and parameters are a PHOTO's
// (behind a group or not).
func isPhoto(head []byte) bool {
	name, _, _ := bytes.Cut(head, []byte(";"))
	if i := bytes.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return strings.EqualFold(strings.TrimSpace(string(name)), "PHOTO")
}

func decodePhoto(v []byte) []byte {
	v = bytes.TrimSpace(v)
	if len(v) > 5 && strings.EqualFold(string(v[:5]), "data:") {
		_, after, ok := bytes.Cut(v, []byte(","))
		if !ok || !bytes.Contains(bytes.ToLower(v[:len(v)-len(after)]), []byte(";base64")) {
			return nil
		}
		v = after
	}
	v = bytes.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == '=' {
			return -1
		}
		return r
	}, v)
	if len(v) == 0 || len(v) > MaxPhoto*4/3+4 {
		return nil
	}
	out, err := base64.RawStdEncoding.DecodeString(string(v))
	if err != nil || len(out) > MaxPhoto || len(out) == 0 {
		return nil
	}
	return out
}
