package chunker

import (
	"bytes"
	"io"
	"testing"
)

// FuzzChunker checks that chunks cover the input exactly, obey the bounds
// and don't depend on read sizes, for two parameter sets.
func FuzzChunker(f *testing.F) {
	f.Add([]byte("hello, world"), uint8(1), false)
	f.Add(randBytes(1, 5000), uint8(7), true)
	f.Add(make([]byte, 3000), uint8(200), false)
	f.Fuzz(func(t *testing.T, data []byte, step uint8, tiny bool) {
		p := small
		if tiny {
			p = Params{Min: 3, Avg: 8, Max: 20}
		}
		want := reference(testTable, p, data)
		checkChunks(t, p, data, want)
		r := &stepReader{data: data, step: int(step)}
		sameChunks(t, collect(t, r, testTable, p, nil), want)
	})
}

// stepReader returns reads of 1, 2, ... step bytes, cycling.
type stepReader struct {
	data []byte
	step int
	n    int
}

func (r *stepReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	r.n = r.n%max(r.step, 1) + 1
	n := copy(p[:min(len(p), r.n)], r.data)
	r.data = r.data[n:]
	return n, nil
}

const benchSize = 64 << 20

// BenchmarkChunker measures Next on random data with Default params and a
// pooled buffer, i.e. the hot loop plus buffer management.
func BenchmarkChunker(b *testing.B) {
	data := randBytes(12, benchSize)
	r := bytes.NewReader(data)
	buf := make([]byte, Default.Max)
	b.SetBytes(benchSize)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		r.Reset(data)
		c := New(r, testTable, Default, buf)
		for {
			if _, err := c.Next(); err != nil {
				break
			}
			n++
		}
	}
	b.ReportMetric(float64(n)/float64(b.N), "chunks/op")
}

// BenchmarkCut measures Cut over in-memory data, without a Reader.
func BenchmarkCut(b *testing.B) {
	data := randBytes(12, benchSize)
	b.SetBytes(benchSize)
	for b.Loop() {
		for d := data; len(d) > 0; {
			d = d[Cut(testTable, Default, d):]
		}
	}
}
