package chunker

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// small keeps tests fast.
var small = Params{Min: 64, Avg: 256, Max: 1024}

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

var testTable = NewTable(testKey(1))

// randBytes returns n deterministic pseudo-random bytes.
func randBytes(seed uint64, n int) []byte {
	var s [32]byte
	s[0] = byte(seed)
	s[1] = byte(seed >> 8)
	b := make([]byte, n)
	rand.NewChaCha8(s).Read(b)
	return b
}

// randReader returns reads of 1..maxRead bytes.
type randReader struct {
	r       io.Reader
	rng     *rand.Rand
	maxRead int
}

func (r *randReader) Read(p []byte) (int, error) {
	n := 1 + r.rng.IntN(r.maxRead)
	return r.r.Read(p[:min(n, len(p))])
}

// collect runs a Chunker to the end, copying out the chunks.
func collect(tb testing.TB, r io.Reader, t *Table, p Params, buf []byte) [][]byte {
	tb.Helper()
	return drain(tb, New(r, t, p, buf))
}

// drain runs c to the end, copying out the chunks.
func drain(tb testing.TB, c *Chunker) [][]byte {
	tb.Helper()
	var out [][]byte
	for {
		b, err := c.Next()
		if err == io.EOF {
			if b != nil {
				tb.Fatalf("data returned with io.EOF")
			}
			return out
		}
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, bytes.Clone(b))
	}
}

// reference splits data by repeated calls to Cut.
func reference(t *Table, p Params, data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		n := Cut(t, p, data)
		out = append(out, data[:n])
		data = data[n:]
	}
	return out
}

// checkChunks verifies that chunks cover data exactly and obey p's bounds.
func checkChunks(tb testing.TB, p Params, data []byte, chunks [][]byte) {
	tb.Helper()
	if got := bytes.Join(chunks, nil); !bytes.Equal(got, data) {
		tb.Fatalf("chunks join to %d bytes, want the %d input bytes", len(got), len(data))
	}
	for i, c := range chunks {
		last := i == len(chunks)-1
		if len(c) == 0 || len(c) > p.Max || (!last && len(c) < p.Min) {
			tb.Fatalf("chunk %d/%d has length %d, bounds %+v", i, len(chunks), len(c), p)
		}
	}
}

func sameChunks(tb testing.TB, got, want [][]byte) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("got %d chunks, want %d", len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i], want[i]) {
			tb.Fatalf("chunk %d: got %d bytes, want %d", i, len(got[i]), len(want[i]))
		}
	}
}

func TestChunksSmall(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 65, 255, 256, 1023, 1024, 1025, 2048, 5000, 200_000} {
		data := randBytes(uint64(n), n)
		want := reference(testTable, small, data)
		checkChunks(t, small, data, want)
		readers := map[string]func() io.Reader{
			"bytes":   func() io.Reader { return bytes.NewReader(data) },
			"onebyte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) },
			"dataerr": func() io.Reader { return iotest.DataErrReader(bytes.NewReader(data)) },
			"half":    func() io.Reader { return iotest.HalfReader(bytes.NewReader(data)) },
			"random": func() io.Reader {
				return &randReader{bytes.NewReader(data), rand.New(rand.NewPCG(uint64(n), 1)), 3000}
			},
		}
		for name, r := range readers {
			t.Run(fmt.Sprintf("%d/%s", n, name), func(t *testing.T) {
				sameChunks(t, collect(t, r(), testTable, small, nil), want)
			})
		}
	}
}

// TestChunksBig checks that read sizes don't matter with Default params,
// with a buffer of exactly Max bytes (the tightest allowed).
func TestChunksBig(t *testing.T) {
	data := randBytes(7, 40<<20)
	want := reference(testTable, Default, data)
	checkChunks(t, Default, data, want)
	if len(want) < 20 {
		t.Fatalf("only %d chunks in 40 MiB", len(want))
	}
	for _, maxRead := range []int{1 << 10, 100 << 10, 3 << 20, 16 << 20} {
		rr := &randReader{bytes.NewReader(data), rand.New(rand.NewPCG(uint64(maxRead), 2)), maxRead}
		sameChunks(t, collect(t, rr, testTable, Default, make([]byte, Default.Max)), want)
	}
}

func TestPooledBuffer(t *testing.T) {
	data := randBytes(3, 10_000)
	buf := make([]byte, 10, small.Max+100)
	c := New(bytes.NewReader(data), testTable, small, buf)
	b, err := c.Next()
	if err != nil {
		t.Fatal(err)
	}
	if &b[0] != &buf[:1][0] {
		t.Error("the given buffer was not used")
	}
	if cap(b) != len(b) {
		t.Errorf("chunk has cap %d > len %d: appending would clobber the buffer", cap(b), len(b))
	}
	short := make([]byte, small.Max-1)
	sameChunks(t, collect(t, bytes.NewReader(data), testTable, small, short), reference(testTable, small, data))
}

// TestSmallBuffer checks that a buffer smaller than Max, which the
// Chunker replaces when a chunk outgrows it, cuts the same chunks, and
// that Buffer hands back the larger buffer for the caller to keep.
func TestSmallBuffer(t *testing.T) {
	data := randBytes(8, 6*Default.Max+12345)
	want := reference(testTable, Default, data)
	for _, size := range []int{0, 1, 5000, Default.Min - 1, Default.Min + 1, Default.Max - 1} {
		for _, n := range []int{0, 1, 4095, 70_000, Default.Min, Default.Max + 1, len(data)} {
			rr := &randReader{bytes.NewReader(data[:n]), rand.New(rand.NewPCG(uint64(n), uint64(size))), 1 << 20}
			sameChunks(t, collect(t, rr, testTable, Default, make([]byte, size)), reference(testTable, Default, data[:n]))
		}
	}
	c := New(bytes.NewReader(data), testTable, Default, make([]byte, 5000))
	got := drain(t, c)
	sameChunks(t, got, want)
	longest := 0
	for _, b := range got {
		longest = max(longest, len(b))
	}
	if n := len(c.Buffer()); n < longest || n > Default.Max {
		t.Errorf("buffer of %d bytes after chunks of up to %d (Max %d)", n, longest, Default.Max)
	}
	small := New(bytes.NewReader(data[:3000]), testTable, Default, make([]byte, 5000))
	if _, err := small.Next(); err != nil || len(small.Buffer()) != 5000 {
		t.Errorf("a 3000-byte stream grew a 5000-byte buffer to %d (%v)", len(small.Buffer()), err)
	}
}

func TestCutEndOfData(t *testing.T) {
	data := randBytes(4, 3*small.Max)
	for n := 0; n < small.Max; n++ {
		if got := Cut(testTable, small, data[:n]); got < min(n, small.Min) || got > n {
			t.Fatalf("Cut of %d bytes = %d", n, got)
		}
	}
	if got := Cut(testTable, small, make([]byte, 5*small.Max)); got != small.Max {
		t.Errorf("Cut of zeros = %d, want Max %d", got, small.Max)
	}
}

func hashes(chunks [][]byte) map[[32]byte]bool {
	m := make(map[[32]byte]bool)
	for _, c := range chunks {
		m[sha256.Sum256(c)] = true
	}
	return m
}

func TestInsertionResync(t *testing.T) {
	data := randBytes(5, 20<<20)
	for _, p := range []Params{small, {Min: 16 << 10, Avg: 64 << 10, Max: 256 << 10}, Default} {
		for _, at := range []int{100, 5000, 10 << 20} {
			edited := append(append(bytes.Clone(data[:at]), "hello"...), data[at:]...)
			before := reference(testTable, p, data)
			after := reference(testTable, p, edited)
			checkChunks(t, p, edited, after)
			seen := hashes(before)
			shared := 0
			for h := range hashes(after) {
				if seen[h] {
					shared++
				}
			}
			frac := float64(shared) / float64(len(after))
			t.Logf("%+v insert at %d: %d of %d chunks shared", p, at, shared, len(after))
			if frac < 0.8 {
				t.Errorf("%+v insert at %d: %d of %d chunks shared (%.2f)", p, at, shared, len(after), frac)
			}
		}
	}
}

func TestKeysDiffer(t *testing.T) {
	if *NewTable(testKey(1)) != *testTable {
		t.Fatal("NewTable is not deterministic")
	}
	t2 := NewTable(testKey(2))
	if *t2 == *testTable {
		t.Fatal("different keys gave the same table")
	}
	data := randBytes(6, 1<<20)
	offsets := func(chunks [][]byte) map[int]bool {
		m, off := make(map[int]bool), 0
		for _, c := range chunks[:len(chunks)-1] {
			off += len(c)
			m[off] = true
		}
		return m
	}
	a, b := offsets(reference(testTable, small, data)), offsets(reference(t2, small, data))
	common := 0
	for o := range a {
		if b[o] {
			common++
		}
	}
	// Independent cut points coincide at a rate of about 1/Avg per byte.
	t.Logf("%d of %d cut points shared between keys", common, len(a))
	if common > len(a)/10 {
		t.Errorf("%d of %d cut points shared between keys", common, len(a))
	}
}

// TestGolden pins the cut points: they are part of the repository format,
// so any change to them breaks deduplication against existing backups.
func TestGolden(t *testing.T) {
	// Cross-checked with Python's hmac module.
	if testTable[0] != 0x52bf3b81b9167ac8 || testTable[255] != 0xab19f1ae40d96ea2 {
		t.Errorf("table[0], table[255] = %#x, %#x", testTable[0], testTable[255])
	}
	for _, g := range []struct {
		p    Params
		want string
	}{{small, "86080:a583d6d6aa2af191"}, {Default, "23:740c8af2470e1f4d"}} {
		h := sha256.New()
		n := 0
		for _, c := range reference(testTable, g.p, randBytes(8, 24<<20)) {
			fmt.Fprintf(h, "%d,", len(c))
			n++
		}
		if got := fmt.Sprintf("%d:%x", n, h.Sum(nil)[:8]); got != g.want {
			t.Errorf("%+v: chunk lengths %s, want %s", g.p, got, g.want)
		}
	}
}

func TestDistribution(t *testing.T) {
	chunks := reference(testTable, small, randBytes(9, 4<<20))
	mean := float64(4<<20) / float64(len(chunks))
	atMax := 0
	for _, c := range chunks {
		if len(c) == small.Max {
			atMax++
		}
	}
	t.Logf("mean %.0f over %d chunks, %d at Max", mean, len(chunks), atMax)
	if mean < 0.75*float64(small.Avg) || mean > 1.5*float64(small.Avg) {
		t.Errorf("mean chunk size %.0f, Avg %d", mean, small.Avg)
	}
	if atMax > len(chunks)/100 {
		t.Errorf("%d of %d chunks cut at Max", atMax, len(chunks))
	}
}

var errBroken = errors.New("broken")

func TestReadError(t *testing.T) {
	data := randBytes(10, 10_000)
	r := io.MultiReader(bytes.NewReader(data), iotest.ErrReader(errBroken))
	c := New(r, testTable, small, nil)
	var got []byte
	var err error
	for {
		var b []byte
		if b, err = c.Next(); err != nil {
			break
		}
		got = append(got, b...)
	}
	if err != errBroken {
		t.Fatalf("Next returned %v, want %v", err, errBroken)
	}
	if _, err := c.Next(); err != errBroken {
		t.Errorf("error not sticky: %v", err)
	}
	if !bytes.HasPrefix(data, got) || len(got) < len(data)-small.Max {
		t.Errorf("got %d bytes of chunks before the error, input %d", len(got), len(data))
	}
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

func TestNoProgressAndEOF(t *testing.T) {
	if _, err := New(emptyReader{}, testTable, small, nil).Next(); err != io.ErrNoProgress {
		t.Errorf("got %v, want io.ErrNoProgress", err)
	}
	c := New(bytes.NewReader(nil), testTable, small, nil)
	for range 3 {
		if b, err := c.Next(); b != nil || err != io.EOF {
			t.Fatalf("empty input: got %d bytes, %v", len(b), err)
		}
	}
}

func TestInvalidParams(t *testing.T) {
	for _, p := range []Params{{-1, 256, 1024}, {256, 256, 1024}, {64, 200, 1024}, {64, 256, 256}, {}} {
		if p.Validate() == nil {
			t.Errorf("%+v validated", p)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New with %+v did not panic", p)
				}
			}()
			New(bytes.NewReader(nil), testTable, p, nil)
		}()
	}
	if err := Default.Validate(); err != nil {
		t.Error(err)
	}
}

func TestNoAllocs(t *testing.T) {
	data := randBytes(11, 1<<20)
	r := bytes.NewReader(data)
	c := New(r, testTable, small, nil)
	allocs := testing.AllocsPerRun(10, func() {
		r.Reset(data)
		*c = Chunker{r: c.r, c: c.c, buf: c.buf, pos: c.c.warm}
		for {
			if _, err := c.Next(); err != nil {
				break
			}
		}
		Cut(testTable, small, data)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per pass", allocs)
	}
}

// TestGearMatchesByteLoop checks the four-bytes-at-a-time loop against the
// definition, one byte at a time, with masks that stop it at every offset
// (a narrow mask is met every few bytes, so each of the four positions in
// a step and the tail loop are all taken).
func TestGearMatchesByteLoop(t *testing.T) {
	data := randBytes(7, 1<<16)
	for _, bits := range []int{1, 2, 3, 5, 8, 12} {
		mask := ^uint64(0) << (64 - bits)
		var at [4]int
		for start := 0; start < len(data); {
			b := data[start:min(start+1+start%37, len(data))]
			fp0 := uint64(start) * 0x9e3779b97f4a7c15
			i, fp, ok := gear(testTable, fp0, b, mask)
			wi, wfp, wok := len(b), fp0, false
			for k, c := range b {
				wfp = wfp<<1 + testTable[c]
				if wfp&mask == 0 {
					wi, wok = k+1, true
					break
				}
			}
			if i != wi || fp != wfp || ok != wok {
				t.Fatalf("bits %d, %d bytes from %d: gear gave (%d, %#x, %v), the byte loop (%d, %#x, %v)",
					bits, len(b), start, i, fp, ok, wi, wfp, wok)
			}
			if ok {
				at[(i-1)%4]++
			}
			start += i
		}
		if bits <= 3 && (at[0] == 0 || at[1] == 0 || at[2] == 0 || at[3] == 0) {
			t.Fatalf("bits %d: stops by offset mod 4 %v, want every offset taken", bits, at)
		}
	}
}

// TestNewFilled: a stream whose first n bytes are in the buffer already is
// cut as New cuts the whole stream, for every split from none to all, in
// buffers below minBuffer, below Max and above it.
func TestNewFilled(t *testing.T) {
	data := randBytes(9, 3*Default.Max+777)
	want := reference(testTable, Default, data)
	for _, size := range []int{100, 70_000, Default.Max + 1<<20} {
		for _, n := range []int{0, 1, 99, 100, 4096, 70_000, Default.Max, len(data)} {
			buf := make([]byte, size)
			n := min(n, size)
			copy(buf, data[:n])
			got := drain(t, NewFilled(&randReader{bytes.NewReader(data[n:]), rand.New(rand.NewPCG(uint64(n), 3)), 1 << 20}, testTable, Default, buf, n))
			if len(got) != len(want) {
				t.Fatalf("buffer %d, %d bytes filled: %d chunks, want %d", size, n, len(got), len(want))
			}
			sameChunks(t, got, want)
		}
	}
}
