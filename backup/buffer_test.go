package backup

import (
	"bytes"
	"io"
	"testing"
)

// TestFitBuffer checks that a worker's read buffer follows the files it
// reads: a small file does not cost a buffer of the largest chunk (three
// workers held 27 MB for files of 4 KiB), a large one gets the largest
// chunk and room to read ahead, and a buffer is kept once made.
func TestFitBuffer(t *testing.T) {
	const max = 8 << 20
	var buf []byte
	for _, size := range []int64{0, 1, 4096, 64<<10 - 1} {
		if buf = fitBuffer(buf, size, max); len(buf) != 64<<10 {
			t.Fatalf("a file of %d bytes got a buffer of %d", size, len(buf))
		}
	}
	kept := &buf[0]
	if buf = fitBuffer(buf, 10, max); &buf[0] != kept {
		t.Error("a buffer large enough was replaced")
	}
	if buf = fitBuffer(buf, 64<<10, max); len(buf) != 128<<10 {
		t.Errorf("a file of 64 KiB got a buffer of %d: it must see its end in one read", len(buf))
	}
	if buf = fitBuffer(buf, 3<<30, max); len(buf) != max+1<<20 {
		t.Errorf("a file of 3 GiB got a buffer of %d", len(buf))
	}
	if buf = fitBuffer(buf, 5000, max); len(buf) != max+1<<20 {
		t.Errorf("the large buffer was dropped for a small file (%d)", len(buf))
	}
}

// A worker's buffer grows at least twofold, to at most a chunk's largest
// size plus a MiB, so that photos of rising sizes do not each take a new
// one.
func TestFitBufferGrowsTwofold(t *testing.T) {
	const max = 8 << 20
	buf := fitBuffer(nil, 1<<20, max)
	if len(buf) != 1<<20+64<<10 {
		t.Fatalf("a file of 1 MiB got a buffer of %d", len(buf))
	}
	prev := len(buf)
	if buf = fitBuffer(buf, 1<<20+100<<10, max); len(buf) != 2*prev {
		t.Errorf("a slightly larger file got a buffer of %d, not %d", len(buf), 2*prev)
	}
	if buf = fitBuffer(buf, 5<<20, max); len(buf) != 5<<20+64<<10 {
		t.Errorf("a file of 5 MiB got a buffer of %d, not its size rounded up", len(buf))
	}
	if buf = fitBuffer(buf, 5<<20+100<<10, max); len(buf) != max+1<<20 {
		t.Errorf("doubling past the largest buffer gave %d, not %d", len(buf), max+1<<20)
	}
}

func TestReadWhole(t *testing.T) {
	head := bytes.Repeat([]byte("BEGIN:VCARD\r\nEND:VCARD\r\n"), 1000)
	data, err := readWhole(head, eofReader{}, int64(len(head)))
	if err != nil || !bytes.Equal(data, head) {
		t.Fatalf("a file read whole: %d bytes, %v", len(data), err)
	}
	if &data[0] == &head[0] {
		t.Error("the data shares the worker's buffer, which the next file overwrites")
	}
	if cap(data) > len(head)+bytes.MinRead {
		t.Errorf("a file head held whole took a buffer of %d for %d bytes", cap(data), len(head))
	}
	rest := []byte("BEGIN:VCARD\r\nFN:grew\r\nEND:VCARD\r\n")
	data, err = readWhole(head[:100], bytes.NewReader(append(head[100:], rest...)), int64(len(head)))
	if err != nil || !bytes.Equal(data, append(head, rest...)) {
		t.Fatalf("head and rest: %d bytes, %v", len(data), err)
	}
	long := io.LimitReader(zeros{}, maxPIMFile+10)
	if data, err = readWhole(head, long, 100); err != nil || len(data) != maxPIMFile+1 {
		t.Errorf("a file past the limit gave %d bytes (want %d), %v", len(data), maxPIMFile+1, err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }
