package crypto

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"filippo.io/age"
)

// inPlace is a destination with a free buffer, as a pack's store writer
// has: it records how many writes came sealed in place and how many had
// to be copied.
type inPlace struct {
	out          bytes.Buffer
	free         []byte
	inPlace, cpy int
}

func (d *inPlace) AvailableBuffer() []byte { return d.free[:0] }

func (d *inPlace) Write(p []byte) (int, error) {
	if len(p) > 0 && cap(d.free) > 0 && &p[0] == &d.free[:1][0] {
		d.inPlace++
	} else {
		d.cpy++
	}
	return d.out.Write(p)
}

// writeSplit writes pt to w in pieces whose sizes follow the pattern.
func writeSplit(t *testing.T, w io.Writer, pt []byte, split string, rng *rand.Rand) {
	t.Helper()
	for len(pt) > 0 {
		n := len(pt)
		switch split {
		case "bytes":
			n = 1 + rng.IntN(3)
		case "chunks":
			n = chunkSize
		case "random":
			n = 1 + rng.IntN(3*chunkSize)
		}
		n = min(n, len(pt))
		if k, err := w.Write(pt[:n]); k != n || err != nil {
			t.Fatalf("Write = %d, %v", k, err)
		}
		pt = pt[n:]
	}
}

// TestStreamDecryptsWithAge: what StreamWriter writes is an age file that
// age's own readers, streaming and random access, decrypt to the
// plaintext, for sizes around the chunk boundaries, writes of any size,
// and destinations with and without a free buffer; and it is exactly as
// long as age.Encrypt's.
func TestStreamDecryptsWithAge(t *testing.T) {
	id := newIdentity(t)
	rng := rand.New(rand.NewPCG(1, 2))
	// 257 chunks: a pack of 16 MiB has 256 and more, so the counter
	// carries into its second byte.
	sizes := []int{0, 1, 100, chunkSize - 1, chunkSize, chunkSize + 1, 2 * chunkSize, 3*chunkSize + 17, 1<<20 + 5, 256*chunkSize + 1}
	for _, size := range sizes {
		pt := make([]byte, size)
		for i := range pt {
			pt[i] = byte(rng.Uint32())
		}
		var ref bytes.Buffer
		aw, err := age.Encrypt(&ref, id.Recipient())
		if err != nil {
			t.Fatal(err)
		}
		aw.Write(pt)
		aw.Close()
		for _, split := range []string{"whole", "bytes", "chunks", "random"} {
			if split == "bytes" && size > 3*chunkSize || split != "whole" && size > 1<<20+5 {
				continue
			}
			for _, room := range []int{0, chunkSize + 16, chunkSize} {
				dst := &inPlace{free: make([]byte, 0, room)}
				w, err := EncryptStream(dst, id.Recipient())
				if err != nil {
					t.Fatal(err)
				}
				writeSplit(t, w, pt, split, rng)
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
				ct := dst.out.Bytes()
				what := func() string { return fmt.Sprintf("%d bytes written %s, room %d", size, split, room) }
				if len(ct) != ref.Len() {
					t.Errorf("%s: %d bytes, age.Encrypt %d", what(), len(ct), ref.Len())
				}
				r, err := age.Decrypt(bytes.NewReader(ct), id)
				if err != nil {
					t.Fatalf("%s: age.Decrypt: %v", what(), err)
				}
				got, err := io.ReadAll(r)
				if err != nil || !bytes.Equal(got, pt) {
					t.Fatalf("%s: age.Decrypt read %d bytes (%v), want the %d written", what(), len(got), err, len(pt))
				}
				ra, n, err := age.DecryptReaderAt(bytes.NewReader(ct), int64(len(ct)), id)
				if err != nil || n != int64(size) {
					t.Fatalf("%s: DecryptReaderAt: %d, %v", what(), n, err)
				}
				if size > 0 {
					off := rng.IntN(size)
					part := make([]byte, min(size-off, 1+rng.IntN(2*chunkSize)))
					if _, err := ra.ReadAt(part, int64(off)); err != nil && err != io.EOF || !bytes.Equal(part, pt[off:off+len(part)]) {
						t.Fatalf("%s: ReadAt %d: %v, or the bytes differ", what(), off, err)
					}
				}
				// Every chunk goes in place where there is room for it
				// sealed, and none where there is not; the header is
				// copied.
				want := 0
				for off := 0; off == 0 || off < size; off += chunkSize {
					if min(chunkSize, size-off)+16 <= room {
						want++
					}
				}
				if dst.inPlace != want {
					t.Errorf("%s: %d chunks sealed in place, want %d", what(), dst.inPlace, want)
				}
				if chunks := max(1, (size+chunkSize-1)/chunkSize); dst.cpy != 1+chunks-want {
					t.Errorf("%s: %d writes copied, want the header and %d chunks", what(), dst.cpy, chunks-want)
				}
			}
		}
	}
}

// TestStreamRecipients: every recipient decrypts; two files of the same
// plaintext share no bytes past the header's fixed text (a fresh file key
// and nonce each); a flipped payload byte fails age's check; and age's
// rule against mixing post-quantum recipients with others holds.
func TestStreamRecipients(t *testing.T) {
	a, b := newIdentity(t), newIdentity(t)
	pt := bytes.Repeat([]byte("contact "), 20000)
	seal := func() []byte {
		var out bytes.Buffer
		w, err := EncryptStream(&out, a.Recipient(), b.Recipient())
		if err != nil {
			t.Fatal(err)
		}
		w.Write(pt)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	ct := seal()
	for _, id := range []age.Identity{a, b} {
		r, err := age.Decrypt(bytes.NewReader(ct), id)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := io.ReadAll(r); !bytes.Equal(got, pt) {
			t.Fatal("a recipient read other bytes")
		}
	}
	ct2 := seal()
	tail := len(ct) - 2*chunkSize
	if bytes.Equal(ct[tail:], ct2[tail:]) {
		t.Error("two files of the same plaintext end alike: file key or nonce reused")
	}
	bad := bytes.Clone(ct)
	bad[tail] ^= 1
	if r, err := age.Decrypt(bytes.NewReader(bad), a); err == nil {
		if _, err := io.ReadAll(r); err == nil {
			t.Error("a flipped payload byte decrypted")
		}
	}
	pq, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	scrypt, err := age.NewScryptRecipient("passphrase")
	if err != nil {
		t.Fatal(err)
	}
	scrypt.SetWorkFactor(testWorkFactor)
	// Either order: the first recipient is the one wrapped to keep the
	// key, and it must keep its labels.
	for _, rs := range [][]age.Recipient{{a.Recipient(), pq.Recipient()}, {pq.Recipient(), a.Recipient()},
		{scrypt, a.Recipient()}, {a.Recipient(), scrypt}} {
		if _, err := EncryptStream(io.Discard, rs...); err == nil {
			t.Errorf("recipients %T and %T were taken together", rs[0], rs[1])
		}
	}
	var out bytes.Buffer
	w, err := EncryptStream(&out, pq.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	w.Write(pt)
	w.Close()
	r, err := age.Decrypt(&out, pq)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(r); !bytes.Equal(got, pt) {
		t.Fatal("the post-quantum recipient read other bytes")
	}
	if _, err := EncryptStream(io.Discard); err == nil {
		t.Error("no recipients was taken")
	}
	if _, err := w.Write([]byte("x")); err == nil {
		t.Error("a write after Close was taken")
	}
}

// failAfter fails every write from its nth on.
type failAfter struct {
	n      int
	writes int
}

func (f *failAfter) Write(p []byte) (int, error) {
	if f.writes++; f.writes >= f.n {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// TestStreamErrors: a failed write stops the stream (no chunk is skipped
// and the file carried on), and a second Close writes nothing.
func TestStreamErrors(t *testing.T) {
	id := newIdentity(t)
	dst := &failAfter{n: 3} // the header, one chunk, then failure
	w, err := EncryptStream(dst, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	pt := make([]byte, 4*chunkSize)
	if _, err := w.Write(pt); err == nil {
		t.Fatal("a failed chunk write was not reported")
	}
	n := dst.writes
	if _, err := w.Write(pt); err == nil || dst.writes != n {
		t.Errorf("a write after a failure: %v, %d more writes", err, dst.writes-n)
	}
	if err := w.Close(); err == nil || dst.writes != n {
		t.Errorf("Close after a failure: %v, %d more writes", err, dst.writes-n)
	}
	var out bytes.Buffer
	w, err = EncryptStream(&out, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("card"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	size := out.Len()
	if err := w.Close(); err != nil || out.Len() != size {
		t.Errorf("a second Close: %v, %d bytes more", err, out.Len()-size)
	}
	if _, err := age.Decrypt(bytes.NewReader(out.Bytes()), id); err != nil {
		t.Fatal(err)
	}
}

// TestIncNonce: the chunk counter carries across bytes and reports its
// wrap-around, and never touches the last-chunk flag.
func TestIncNonce(t *testing.T) {
	var n [12]byte
	n[10] = 0xff
	if !incNonce(&n) || n[10] != 0 || n[9] != 1 || n[11] != 0 {
		t.Fatalf("0x..00ff + 1 = %x", n)
	}
	n = [12]byte{}
	for i := range 11 {
		n[i] = 0xff
	}
	if incNonce(&n) || n != ([12]byte{}) {
		t.Fatalf("the counter's wrap-around was not reported: %x", n)
	}
}
