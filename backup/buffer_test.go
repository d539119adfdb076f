package backup

import (
	"bytes"
	"io"
	"testing"
)

// TestFitBuffer checks that a worker's read buffer follows the files it
// reads: a small file does not cost a buffer of the largest chunk (three
// workers held 27 MB for files of 4 KiB), a large one gets streamBuffer,
// not one of its size or of the largest chunk (each new buffer's pages
// are faulted in: a sixth of the CPU of the +5% run), and a buffer is kept
// once made.
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
	for _, size := range []int64{streamBuffer - 1, streamBuffer, 5 << 20, max, 3 << 30} {
		if buf = fitBuffer(buf, size, max); len(buf) != streamBuffer {
			t.Errorf("a file of %d bytes got a buffer of %d, want %d", size, len(buf), streamBuffer)
		}
	}
	if buf = fitBuffer(buf, 5000, max); len(buf) != streamBuffer {
		t.Errorf("the large buffer was dropped for a small file (%d)", len(buf))
	}
	grown := make([]byte, max) // the chunker grew it for a long chunk
	if buf = fitBuffer(grown, 3<<30, max); len(buf) != max {
		t.Errorf("a buffer the chunker grew was replaced by one of %d", len(buf))
	}
	if buf = fitBuffer(nil, 3<<30, 64<<10); len(buf) != 64<<10+1<<20 {
		t.Errorf("chunks of at most 64 KiB: a large file got a buffer of %d, want the largest chunk plus a MiB", len(buf))
	}
}

// A worker's buffer grows at least twofold, to at most streamBuffer, so
// that files of rising sizes do not each take a new one.
func TestFitBufferGrowsTwofold(t *testing.T) {
	const max = 8 << 20
	buf := fitBuffer(nil, 256<<10, max)
	if len(buf) != 256<<10+64<<10 {
		t.Fatalf("a file of 256 KiB got a buffer of %d", len(buf))
	}
	prev := len(buf)
	if buf = fitBuffer(buf, 256<<10+100<<10, max); len(buf) != 2*prev {
		t.Errorf("a slightly larger file got a buffer of %d, not %d", len(buf), 2*prev)
	}
	if buf = fitBuffer(buf, 1<<20+512<<10, max); len(buf) != 1<<20+512<<10+64<<10 {
		t.Errorf("a file of 1.5 MiB got a buffer of %d, not its size rounded up", len(buf))
	}
	if buf = fitBuffer(buf, 1<<20+600<<10, max); len(buf) != streamBuffer {
		t.Errorf("doubling past the largest buffer gave %d, not %d", len(buf), streamBuffer)
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
