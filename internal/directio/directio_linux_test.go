package directio

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"unsafe"
)

// TestWriterSkipsPageCache: on Linux, where the file system takes
// O_DIRECT, what a Writer wrote in full buffers is not in the page cache
// (the point of the package); only the unaligned tail went through it.
func TestWriterSkipsPageCache(t *testing.T) {
	probe, err := os.Create(filepath.Join(t.TempDir(), "probe"))
	if err != nil {
		t.Fatal(err)
	}
	if err := setDirect(probe, true); err != nil {
		probe.Close()
		t.Skipf("the test folder's file system refuses O_DIRECT: %v", err)
	}
	probe.Close()
	data := bytes.Repeat([]byte("lifeboat"), (4<<20+100)/8)
	path := writeAll(t, data, 1<<20, rand.New(rand.NewPCG(3, 4)), func(w *Writer) {
		if !w.Direct() {
			t.Fatal("NewWriter did not set O_DIRECT where the file system takes it")
		}
	})
	cached, pages, err := CachedPages(path)
	if err != nil {
		t.Fatal(err)
	}
	if pages != (len(data)+os.Getpagesize()-1)/os.Getpagesize() || cached > 2 {
		t.Fatalf("%d of %d pages in the page cache, want at most the tail's", cached, pages)
	}
	// The same bytes written plainly are cached: the check above can fail.
	plain := filepath.Join(t.TempDir(), "plain")
	if err := os.WriteFile(plain, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if c, p, err := CachedPages(plain); err != nil || c < p/2 {
		t.Fatalf("a plain write left %d of %d pages cached (%v): the probe cannot tell", c, p, err)
	}
}

// TestWriterFallsBack: a direct write the kernel refuses (EINVAL: here a
// buffer off the alignment, as a file system with larger blocks would
// refuse) is written through the page cache instead, and the file holds
// every byte.
func TestWriterFallsBack(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	data := make([]byte, 1<<20+777)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	path := writeAll(t, data, 64<<10, rng, func(w *Writer) {
		if !w.Direct() {
			t.Skip("the test folder's file system refuses O_DIRECT")
		}
		b := make([]byte, 64<<10+2)
		off := 1
		if uintptr(unsafe.Pointer(&b[off]))%512 == 0 {
			off = 2
		}
		w.buf = b[off : off+60<<10 : off+60<<10] // a multiple of align, at an odd address
	})
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("file holds %d bytes of %d, equal %v", len(got), len(data), bytes.Equal(got, data))
	}
	// Through the page cache from the first refused write on.
	if c, p, err := CachedPages(path); err != nil || c < p*9/10 {
		t.Fatalf("%d of %d pages cached (%v): the refused writes were not written through the page cache", c, p, err)
	}
}
