package format

import (
	"reflect"
	"testing"
)

func TestIndexRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name  string
		packs []IndexPack
	}{
		{"empty", []IndexPack{}},
		{"pack without blobs", []IndexPack{{Pack: tid(7), Blobs: []BlobEntry{}}}},
		{"packs", []IndexPack{
			{Pack: tid(10), Blobs: sampleEntries()},
			{Pack: tid(20), Blobs: sampleEntries()[1:2]},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := EncodeIndex(tc.packs)
			got, err := DecodeIndex(b)
			if err != nil {
				t.Fatalf("DecodeIndex: %v", err)
			}
			if !reflect.DeepEqual(got, tc.packs) {
				t.Errorf("DecodeIndex(EncodeIndex(p)) = %+v, want %+v", got, tc.packs)
			}
			truncations(t, b, func(b []byte) error { _, err := DecodeIndex(b); return err })
		})
	}
}

func TestDecodeIndexRejects(t *testing.T) {
	valid := EncodeIndex([]IndexPack{{Pack: tid(1), Blobs: sampleEntries()}})
	cases := []struct {
		name string
		b    []byte
	}{
		{"empty input", nil},
		{"version 0", append([]byte{0}, valid[1:]...)},
		{"version 2", append([]byte{2}, valid[1:]...)},
		{"pack count exceeds data", enc(func(e *encoder) {
			e.byte(indexVersion)
			e.uvarint(3)
			e.id(tid(1))
			e.uvarint(0)
		})},
		{"blob count exceeds data", enc(func(e *encoder) {
			e.byte(indexVersion)
			e.uvarint(1)
			e.id(tid(1))
			e.uvarint(1 << 40)
		})},
		{"trailing byte", append(valid, 0)},
	}
	for _, be := range badEntries {
		cases = append(cases, struct {
			name string
			b    []byte
		}{be.name, EncodeIndex([]IndexPack{{Pack: tid(1), Blobs: []BlobEntry{be.e}}})})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := DecodeIndex(tc.b)
			wantCorrupt(t, "DecodeIndex", err)
			if p != nil {
				t.Errorf("DecodeIndex returned %d packs with its error", len(p))
			}
		})
	}
}

func TestSeqRoundTrip(t *testing.T) {
	for _, n := range []int{1, 2, MaxSeqIDs, 1000} {
		ids := tids(n)
		b := EncodeSeq(ids)
		got, err := DecodeSeq(b)
		if err != nil {
			t.Fatalf("DecodeSeq of %d ids: %v", n, err)
		}
		if !reflect.DeepEqual(got, ids) {
			t.Errorf("DecodeSeq(EncodeSeq(%d ids)) differs", n)
		}
		truncations(t, b, func(b []byte) error { _, err := DecodeSeq(b); return err })
	}
}

func TestDecodeSeqRejects(t *testing.T) {
	valid := EncodeSeq(tids(3))
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"empty input", nil},
		{"empty sequence", EncodeSeq(nil)},
		{"version 0", append([]byte{0}, valid[1:]...)},
		{"version 2", append([]byte{2}, valid[1:]...)},
		{"count exceeds data", enc(func(e *encoder) { e.byte(seqVersion); e.uvarint(2); e.id(tid(1)) })},
		{"huge count", enc(func(e *encoder) { e.byte(seqVersion); e.uvarint(1<<64 - 1) })},
		{"partial id", append(EncodeSeq(tids(1)), 1, 2, 3)},
		{"trailing byte", append(valid, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ids, err := DecodeSeq(tc.b)
			wantCorrupt(t, "DecodeSeq", err)
			if ids != nil {
				t.Errorf("DecodeSeq returned %d ids with its error", len(ids))
			}
		})
	}
}

func TestSeqBoundary(t *testing.T) {
	var id ID
	for last, want := range map[byte]bool{0: true, 32: true, 64: true, 1: false, 31: false, 33: false} {
		id[IDSize-1] = last
		if got := SeqBoundary(id); got != want {
			t.Errorf("SeqBoundary(id ending %d) = %v, want %v", last, got, want)
		}
	}
}
