package crypto

import (
	"bytes"
	"errors"
	"testing"
)

func TestSealRoundTrip(t *testing.T) {
	k := mustKeys(t, key(1))
	for _, pt := range [][]byte{{}, []byte("x"), bytes.Repeat([]byte("index"), 10000)} {
		sealed := k.Seal(LabelIndex, pt)
		if len(sealed) != len(pt)+SealOverhead {
			t.Errorf("Seal of %d bytes gave %d, want %d", len(pt), len(sealed), len(pt)+SealOverhead)
		}
		if len(pt) >= 8 && bytes.Contains(sealed, pt) { // one byte shows by chance
			t.Error("the plaintext shows in the sealed bytes")
		}
		got, err := k.Open(LabelIndex, sealed)
		if err != nil || !bytes.Equal(got, pt) {
			t.Errorf("Open(Seal(%d bytes)) = %d bytes, %v", len(pt), len(got), err)
		}
	}
	if bytes.Equal(k.Seal(LabelIndex, []byte("x")), k.Seal(LabelIndex, []byte("x"))) {
		t.Error("two Seals of the same plaintext are equal: the nonce is not random")
	}
}

func TestOpenRejects(t *testing.T) {
	k, other := mustKeys(t, key(1)), mustKeys(t, key(2))
	pt := []byte("snapshot plaintext")
	sealed := k.Seal(LabelSnapshot, pt)
	type tc struct {
		name   string
		keys   *Keys
		label  string
		sealed []byte
	}
	cases := []tc{
		{"wrong label", k, LabelIndex, sealed},
		{"trailer label", k, LabelTrailer, sealed},
		{"empty label", k, "", sealed},
		{"wrong key", other, LabelSnapshot, sealed},
		{"empty", k, LabelSnapshot, nil},
		{"overhead only", k, LabelSnapshot, sealed[:SealOverhead]},
		{"truncated by one", k, LabelSnapshot, sealed[:len(sealed)-1]},
		{"shorter than overhead", k, LabelSnapshot, sealed[:SealOverhead-1]},
		{"extended", k, LabelSnapshot, append(bytes.Clone(sealed), 0)},
	}
	for i := range sealed {
		b := bytes.Clone(sealed)
		b[i] ^= 0x80
		cases = append(cases, tc{"flipped byte", k, LabelSnapshot, b})
	}
	for _, c := range cases {
		got, err := c.keys.Open(c.label, c.sealed)
		if !errors.Is(err, ErrAuth) || got != nil {
			t.Errorf("%s: Open = %q, %v; want ErrAuth", c.name, got, err)
		}
	}
}
