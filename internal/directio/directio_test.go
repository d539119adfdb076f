package directio

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// writeAll writes data through a Writer of the given size in pieces of
// random length, flushes and closes, and returns the file's path.
func writeAll(t *testing.T, data []byte, size int, rng *rand.Rand, prep func(*Writer)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := NewWriter(f, size)
	if prep != nil {
		prep(w)
	}
	for p := data; len(p) > 0; {
		k := min(len(p), 1+rng.IntN(3*size/2))
		n, err := w.Write(p[:k])
		if err != nil || n != k {
			t.Fatalf("Write(%d bytes) = %d, %v", k, n, err)
		}
		p = p[k:]
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if w.Direct() || w.buf != nil {
		t.Fatalf("after Flush: direct %v, buffer held %v", w.Direct(), w.buf != nil)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestWriterBytes: whatever the sizes of the writes and of the file, the
// file holds exactly what was written.
func TestWriterBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, align - 1, align, align + 1, 64<<10 + 16, 256 << 10, 256<<10 + 1, 3<<20 + 12345} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		path := writeAll(t, data, 256<<10, rng, nil)
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("%d bytes written, file holds %d, equal %v", n, len(got), bytes.Equal(got, data))
		}
	}
}

// TestWriterInPlace: bytes appended to AvailableBuffer and then written
// (as an age stream seals its chunks) land in the file in order, mixed
// with ordinary writes, across full buffers and the unaligned tail; a
// Writer that does not buffer offers no buffer.
func TestWriterInPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const size = 256 << 10
	for _, n := range []int{1, align, size, size + 1, 3<<20 + 12345} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		path := filepath.Join(t.TempDir(), "f")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := NewWriter(f, size)
		if !w.Direct() {
			f.Close()
			t.Skip("the test folder's file system refuses O_DIRECT: nothing is written in place")
		}
		inPlace := 0
		for p := data; len(p) > 0; {
			k := min(len(p), 1+rng.IntN(size/2))
			piece := p[:k]
			if b := w.AvailableBuffer(); w.Direct() && k <= cap(b) && rng.IntN(2) == 0 {
				piece = append(b, piece...)
				if &piece[0] != &w.buf[w.n] {
					t.Fatal("AvailableBuffer is not the buffer's free space")
				}
				inPlace++
			}
			if m, err := w.Write(piece); err != nil || m != k {
				t.Fatalf("Write(%d bytes) = %d, %v", k, m, err)
			}
			p = p[k:]
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if w.AvailableBuffer() != nil {
			t.Error("a flushed Writer offers a buffer")
		}
		f.Close()
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("%d bytes written (%d in place), file holds %d, equal %v", n, inPlace, len(got), bytes.Equal(got, data))
		}
		if n > size && inPlace == 0 {
			t.Errorf("%d bytes: no write was in place", n)
		}
	}
}
