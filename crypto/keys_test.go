package crypto

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// key returns a fixed write key for seed.
func key(seed byte) []byte { return bytes.Repeat([]byte{seed}, KeySize) }

func mustKeys(t *testing.T, wk []byte) *Keys {
	t.Helper()
	k, err := DeriveKeys(wk)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestDeriveKeysDeterministic(t *testing.T) {
	a, b := mustKeys(t, key(1)), mustKeys(t, key(1))
	if a.blobID != b.blobID || a.Chunker != b.Chunker || a.meta != b.meta || a.configMAC != b.configMAC {
		t.Error("the same write key derived different subkeys")
	}
	if !bytes.Equal(a.WriteKey(), key(1)) {
		t.Error("WriteKey() is not the write key")
	}
	a.WriteKey()[0] ^= 1
	if !bytes.Equal(a.WriteKey(), key(1)) {
		t.Error("WriteKey() returned the key's own storage")
	}
}

func TestDeriveKeysSeparation(t *testing.T) {
	k := mustKeys(t, key(1))
	subs := map[string][KeySize]byte{
		"write": k.write, "blob id": k.blobID, "chunker": k.Chunker, "meta": k.meta, "config mac": k.configMAC,
	}
	seen := map[[KeySize]byte]string{}
	for name, v := range subs {
		if v == ([KeySize]byte{}) {
			t.Errorf("%s key is zero", name)
		}
		if other, dup := seen[v]; dup {
			t.Errorf("%s key equals %s key", name, other)
		}
		seen[v] = name
	}
	o := mustKeys(t, key(2))
	if o.blobID == k.blobID || o.Chunker == k.Chunker || o.meta == k.meta || o.configMAC == k.configMAC {
		t.Error("different write keys share a subkey")
	}
}

func TestDeriveKeysRejects(t *testing.T) {
	for _, n := range []int{0, 16, KeySize - 1, KeySize + 1, 64} {
		if _, err := DeriveKeys(make([]byte, n)); !errors.Is(err, ErrBadWriteKey) {
			t.Errorf("DeriveKeys(%d bytes): %v, want ErrBadWriteKey", n, err)
		}
	}
}

func TestBlobID(t *testing.T) {
	k1, k1b, k2 := mustKeys(t, key(1)), mustKeys(t, key(1)), mustKeys(t, key(2))
	for _, data := range [][]byte{nil, []byte("a"), bytes.Repeat([]byte("photo"), 100000)} {
		id := k1.BlobID(data)
		if k1.BlobID(data) != id || k1b.BlobID(data) != id {
			t.Errorf("BlobID of %d bytes is not stable for one key", len(data))
		}
		if k2.BlobID(data) == id {
			t.Errorf("BlobID of %d bytes is the same under two keys", len(data))
		}
		if ObjectHash(data) == id {
			t.Errorf("BlobID of %d bytes is the unkeyed hash", len(data))
		}
	}
	if k1.BlobID([]byte("a")) == k1.BlobID([]byte("b")) {
		t.Error("BlobID of different data is equal")
	}
}

func TestObjectHash(t *testing.T) {
	data := []byte("object bytes")
	h := NewObjectHasher()
	h.Write(data[:3])
	h.Write(data[3:])
	if got, want := h.Sum(nil), ObjectHash(data); !bytes.Equal(got, want[:]) {
		t.Errorf("streaming hash %x, want %x", got, want)
	}
	if ObjectHash(data) == ObjectHash([]byte("other")) {
		t.Error("ObjectHash of different data is equal")
	}
}

func TestConfigMAC(t *testing.T) {
	k, o := mustKeys(t, key(1)), mustKeys(t, key(2))
	data := []byte(`{"version":1}`)
	mac := k.ConfigMAC(data)
	if !k.VerifyConfigMAC(data, mac) {
		t.Fatal("VerifyConfigMAC rejects a good MAC")
	}
	for name, ok := range map[string]bool{
		"other key":  o.VerifyConfigMAC(data, mac),
		"other data": k.VerifyConfigMAC([]byte(`{"version":2}`), mac),
		"not hex":    k.VerifyConfigMAC(data, "zz"+mac[2:]),
		"truncated":  k.VerifyConfigMAC(data, mac[:len(mac)-2]),
		"empty":      k.VerifyConfigMAC(data, ""),
	} {
		if ok {
			t.Errorf("VerifyConfigMAC accepts a MAC with %s", name)
		}
	}
}

func TestWriteKeyText(t *testing.T) {
	wk := NewWriteKey()
	if len(wk) != KeySize || bytes.Equal(wk, NewWriteKey()) {
		t.Fatal("NewWriteKey is not 32 fresh bytes")
	}
	s := EncodeWriteKey(wk)
	for _, in := range []string{s, strings.TrimSuffix(s, "\n"), strings.TrimSuffix(s, "\n") + "\r\n"} {
		got, err := ParseWriteKey(in)
		if err != nil || !bytes.Equal(got, wk) {
			t.Errorf("ParseWriteKey(%q) = %x, %v", in, got, err)
		}
	}
	body := strings.TrimSuffix(s, "\n")
	for _, tc := range []struct {
		name, s string
	}{
		{"empty", ""},
		{"prefix only", "LIFEBOAT-WRITE-KEY-1"},
		{"no prefix", body[len("LIFEBOAT-WRITE-KEY-1"):]},
		{"other version", strings.Replace(body, "KEY-1", "KEY-2", 1)},
		{"short", body[:len(body)-2]},
		{"long", body + "00"},
		{"odd digits", body[:len(body)-1]},
		{"not hex", body[:len(body)-1] + "g"},
		{"leading space", " " + body},
		{"trailing space", body + " "},
		{"two lines", body + "\n" + body},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if k, err := ParseWriteKey(tc.s); !errors.Is(err, ErrBadWriteKey) || k != nil {
				t.Errorf("ParseWriteKey = %x, %v; want ErrBadWriteKey", k, err)
			}
		})
	}
}
