package chunker

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
)

// Params bound chunk sizes. Avg must be a power of two; Min < Avg < Max.
type Params struct{ Min, Avg, Max int }

// Default is 512 KiB / 1 MiB / 8 MiB, the file-data chunking of
// repositories made before December 2026 (their configs name it; new
// repositories get repo.DefaultChunking).
var Default = Params{Min: 512 << 10, Avg: 1 << 20, Max: 8 << 20}

// Validate reports whether p can be used: 0 <= Min < Avg < Max, Avg a power
// of two. New and Cut panic on parameters that fail it.
func (p Params) Validate() error {
	switch {
	case p.Min < 0:
		return fmt.Errorf("chunker: Min %d is negative", p.Min)
	case p.Avg <= p.Min:
		return fmt.Errorf("chunker: Avg %d is not above Min %d", p.Avg, p.Min)
	case p.Max <= p.Avg:
		return fmt.Errorf("chunker: Max %d is not above Avg %d", p.Max, p.Avg)
	case p.Avg&(p.Avg-1) != 0:
		return fmt.Errorf("chunker: Avg %d is not a power of two", p.Avg)
	}
	return nil
}

// Table is a gear table derived from a key.
type Table [256]uint64

// tableLabel separates the gear table from any other use of the same key.
const tableLabel = "lifeboat chunker gear table v1"

// NewTable derives a gear table from a 32-byte key. Entry 4*i+j (j < 4) is
// the j-th little-endian uint64 of HMAC-SHA256(key, tableLabel || uint32be(i)),
// i = 0..63. The same key always gives the same table. Keys of other lengths
// are accepted (HMAC takes any), but the key should be 32 secret random bytes.
func NewTable(key []byte) *Table {
	var t Table
	var ctr [4]byte
	var sum [sha256.Size]byte
	m := hmac.New(sha256.New, key)
	for i := 0; i < len(t)/4; i++ {
		m.Reset()
		m.Write([]byte(tableLabel))
		binary.BigEndian.PutUint32(ctr[:], uint32(i))
		m.Write(ctr[:])
		s := m.Sum(sum[:0])
		for j := 0; j < 4; j++ {
			t[4*i+j] = binary.LittleEndian.Uint64(s[8*j:])
		}
	}
	return &t
}

const (
	// window is how many bytes the gear hash depends on: each byte is
	// shifted out of the 64-bit state after 64 more bytes.
	window = 64
	// normLevel is the FastCDC normalization level: the mask before Avg has
	// log2(Avg)+normLevel bits, the one after it log2(Avg)-normLevel.
	normLevel = 2
)

// cutter holds everything needed to find cut points for one Params.
type cutter struct {
	t            *Table
	min, avg     int
	max          int
	warm         int // where hashing starts: window bytes before min
	maskS, maskL uint64
}

func newCutter(t *Table, p Params) cutter {
	if err := p.Validate(); err != nil {
		panic(err)
	}
	if t == nil {
		panic("chunker: nil Table")
	}
	b := bits.TrailingZeros64(uint64(p.Avg))
	sb := min(b+normLevel, 64)
	lb := max(b-normLevel, 1)
	return cutter{
		t: t, min: p.Min, avg: p.Avg, max: p.Max,
		warm: max(p.Min-window, 0),
		// The top bits of the state depend on the most bytes.
		maskS: ^uint64(0) << (64 - sb),
		maskL: ^uint64(0) << (64 - lb),
	}
}

// resume continues looking for the end of the chunk that starts at data[0],
// data[:pos] having been hashed already into state fp (a new chunk starts
// with pos = c.warm, fp = 0). It returns the chunk's length if data, cut to
// at most max bytes, holds its end; otherwise 0 and the state to resume
// from once data has grown.
func (c *cutter) resume(data []byte, pos int, fp uint64) (n, next int, state uint64) {
	if len(data) > c.max {
		data = data[:c.max]
	}
	t := c.t
	if pos < c.min && pos < len(data) {
		// Warm-up: hash the window before Min without testing, so that a
		// decision at i >= Min depends on data[i-63:i+1] only.
		end := min(c.min, len(data))
		for _, b := range data[pos:end] {
			fp = fp<<1 + t[b]
		}
		pos = end
	}
	if pos < c.avg && pos < len(data) {
		end := min(c.avg, len(data))
		i, f, ok := gear(t, fp, data[pos:end], c.maskS)
		if ok {
			return pos + i, 0, 0
		}
		pos, fp = end, f
	}
	if pos < len(data) {
		i, f, ok := gear(t, fp, data[pos:], c.maskL)
		if ok {
			return pos + i, 0, 0
		}
		pos, fp = len(data), f
	}
	if pos == c.max {
		return c.max, 0, 0
	}
	return 0, pos, fp
}

// gear is the hot loop: it rolls the gear hash over b and returns how many
// bytes it took for the state to have no bit of mask set.
//
// fp<<1 + t[b] is a chain of two dependent operations per byte, which
// bounds the plain loop at about 1.7 cycles a byte. Four bytes at a time,
// the states after each are fp<<k + s_k, where s_k rolls the four table
// entries among themselves; s_k does not depend on fp, so only fp<<4 + s_4
// stays on the chain and the rest runs beside it. The states, and so the
// cut points, are exactly those of the byte-at-a-time loop.
func gear(t *Table, fp uint64, b []byte, mask uint64) (int, uint64, bool) {
	i := 0
	for ; i+4 <= len(b); i += 4 {
		q := b[i : i+4 : i+4]
		s1 := t[q[0]]
		s2 := s1<<1 + t[q[1]]
		s3 := s2<<1 + t[q[2]]
		s4 := s3<<1 + t[q[3]]
		f1, f2, f3, f4 := fp<<1+s1, fp<<2+s2, fp<<3+s3, fp<<4+s4
		if (f1&mask == 0) || (f2&mask == 0) || (f3&mask == 0) || (f4&mask == 0) {
			switch {
			case f1&mask == 0:
				return i + 1, f1, true
			case f2&mask == 0:
				return i + 2, f2, true
			case f3&mask == 0:
				return i + 3, f3, true
			}
			return i + 4, f4, true
		}
		fp = f4
	}
	for ; i < len(b); i++ {
		fp = fp<<1 + t[b[i]]
		if fp&mask == 0 {
			return i + 1, fp, true
		}
	}
	return len(b), fp, false
}

// Cut returns the length of the first chunk of data, treating data as the
// end of the stream if len(data) < p.Max (useful for in-memory pieces).
// Only data[:p.Max] is looked at. It panics if p is invalid or t is nil.
func Cut(t *Table, p Params, data []byte) int {
	c := newCutter(t, p)
	if n, _, _ := c.resume(data, c.warm, 0); n > 0 {
		return n
	}
	return len(data)
}

// maxEmptyReads is how many (0, nil) reads in a row Next tolerates.
const maxEmptyReads = 100

// Chunker cuts a stream into content-defined chunks.
type Chunker struct {
	r          io.Reader
	c          cutter
	buf        []byte // the whole buffer, len == cap
	start, end int    // buf[start:end] is read but not yet returned
	pos        int    // resume state of the chunk at buf[start]
	fp         uint64
	eof        bool
	err        error // sticky read error
}

// New returns a Chunker reading r, using buf as its buffer (lets callers
// pool buffers). buf may be smaller than p.Max, even nil: a buffer that
// fills up with a chunk in progress is replaced by one twice as large (at
// most p.Max bytes), so a caller that knows the stream is short (a small
// file) need not spend p.Max on it. The chunks are the same whatever the buffer. Buffer
// returns the buffer in use. New panics if p is invalid or t is nil.
func New(r io.Reader, t *Table, p Params, buf []byte) *Chunker {
	c := newCutter(t, p)
	if cap(buf) < minBuffer {
		buf = make([]byte, minBuffer)
	}
	return &Chunker{r: r, c: c, buf: buf[:cap(buf)], pos: c.warm}
}

// NewFilled is New for a stream whose first n bytes the caller has read
// into buf already (to look at them before cutting): r is the rest of the
// stream, and the chunks are those New would cut from the whole of it.
// NewFilled panics if n is negative or more than len(buf).
func NewFilled(r io.Reader, t *Table, p Params, buf []byte, n int) *Chunker {
	if n < 0 || n > len(buf) {
		panic("chunker: NewFilled with more bytes filled than the buffer holds")
	}
	c := New(r, t, p, buf)
	if cap(buf) < minBuffer { // New replaced it
		copy(c.buf, buf[:n])
	}
	c.end = n
	return c
}

// minBuffer is the smallest buffer a Chunker reads into.
const minBuffer = 512

// Buffer returns the buffer the Chunker reads into: the one given to New,
// or the larger one that replaced it.
func (c *Chunker) Buffer() []byte { return c.buf }

// Next returns the next chunk. The slice is only valid until the next call.
// It returns io.EOF (and no data) after the last chunk. Read errors are
// returned as-is, after the chunks that end before the error, and again on
// every later call.
func (c *Chunker) Next() ([]byte, error) {
	for {
		data := c.buf[c.start:c.end]
		if len(data) > c.pos {
			n, pos, fp := c.c.resume(data, c.pos, c.fp)
			if n > 0 {
				return c.take(n), nil
			}
			c.pos, c.fp = pos, fp
		}
		if c.eof {
			if len(data) == 0 {
				return nil, io.EOF
			}
			return c.take(len(data)), nil
		}
		if c.err != nil {
			return nil, c.err
		}
		c.fill()
	}
}

// take returns the next n buffered bytes as a chunk.
func (c *Chunker) take(n int) []byte {
	b := c.buf[c.start : c.start+n : c.start+n]
	c.start += n
	c.pos, c.fp = c.c.warm, 0
	return b
}

// errNegativeRead is set when r breaks the io.Reader contract.
var errNegativeRead = errors.New("chunker: reader returned invalid count from Read")

// fill reads once into the free end of the buffer, first making room if
// the buffer is full: the chunk in progress moves to the front, or, if it
// fills the buffer, to a new one twice as large (at most Max bytes). That
// chunk is shorter
// than Max, or resume would have cut it, so room is made.
func (c *Chunker) fill() {
	if c.end == len(c.buf) {
		buf := c.buf
		if c.start == 0 {
			buf = make([]byte, min(c.c.max, 2*len(c.buf)))
		}
		c.end = copy(buf, c.buf[c.start:c.end])
		c.start, c.buf = 0, buf
	}
	for range maxEmptyReads {
		n, err := c.r.Read(c.buf[c.end:])
		if n < 0 || n > len(c.buf)-c.end {
			c.err = errNegativeRead
			return
		}
		c.end += n
		if err == io.EOF {
			c.eof = true
			return
		}
		if err != nil {
			c.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	c.err = io.ErrNoProgress
}
