package format

import (
	"bytes"
	"encoding/binary"
	"errors"
	"reflect"
	"testing"
)

// Decoders must never panic, must fail only with ErrCorrupt, and what they
// accept must survive a re-encoding. The binary encodings are meant to be
// canonical (decode → encode gives back the input), but the decoders accept
// non-minimal varints and wrap uvarints above 32 bits into uint32 fields
// (reported); so by default the fuzzers check the weaker
// decode(encode(decode(x))) == decode(x), and with LIFEBOAT_KNOWN_BUGS=1
// also that encode(decode(x)) == x.

// checkBinary runs the checks common to the binary decoders.
func checkBinary[T any](t *testing.T, in []byte, decode func([]byte) (T, error), encode func(T) []byte) {
	v, err := decode(in)
	if err != nil {
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("error %v does not wrap ErrCorrupt", err)
		}
		return
	}
	out := encode(v)
	if !bytes.Equal(out, in) {
		t.Fatalf("not canonical:\n in  %x\n out %x", in, out)
	}
	v2, err := decode(out)
	if err != nil {
		t.Fatalf("decoding the re-encoding: %v", err)
	}
	if !reflect.DeepEqual(v2, v) {
		t.Fatalf("re-encoding changed the value:\n %+v\n %+v", v, v2)
	}
}

// checkValue checks that decoding, encoding and decoding again keeps the
// value, for encodings that are read but not written.
func checkValue[T any](t *testing.T, in []byte, decode func([]byte) (T, error), encode func(T) []byte) {
	v, err := decode(in)
	if err != nil {
		return
	}
	v2, err := decode(encode(v))
	if err != nil || !reflect.DeepEqual(v2, v) {
		t.Fatalf("re-encoding changed the value (%v):\n %+v\n %+v", err, v, v2)
	}
}

func FuzzDecodeTree(f *testing.F) {
	f.Add(EncodeTree(sampleNodes()))
	f.Add(EncodeTree(nil))
	// extremeNode, made small: large seeds make minimisation stall the fuzzer.
	x := extremeNode()
	x.Name, x.Target, x.Content.IDs = "x", "t", x.Content.IDs[:2]
	f.Add(EncodeTree([]Node{x}))
	f.Add(EncodeTree([]Node{{Name: "a", Type: NodeFile}, {Name: "b", Type: NodeDir}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 0 && b[0] < treeVersion {
			// Older trees are read, never written: they re-encode as the
			// current version with the same value.
			checkValue(t, b, DecodeTree, EncodeTree)
			return
		}
		checkBinary(t, b, DecodeTree, EncodeTree)
	})
}

func FuzzDecodeNode(f *testing.F) {
	for _, n := range sampleNodes() {
		f.Add(EncodeNode(&n))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkBinary(t, b, DecodeNode, func(n Node) []byte { return EncodeNode(&n) })
	})
}

func FuzzDecodeSeq(f *testing.F) {
	f.Add(EncodeSeq(tids(1)))
	f.Add(EncodeSeq(tids(3)))
	f.Fuzz(func(t *testing.T, b []byte) { checkBinary(t, b, DecodeSeq, EncodeSeq) })
}

func FuzzDecodeTrailer(f *testing.F) {
	f.Add(EncodeTrailer(sampleEntries()))
	f.Add(EncodeTrailer(nil))
	f.Fuzz(func(t *testing.T, b []byte) { checkBinary(t, b, DecodeTrailer, EncodeTrailer) })
}

func FuzzDecodeIndex(f *testing.F) {
	f.Add(EncodeIndex([]IndexPack{{Pack: tid(1), Blobs: sampleEntries()}, {Pack: tid(2)}}))
	f.Add(EncodeIndex(nil))
	f.Fuzz(func(t *testing.T, b []byte) { checkBinary(t, b, DecodeIndex, EncodeIndex) })
}

// checkJSON checks a JSON decoder: no panic, only its documented errors,
// and decode(encode(decode(x))) == decode(x).
func checkJSON[T any](t *testing.T, in []byte, decode func([]byte) (*T, error), encode func(*T) ([]byte, error)) {
	v, err := decode(in)
	if err != nil {
		if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnknownVersion) {
			t.Fatalf("error %v wraps neither ErrCorrupt nor ErrUnknownVersion", err)
		}
		return
	}
	out, err := encode(v)
	if err != nil {
		t.Fatalf("encoding a decoded value: %v", err)
	}
	v2, err := decode(out)
	if err != nil {
		t.Fatalf("decoding the re-encoding %s: %v", out, err)
	}
	if !reflect.DeepEqual(v2, v) {
		t.Fatalf("re-encoding changed the value:\n %+v\n %+v", v, v2)
	}
}

func FuzzDecodeSnapshot(f *testing.F) {
	b, err := EncodeSnapshot(sampleSnapshot())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"version":1,"time":"2025-01-01T00:00:00+02:00","tree":{"level":0,"ids":null}}`))
	f.Fuzz(func(t *testing.T, b []byte) { checkJSON(t, b, DecodeSnapshot, EncodeSnapshot) })
}

func FuzzDecodeConfig(f *testing.F) {
	b, err := EncodeConfig(sampleConfig())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(bytes.Replace(b, []byte(`Z"`), []byte(`+00:00"`), 1)) // another writer's UTC
	f.Fuzz(func(t *testing.T, b []byte) { checkJSON(t, b, DecodeConfig, EncodeConfig) })
}

// TestZeroOffsetTimes: a time written "+00:00", as other tools write UTC,
// decodes to what its re-encoding ("Z") decodes to (found by
// FuzzDecodeSnapshot in CI: the local zone against UTC).
func TestZeroOffsetTimes(t *testing.T) {
	checkJSON(t, []byte(`{"version":1,"time":"2025-01-01T00:00:00+00:00","tree":{"level":0,"ids":null}}`), DecodeSnapshot, EncodeSnapshot)
	b, err := EncodeConfig(sampleConfig())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`Z"`)) {
		t.Fatalf("the sample config has no UTC time: %s", b)
	}
	checkJSON(t, bytes.Replace(b, []byte(`Z"`), []byte(`+00:00"`), 1), DecodeConfig, EncodeConfig)
}

func FuzzParsePackFooter(f *testing.F) {
	f.Add(PackFooter(100), int64(1000))
	f.Add(PackFooter(0), int64(PackFooterSize))
	f.Add([]byte("\xff\xff\xff\xfflbp1"), int64(1<<40))
	f.Fuzz(func(t *testing.T, footer []byte, packSize int64) {
		n, err := ParsePackFooter(footer, packSize)
		if err != nil {
			if !errors.Is(err, ErrNotPack) {
				t.Fatalf("error %v is not ErrNotPack", err)
			}
			return
		}
		if n < 0 || int64(n) > packSize-PackFooterSize || n > 64<<20 {
			t.Fatalf("ParsePackFooter accepted a trailer of %d bytes in a pack of %d", n, packSize)
		}
		if !bytes.Equal(PackFooter(n), footer) {
			t.Fatalf("PackFooter(%d) = %x, not the parsed %x", n, PackFooter(n), footer)
		}
	})
}

// A binary decoder must accept only what its encoder produces. Today the
// decoders accept non-minimal varints and wrap uvarints above 32 bits into
// uint32 fields (reported, not yet fixed).
func TestDecodeRejectsNonCanonical(t *testing.T) {
	s := sampleNodes()
	link := EncodeNode(&s[2]) // name "link", mode 0o777 (2 bytes), mtime 0
	modeAt := 1 + len("link") + 1
	entry := EncodeTrailer(sampleEntries()[1:2])
	offAt := 1 + 1 + IDSize + 2 // version, count, id, type, comp
	for _, tc := range []struct {
		name     string
		b        []byte
		reencode func([]byte) ([]byte, error)
	}{
		{"tree count 0 in two bytes", []byte{treeVersion, 0x80, 0x00}, reTree},
		{"seq count 1 in two bytes", append([]byte{seqVersion, 0x81, 0x00}, make([]byte, IDSize)...), reSeq},
		{"node mode over 32 bits", splice(link, modeAt, 2, binary.AppendUvarint(nil, 1<<32|0o777)), reNode},
		{"node mtime in two bytes", splice(link, modeAt+2, 1, []byte{0x80, 0x00}), reNode},
		{"trailer offset in two bytes", splice(entry, offAt, 1, []byte{0xe4, 0x00}), reTrailer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.reencode(tc.b)
			if err == nil && !bytes.Equal(out, tc.b) {
				t.Errorf("accepted %x, which re-encodes as %x", tc.b, out)
			}
		})
	}
}

// splice returns b with n bytes at i replaced by r.
func splice(b []byte, i, n int, r []byte) []byte {
	return append(append(append([]byte(nil), b[:i]...), r...), b[i+n:]...)
}

func reTree(b []byte) ([]byte, error)    { v, err := DecodeTree(b); return EncodeTree(v), err }
func reSeq(b []byte) ([]byte, error)     { v, err := DecodeSeq(b); return EncodeSeq(v), err }
func reNode(b []byte) ([]byte, error)    { v, err := DecodeNode(b); return EncodeNode(&v), err }
func reTrailer(b []byte) ([]byte, error) { v, err := DecodeTrailer(b); return EncodeTrailer(v), err }

func FuzzDecodePatch(f *testing.F) {
	f.Add(EncodePatch([]Insert{{0, []byte("REV:1\r\n")}, {250, []byte("REV:2\r\n")}}))
	f.Fuzz(func(t *testing.T, in []byte) { checkBinary(t, in, DecodePatch, EncodePatch) })
}

func FuzzDecodeCatalog(f *testing.F) {
	f.Add(EncodeCatalog(&Catalog{Generation: 3, Snapshots: []ID{{1}, {2}}}))
	f.Add([]byte{1, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) { checkBinary(t, b, DecodeCatalog, EncodeCatalog) })
}
