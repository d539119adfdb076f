package format

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrCorrupt is returned when bytes do not decode as the expected structure.
var ErrCorrupt = errors.New("corrupt encoding")

func corrupt(what string) error { return fmt.Errorf("%s: %w", what, ErrCorrupt) }

// encoder appends primitive values to a byte slice.
type encoder struct{ b []byte }

func (e *encoder) byte(v byte)      { e.b = append(e.b, v) }
func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) id(id ID)         { e.b = append(e.b, id[:]...) }
func (e *encoder) bytes(v []byte)   { e.uvarint(uint64(len(v))); e.b = append(e.b, v...) }
func (e *encoder) string(v string)  { e.uvarint(uint64(len(v))); e.b = append(e.b, v...) }
func (e *encoder) ids(ids []ID) {
	e.uvarint(uint64(len(ids)))
	for _, id := range ids {
		e.id(id)
	}
}

// decoder reads primitive values, remembering the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = corrupt(what)
	}
}

func (d *decoder) byte() byte {
	if d.err != nil || len(d.b) < 1 {
		d.fail("short byte")
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 || n != uvarintLen(v) {
		d.fail("bad or non-minimal uvarint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// uvarint32 reads a uvarint that must fit in 32 bits.
func (d *decoder) uvarint32() uint32 {
	v := d.uvarint()
	if v > 1<<32-1 {
		d.fail("value exceeds 32 bits")
		return 0
	}
	return uint32(v)
}

func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	ux := uint64(v) << 1
	if v < 0 {
		ux = ^ux
	}
	if n <= 0 || n != uvarintLen(ux) {
		d.fail("bad or non-minimal varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a length prefix and checks that at least n*min bytes remain,
// so a hostile count cannot cause a huge allocation.
func (d *decoder) count(min int) int {
	n := d.uvarint()
	if d.err != nil {
		return 0
	}
	if min < 1 {
		min = 1
	}
	if n > uint64(len(d.b)/min) {
		d.fail("count exceeds data")
		return 0
	}
	return int(n)
}

func (d *decoder) id() ID {
	var id ID
	if d.err != nil || len(d.b) < IDSize {
		d.fail("short id")
		return id
	}
	copy(id[:], d.b)
	d.b = d.b[IDSize:]
	return id
}

func (d *decoder) ids() []ID {
	n := d.count(IDSize)
	if d.err != nil || n == 0 {
		return nil
	}
	ids := make([]ID, n)
	for i := range ids {
		ids[i] = d.id()
	}
	return ids
}

func (d *decoder) bytes(max int) []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) || n > uint64(max) {
		d.fail("bytes exceed data")
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

// fixed reads n bytes (a copy).
func (d *decoder) fixed(n int) []byte {
	if d.err != nil {
		return nil
	}
	if len(d.b) < n {
		d.fail("bytes exceed data")
		return nil
	}
	v := append([]byte(nil), d.b[:n]...)
	d.b = d.b[n:]
	return v
}

func (d *decoder) string(max int) string { return string(d.bytes(max)) }

// done fails unless every byte was consumed.
func (d *decoder) done() error {
	if d.err == nil && len(d.b) != 0 {
		d.fail("trailing bytes")
	}
	return d.err
}
