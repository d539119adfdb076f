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
