package format

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"testing"
)

// TestSealWriter: whatever the write sizes, the sealed bytes are AES-CBC
// with a zero IV and PKCS#7 padding (decrypted here with the standard
// library), of SealedSize.
func TestSealWriter(t *testing.T) {
	key := bytes.Repeat([]byte{0x42}, SealKeyLen)
	for _, n := range []int{0, 1, 15, 16, 17, 100, 70000} {
		plain := make([]byte, n)
		for i := range plain {
			plain[i] = byte(i * 31)
		}
		for _, step := range []int{1, 7, 16, 4096, n + 1} {
			var out bytes.Buffer
			w, err := NewSealWriter(&out, key)
			if err != nil {
				t.Fatal(err)
			}
			for p := plain; len(p) > 0; {
				k := min(step, len(p))
				if _, err := w.Write(p[:k]); err != nil {
					t.Fatal(err)
				}
				p = p[k:]
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if uint64(out.Len()) != SealedSize(uint64(n)) {
				t.Fatalf("n=%d step=%d: %d sealed bytes, want %d", n, step, out.Len(), SealedSize(uint64(n)))
			}
			blk, _ := aes.NewCipher(key)
			dec := append([]byte(nil), out.Bytes()...)
			cipher.NewCBCDecrypter(blk, make([]byte, aes.BlockSize)).CryptBlocks(dec, dec)
			pad := int(dec[len(dec)-1])
			if pad < 1 || pad > 16 || !bytes.Equal(dec[:len(dec)-pad], plain) || !bytes.Equal(dec[len(dec)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
				t.Fatalf("n=%d step=%d: sealed bytes do not decrypt to the plaintext with PKCS#7 padding", n, step)
			}
		}
	}
	if _, err := NewSealWriter(nil, key[:16]); err == nil {
		t.Error("a 16-byte key was taken")
	}
}

// TestSealedNodeHostile: a seal on a folder, a sparse file or one with a
// patch, or a key cut short, is refused.
func TestSealedNodeHostile(t *testing.T) {
	key := bytes.Repeat([]byte{1}, SealKeyLen)
	bad := []Node{
		{Name: "d", Type: NodeDir, Content: Ref{IDs: []ID{tid(1)}}, Seal: key},
		{Name: "s", Type: NodeFile, Sparse: true, Seal: key},
		{Name: "p", Type: NodeFile, Patch: Ref{IDs: []ID{tid(2)}}, Seal: key},
	}
	for _, n := range bad {
		if _, err := DecodeTree(EncodeTree([]Node{n})); err == nil {
			t.Errorf("sealed %q decoded", n.Name)
		}
	}
	b := EncodeTree([]Node{{Name: "f", Type: NodeFile, Seal: key}})
	if _, err := DecodeTree(b[:len(b)-1]); err == nil {
		t.Error("a tree with its seal key cut short decoded")
	}
	if got, err := DecodeTree(b); err != nil || !bytes.Equal(got[0].Seal, key) {
		t.Errorf("sealed file: %v %v", got, err)
	}
}
