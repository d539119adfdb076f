package format

import (
	"errors"
	"reflect"
	"testing"
)

func TestTrailerRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries []BlobEntry
	}{
		{"empty", []BlobEntry{}},
		{"sample", sampleEntries()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := EncodeTrailer(tc.entries)
			got, err := DecodeTrailer(b)
			if err != nil {
				t.Fatalf("DecodeTrailer: %v", err)
			}
			if !reflect.DeepEqual(got, tc.entries) {
				t.Errorf("DecodeTrailer(EncodeTrailer(e)) = %+v, want %+v", got, tc.entries)
			}
			truncations(t, b, func(b []byte) error { _, err := DecodeTrailer(b); return err })
		})
	}
}

// badEntries are blob entries no trailer or index may hold.
var badEntries = []struct {
	name string
	e    BlobEntry
}{
	{"type 0", BlobEntry{Type: 0, Length: 1, RawLen: 1}},
	{"type 4", BlobEntry{Type: BlobSeq + 1, Length: 1, RawLen: 1}},
	{"compression 2", BlobEntry{Type: BlobData, Comp: CompZstd + 1, Length: 1, RawLen: 5}},
	{"uncompressed length mismatch", BlobEntry{Type: BlobData, Comp: CompNone, Length: 10, RawLen: 11}},
	{"raw too large", BlobEntry{Type: BlobData, Comp: CompZstd, Length: 10, RawLen: MaxBlobSize + 1}},
	{"stored too large", BlobEntry{Type: BlobData, Comp: CompZstd, Length: MaxBlobSize + 1025, RawLen: 10}},
	{"end past 4 GiB", BlobEntry{Type: BlobData, Comp: CompNone, Offset: 1<<32 - 10, Length: 10, RawLen: 10}},
}

func TestDecodeTrailerRejects(t *testing.T) {
	valid := EncodeTrailer(sampleEntries())
	cases := []struct {
		name string
		b    []byte
	}{
		{"empty input", nil},
		{"version 0", append([]byte{0}, valid[1:]...)},
		{"version 2", append([]byte{2}, valid[1:]...)},
		{"count exceeds data", enc(func(e *encoder) {
			e.byte(trailerVersion)
			e.uvarint(5)
			e.blobEntry(&sampleEntries()[0])
		})},
		{"huge count", enc(func(e *encoder) { e.byte(trailerVersion); e.uvarint(1 << 62) })},
		{"trailing byte", append(valid, 0)},
		// A uvarint field above 32 bits: it must not wrap around.
		{"offset over 32 bits", enc(func(e *encoder) {
			e.byte(trailerVersion)
			e.uvarint(1)
			e.id(tid(1))
			e.byte(byte(BlobData))
			e.byte(CompNone)
			e.uvarint(1 << 32)
			e.uvarint(1)
			e.uvarint(1)
		})},
	}
	for _, be := range badEntries {
		cases = append(cases, struct {
			name string
			b    []byte
		}{be.name, EncodeTrailer([]BlobEntry{sampleEntries()[0], be.e})})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			es, err := DecodeTrailer(tc.b)
			wantCorrupt(t, "DecodeTrailer", err)
			if es != nil {
				t.Errorf("DecodeTrailer returned %d entries with its error", len(es))
			}
		})
	}
}

func TestPackFooter(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 64 << 20} {
		f := PackFooter(n)
		if len(f) != PackFooterSize {
			t.Fatalf("PackFooter(%d) has %d bytes, want %d", n, len(f), PackFooterSize)
		}
		got, err := ParsePackFooter(f, int64(n)+PackFooterSize)
		if err != nil || got != n {
			t.Errorf("ParsePackFooter(PackFooter(%d)) = %d, %v", n, got, err)
		}
	}
}

func TestParsePackFooterRejects(t *testing.T) {
	good := PackFooter(100)
	for _, tc := range []struct {
		name     string
		footer   []byte
		packSize int64
	}{
		{"empty", nil, 1000},
		{"short", good[:PackFooterSize-1], 1000},
		{"long", append(PackFooter(100), 0), 1000},
		{"bad magic", append(good[:4:4], "lbp2"...), 1000},
		{"garbage", []byte("\xff\xff\xff\xffGARB"), 1000},
		{"trailer longer than pack", good, 100 + PackFooterSize - 1},
		{"pack smaller than footer", PackFooter(0), PackFooterSize - 1},
		{"negative pack size", PackFooter(0), -1},
		{"oversized trailer", PackFooter(64<<20 + 1), 1 << 40},
		{"max uint32 trailer", PackFooter(1<<32 - 1), 1 << 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := ParsePackFooter(tc.footer, tc.packSize)
			if !errors.Is(err, ErrNotPack) {
				t.Errorf("ParsePackFooter = %d, %v; want ErrNotPack", n, err)
			}
		})
	}
}
