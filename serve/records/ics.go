package records

import "bytes"

// ICS returns a calendar file that holds the event id alone: its
// components as stored, with the VTIMEZONE components of its file that
// they name (by TZID), for a download.
func (c *Cal) ICS(id string) ([]byte, bool) {
	s := c.byID[id]
	if s == nil {
		return nil, false
	}
	var b bytes.Buffer
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//lifeboat//serve//EN\r\n")
	var parts []*piece
	if s.master != nil {
		parts = append(parts, s.master)
	}
	parts = append(parts, s.exceptions...)
	done := map[string]bool{}
	for _, p := range parts {
		for _, q := range p.props {
			if tz := tzid(&q); tz != "" && !done[tz] {
				done[tz] = true
				if z := c.zones[s.path][tz]; z != nil {
					writeLine(&b, z)
				}
			}
		}
	}
	for _, p := range parts {
		writeLine(&b, p.raw)
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.Bytes(), true
}

// writeLine writes a component's bytes, ending them with CRLF if they
// do not end a line.
func writeLine(b *bytes.Buffer, raw []byte) {
	b.Write(raw)
	if !bytes.HasSuffix(raw, []byte("\n")) {
		b.WriteString("\r\n")
	}
}
