package backup

import "testing"

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
