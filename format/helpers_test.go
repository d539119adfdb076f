package format

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
)

// tid returns a distinct, recognisable ID for n.
func tid(n byte) ID {
	var id ID
	for i := range id {
		id[i] = n + byte(i)
	}
	return id
}

func tids(n int) []ID {
	ids := make([]ID, n)
	for i := range ids {
		ids[i] = tid(byte(i))
		ids[i][0] = byte(i >> 8)
	}
	return ids
}

// sampleNodes is a valid tree: every node type, sorted bytewise.
func sampleNodes() []Node {
	return []Node{
		{Name: "a.vcf", Type: NodeFile, Mode: 0o644, MTime: NanoTime(1700000000123456789), Size: 12345,
			Kind: 1, Counts: Counts{Contacts: 300}, Content: Ref{IDs: []ID{tid(1), tid(2)}}},
		{Name: "dir", Type: NodeDir, Mode: 0o755, MTime: NanoTime(-5), Content: Ref{Level: 2, IDs: []ID{tid(3)}},
			XAttrs: []XAttr{{"security.selinux", []byte("x")}, {"user.a", nil}, {"user.b", []byte{0, 1}}}},
		{Name: "link", Type: NodeSymlink, Mode: 0o777, Target: "../x"},
		{Name: "sealed", Type: NodeFile, Mode: 0o644, Size: 32, Content: Ref{IDs: []ID{tid(4)}}, Seal: bytes.Repeat([]byte{7}, SealKeyLen)},
		{Name: "ünïcode 🙂", Type: NodeFile, Mode: 0o600, Size: 1 << 40, MTime: Time{Sec: 10445241600, Nsec: 123456789},
			Counts: Counts{1, 2, 3, 4, 5}, Content: Ref{IDs: []ID{tid(9)}}, Sparse: true, Link: 7},
	}
}

// extremeNode has every field at its largest.
func extremeNode() Node {
	return Node{
		Name: strings.Repeat("n", MaxNameLen), Type: NodeSymlink, Mode: math.MaxUint32,
		MTime: Time{Sec: math.MinInt64, Nsec: 999999999}, Size: math.MaxUint64, Kind: 255,
		Counts:  Counts{math.MaxUint32, math.MaxUint32, math.MaxUint32, math.MaxUint32, math.MaxUint32},
		Content: Ref{Level: MaxRefLevel, IDs: tids(300)},
		Target:  strings.Repeat("t", MaxTargetLen),
		Sparse:  true, Link: math.MaxUint64,
		XAttrs: []XAttr{{"user." + strings.Repeat("x", MaxXAttrName-5), bytes.Repeat([]byte{0xff}, MaxXAttrValue)}},
	}
}

func sampleEntries() []BlobEntry {
	return []BlobEntry{
		{ID: tid(1), Type: BlobData, Comp: CompZstd, Offset: 0, Length: 100, RawLen: 4000},
		{ID: tid(2), Type: BlobTree, Comp: CompNone, Offset: 100, Length: 77, RawLen: 77},
		{ID: tid(3), Type: BlobSeq, Comp: CompNone, Offset: 177, Length: 0, RawLen: 0},
		{ID: tid(4), Type: BlobData, Comp: CompNone, Offset: math.MaxUint32 - MaxBlobSize,
			Length: MaxBlobSize, RawLen: MaxBlobSize},
	}
}

// enc builds raw bytes with the package's own encoder, for hostile inputs.
func enc(f func(e *encoder)) []byte {
	var e encoder
	f(&e)
	return e.b
}

func wantCorrupt(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("%s: got error %v, want ErrCorrupt", what, err)
	}
}

// truncations checks that every proper prefix of a valid encoding fails.
func truncations(t *testing.T, b []byte, decode func([]byte) error) {
	t.Helper()
	for i := range len(b) {
		if err := decode(b[:i]); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("decoding the first %d of %d bytes: %v, want ErrCorrupt", i, len(b), err)
		}
	}
}
