package restore

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// writeLog records the size of every write it is given.
type writeLog struct {
	bytes.Buffer
	sizes []int
	fail  int // fail the write after this many bytes (0: never)
}

var errFull = errors.New("disk full")

func (w *writeLog) Write(p []byte) (int, error) {
	w.sizes = append(w.sizes, len(p))
	if w.fail > 0 && w.Len()+len(p) > w.fail {
		k := w.fail - w.Len()
		w.Buffer.Write(p[:k])
		return k, errFull
	}
	return w.Buffer.Write(p)
}

// A blob of several MiB reaches the file in writes of at most maxWrite,
// in order, and a write that fails part way counts only what was written.
func TestRestoreWriteSize(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	blob := make([]byte, 5<<20+123)
	for i := range blob {
		blob[i] = byte(i * 7 / 3)
	}
	log := &writeLog{}
	cw := &countingWriter{w: log, f: f}
	if n, err := cw.Write(blob); n != len(blob) || err != nil {
		t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(blob))
	}
	if !bytes.Equal(log.Bytes(), blob) {
		t.Fatal("the file's bytes differ from the blob's")
	}
	for i, s := range log.sizes {
		if s > maxWrite {
			t.Fatalf("write %d was %d bytes; want at most %d", i, s, maxWrite)
		}
	}
	if want := (len(blob) + maxWrite - 1) / maxWrite; len(log.sizes) != want {
		t.Errorf("%d writes; want %d", len(log.sizes), want)
	}

	log = &writeLog{fail: maxWrite + 10}
	cw = &countingWriter{w: log, f: f}
	n, err := cw.Write(blob)
	if !errors.Is(err, errFull) || n != maxWrite+10 || cw.n != int64(n) {
		t.Fatalf("failing Write = %d, %v (counted %d); want %d, %v", n, err, cw.n, maxWrite+10, errFull)
	}
	if len(log.sizes) != 2 {
		t.Errorf("%d writes after the failure began; want none", len(log.sizes)-2)
	}
}
