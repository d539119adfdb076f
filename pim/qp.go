package pim

import "bytes"

// JoinSoftBreaks undoes vCard 2.1 quoted-printable soft line breaks: a
// QUOTED-PRINTABLE value line ending in "=" continues on the next line.
// Many importers (and Python's vobject) take the continuation for a new
// property and reject the card, while the joined line means exactly the
// same under quoted-printable. It is the only change export makes inside
// a card; cards without soft breaks keep their bytes.
func JoinSoftBreaks(card []byte) []byte {
	if !bytes.Contains(bytes.ToUpper(card), []byte("QUOTED-PRINTABLE")) {
		return card
	}
	var out bytes.Buffer
	inQP := false
	for len(card) > 0 {
		line, rest, eol := cutLine(card)
		card = rest
		if !inQP {
			name, _, found := bytes.Cut(line, []byte(":"))
			inQP = found && bytes.Contains(bytes.ToUpper(name), []byte("QUOTED-PRINTABLE"))
		}
		if inQP && bytes.HasSuffix(line, []byte("=")) && len(rest) > 0 {
			out.Write(line[:len(line)-1])
			continue
		}
		out.Write(line)
		out.Write(eol)
		inQP = false
	}
	return out.Bytes()
}

// cutLine splits off the first line and its terminator (CRLF, LF, CR, or
// CR CR LF).
func cutLine(b []byte) (line, rest, eol []byte) {
	i := bytes.IndexAny(b, "\r\n")
	if i < 0 {
		return b, nil, nil
	}
	j := i + 1
	if b[i] == '\r' {
		switch {
		case j < len(b) && b[j] == '\n':
			j++
		case j+1 < len(b) && b[j] == '\r' && b[j+1] == '\n':
			j += 2
		}
	}
	return b[:i], b[j:], b[i:j]
}
