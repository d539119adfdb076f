package repo

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// TestIncompressible: random bytes of every size from a few hundred bytes
// up are skipped; text, vCards, base64, zeros and half-random data are
// tried; and whatever is skipped would not have met Add's 1/32 anyway.
func TestIncompressible(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	saves := func(b []byte) bool { return len(enc.EncodeAll(b, nil)) < len(b)-len(b)/32 }
	for _, n := range []int{300, 1024, 4096, 20 << 10, 1 << 20} {
		b := random(n)
		if !incompressible(b) {
			t.Errorf("%d random bytes: tried", n)
		}
		if saves(b) {
			t.Errorf("%d random bytes compress by 1/32", n)
		}
	}
	vcard := strings.Repeat("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Müller\r\nTEL;TYPE=CELL:+49 170 1234567\r\nEND:VCARD\r\n", 50)
	half := append(random(8<<10), bytes.Repeat([]byte("the quick brown fox "), 400)...)
	b64 := make([]byte, 16<<10)
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range b64 {
		b64[i] = alphabet[rng.IntN(64)]
	}
	for name, b := range map[string][]byte{"vcard": []byte(vcard), "zeros": make([]byte, 64<<10), "half random": half, "base64": b64,
		"short": random(100)} {
		if incompressible(b) {
			t.Errorf("%s: skipped", name)
		}
	}
	if !saves(half) {
		t.Error("half-random data no longer compresses: the test data is wrong")
	}
}

// TestGlanceAgreesWithFullSample: the first look at a quarter of the
// sample decides as the full sample would, on data whose entropy runs from
// text's to random's through the boundary (bytes drawn from k of the 256
// values, or random bytes with a share of zeros), at sizes that take the
// glance.
func TestGlanceAgreesWithFullSample(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var cases [][]byte
	for _, size := range []int{1100, 4096, 10 << 10, 64 << 10} {
		for k := 96; k <= 256; k += 8 {
			b := make([]byte, size)
			for i := range b {
				b[i] = byte(rng.IntN(k))
			}
			cases = append(cases, b)
		}
		for zeros := 0; zeros <= 30; zeros += 2 {
			b := make([]byte, size)
			for i := range b {
				if rng.IntN(100) >= zeros {
					b[i] = byte(rng.Uint32())
				}
			}
			cases = append(cases, b)
		}
	}
	skipped := 0
	for i, b := range cases {
		want := judge(sampleEntropy(b, sampleRun))
		if got := incompressible(b); got != want {
			h, _ := sampleEntropy(b, sampleRun)
			t.Errorf("case %d (%d bytes, full-sample entropy %.3f): incompressible %v, the full sample says %v", i, len(b), h, got, want)
		}
		if want {
			skipped++
		}
	}
	// Both answers must occur, or the cases do not reach the boundary.
	if skipped == 0 || skipped == len(cases) {
		t.Fatalf("%d of %d cases skipped: the data does not cross the boundary", skipped, len(cases))
	}
}

func BenchmarkIncompressible(b *testing.B) {
	text := bytes.Repeat([]byte("todo tea car as photo by as tomorrow a list reminder tea\n"), 200)[:10<<10]
	random := make([]byte, 10<<10)
	_, _ = rand.NewChaCha8([32]byte{5}).Read(random)
	for name, data := range map[string][]byte{"text": text, "random": random} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				incompressible(data)
			}
		})
	}
}
