package pim

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-vcard"
)

// Library validation: a second opinion from go-vcard and go-ical.
//
// Neither library copes with real files on its own (NOTES.md): go-vcard
// drops vCard 2.1 data it cannot parse (bare TEL;CELL:, quoted-printable soft
// breaks, CHARSET); go-ical panics on some lines (ORGANIZER;CN=x with no
// value), rejects a BOM and bare components, recurses without a depth limit,
// and builds quoted parameter values in quadratic time. So they are given a
// normalised copy built from the line parser's output: one CRLF line per
// property, "NAME;PARAM=V:value", with quoted-printable and charsets decoded
// to UTF-8, ENCODING/CHARSET dropped, newlines in values written as \n,
// base64 values replaced by a short placeholder, and parameter values cut
// at maxLibParam bytes. iCalendar components are wrapped in a minimal VCALENDAR;
// nested vCards are left out of the copy (go-vcard does not nest). The copy
// is at most maxLibCopy bytes and maxRecordDepth deep, or the libraries are
// not run. Panics are recovered and reported as errors.

// maxLibCopy bounds the normalised copy handed to a library, and
// maxLibParam each parameter value in it.
const (
	maxLibCopy  = 1 << 20
	maxLibParam = 256
)

// errTooBig says a record was not shown to a library.
var errTooBig = errors.New("too big for library validation")

// validate runs the library for kind over the parsed record. It returns nil
// when the library accepts it, or was not run (RecNone, copy too big).
func validate(kind RecordKind, p *recParser) error {
	if kind == RecNone {
		return errors.New("not a record")
	}
	_, err := libParse(kind, p)
	if errors.Is(err, errTooBig) {
		return nil
	}
	return err
}

// libParse returns the library's view of the record: a vcard.Card for
// contacts, an *ical.Component for other kinds.
func libParse(kind RecordKind, p *recParser) (v any, err error) {
	cp, ok := libCopy(kind, p)
	if !ok {
		return nil, errTooBig
	}
	return libDecode(kind, cp)
}

// libDecode parses data with the library for kind, recovering panics.
func libDecode(kind RecordKind, data []byte) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("%s panicked: %.80v", libName(kind), r)
		}
	}()
	// Both libraries wrap their reader in a bufio.Reader, which takes a
	// *bufio.Reader of at least the default size as it is: one from the
	// pool spares a 4 KiB buffer per record. Nothing they return points
	// into it.
	br := readers.Get().(*bufio.Reader)
	br.Reset(bytes.NewReader(data))
	defer func() { br.Reset(nil); readers.Put(br) }()
	if kind == RecContact {
		card, err := vcard.NewDecoder(br).Decode()
		if err != nil {
			return nil, fmt.Errorf("go-vcard: %.80v", err)
		}
		return card, nil
	}
	cal, err := ical.NewDecoder(br).Decode()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("go-ical: %.80v", err)
	}
	if len(cal.Children) != 1 {
		return nil, fmt.Errorf("go-ical: %d components", len(cal.Children))
	}
	return cal.Children[0], nil
}

// readers pools the bufio.Readers libDecode hands the libraries.
var readers = sync.Pool{New: func() any { return bufio.NewReader(nil) }}

func libName(kind RecordKind) string {
	if kind == RecContact {
		return "go-vcard"
	}
	return "go-ical"
}

// libCopy writes the normalised copy, or reports false if it would be too
// big or too deep.
func libCopy(kind RecordKind, p *recParser) ([]byte, bool) {
	if p.overflow > 0 || p.deepNoted {
		return nil, false
	}
	var b bytes.Buffer
	isCal := kind != RecContact
	if isCal {
		b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//lifeboat//index//EN\r\n")
	}
	for _, it := range p.items {
		if b.Len() > maxLibCopy {
			return nil, false
		}
		if !isCal && it.depth > 1 {
			continue
		}
		switch {
		case it.begin:
			fmt.Fprintf(&b, "BEGIN:%s\r\n", it.comp)
		case it.end:
			fmt.Fprintf(&b, "END:%s\r\n", it.comp)
		default:
			writeLibLine(&b, &p.props[it.prop], p.charsets, p.damaged)
		}
	}
	if isCal {
		b.WriteString("END:VCALENDAR\r\n")
	}
	return b.Bytes(), b.Len() <= maxLibCopy
}

// writeLibLine writes one property of the copy.
func writeLibLine(b *bytes.Buffer, r *rawProp, recCharsets []string, damaged bool) {
	b.WriteString(r.name)
	var charsets []string
	for _, pr := range r.params {
		switch pr.name {
		case "CHARSET":
			charsets = append(charsets, pr.values...)
			continue
		case "ENCODING":
			continue
		}
		if !validName(pr.name) {
			continue
		}
		b.WriteByte(';')
		b.WriteString(pr.name)
		b.WriteByte('=')
		for i, v := range pr.values {
			if i > 0 {
				b.WriteByte(',')
			}
			v = strings.Map(func(c rune) rune {
				if c == '"' || c < 0x20 {
					return -1
				}
				return c
			}, v)
			if len(v) > maxLibParam {
				v = v[:maxLibParam] // go-ical reads parameter values in quadratic time
			}
			if strings.ContainsAny(v, ":;,") {
				v = `"` + v + `"`
			}
			b.WriteString(v)
		}
	}
	b.WriteByte(':')
	if r.binary {
		b.WriteString("BINARY")
	} else {
		raw := r.value
		if r.qp {
			raw = decodeQP(raw)
		}
		s := cleanText(decodeText(raw, charsets, recCharsets, damaged))
		b.WriteString(strings.ReplaceAll(s, "\n", `\n`))
	}
	b.WriteString("\r\n")
}
