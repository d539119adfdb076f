package mbformat

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"howett.net/plist"
)

// TestUnwrapRFC3394 is the RFC 3394 section 4.6 vector (a 256-bit key
// wrapped with a 256-bit KEK), which no generator of ours produced.
func TestUnwrapRFC3394(t *testing.T) {
	kek, _ := hex.DecodeString("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F")
	wrapped, _ := hex.DecodeString("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21")
	want, _ := hex.DecodeString("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F")
	got, err := UnwrapKey(kek, wrapped)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("unwrap = %x, %v; want %x", got, err, want)
	}
	wrapped[10] ^= 1
	if _, err := UnwrapKey(kek, wrapped); !errors.Is(err, ErrUnwrap) {
		t.Errorf("a flipped bit: %v, want ErrUnwrap", err)
	}
	if _, err := UnwrapKey(kek, wrapped[:20]); err == nil {
		t.Error("a wrapped key of 20 bytes unwrapped")
	}
}

// testKeybag is a keybag of two class keys with low iteration counts; its
// wrapped keys are random, so no password unlocks it.
func testKeybag(dpsl bool) []byte {
	var kb []byte
	add := func(tag string, v []byte) {
		kb = append(kb, tag...)
		kb = binary.BigEndian.AppendUint32(kb, uint32(len(v)))
		kb = append(kb, v...)
	}
	u := func(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }
	add("VERS", u(5))
	add("TYPE", u(1))
	add("UUID", bytes.Repeat([]byte{1}, 16))
	add("WRAP", u(0))
	add("SALT", bytes.Repeat([]byte{2}, 20))
	add("ITER", u(3))
	if dpsl {
		add("DPIC", u(5))
		add("DPSL", bytes.Repeat([]byte{3}, 20))
	}
	for c := uint32(1); c <= 2; c++ {
		add("UUID", bytes.Repeat([]byte{byte(c)}, 16))
		add("CLAS", u(c))
		add("WRAP", u(2))
		add("KTYP", u(0))
		add("WPKY", bytes.Repeat([]byte{byte(9 + c)}, 40))
	}
	return kb
}

func TestParseKeybag(t *testing.T) {
	kb, err := ParseKeybag(testKeybag(true))
	if err != nil {
		t.Fatal(err)
	}
	if kb.version != 5 || kb.typ != 1 || kb.iter != 3 || kb.dpic != 5 || len(kb.dpsl) != 20 || len(kb.classes) != 2 {
		t.Errorf("parsed %+v", kb)
	}
	if ck := kb.classes[2]; ck == nil || ck.wrap != 2 || !bytes.Equal(ck.wpky, bytes.Repeat([]byte{11}, 40)) {
		t.Errorf("class 2: %+v", ck)
	}
	// Random wrapped keys: any password is a wrong one.
	if err := kb.Unlock([]byte("pw")); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("Unlock: %v", err)
	}
	if _, err := kb.Unwrap(1, make([]byte, 40)); err == nil {
		t.Error("Unwrap with a locked class key succeeded")
	}
	for name, data := range map[string][]byte{
		"class tag first": append([]byte("CLAS\x00\x00\x00\x04\x00\x00\x00\x01"), testKeybag(false)...),
		"stray bytes":     append(testKeybag(false), 'U', 'U'),
		"short ITER":      []byte("SALT\x00\x00\x00\x01xITER\x00\x00\x00\x02\x00\x01"),
		"too big":         make([]byte, maxKeybag+1),
	} {
		if _, err := ParseKeybag(data); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
	kb, _ = ParseKeybag([]byte("VERS\x00\x00\x00\x04\x00\x00\x00\x05"))
	if err := kb.Unlock([]byte("pw")); err == nil || errors.Is(err, ErrWrongPassword) {
		t.Errorf("a keybag without SALT: %v", err)
	}
}

func TestCBCReaderAt(t *testing.T) {
	// A zero key's CBC of 20 bytes, checked through both readers: the
	// padding of the ReaderAt's Size, and ReadAt across a block boundary.
	key := make([]byte, 32)
	plain := []byte("0123456789abcdefghij")
	enc := encryptForTest(t, key, plain)
	r, err := NewCBCReaderAt(bytes.NewReader(enc), int64(len(enc)), key)
	if err != nil || r.Size() != int64(len(plain)) {
		t.Fatalf("Size %v, %v", r, err)
	}
	got := make([]byte, 6)
	if n, err := r.ReadAt(got, 13); n != 6 || err != nil || string(got) != "defghi" {
		t.Errorf("ReadAt(13) = %d %v %q", n, err, got)
	}
	if n, err := r.ReadAt(got, 17); n != 3 || err != io.EOF {
		t.Errorf("ReadAt past the end = %d %v", n, err)
	}
	s, _ := NewCBCReader(bytes.NewReader(enc), key, int64(len(plain)))
	if all, err := io.ReadAll(s); err != nil || !bytes.Equal(all, plain) {
		t.Errorf("stream %q, %v", all, err)
	}
	s, _ = NewCBCReader(bytes.NewReader(enc), key, int64(len(plain))-1)
	if _, err := io.ReadAll(s); err == nil {
		t.Error("a stream one byte off its Size read")
	}
}

// testArchive is an MBFile archived as NSKeyedArchiver does.
func testArchive(t testing.TB) []byte {
	out, err := plist.Marshal(map[string]any{
		"$version": 100000, "$archiver": "NSKeyedArchiver",
		"$top": map[string]any{"root": plist.UID(1)},
		"$objects": []any{"$null",
			map[string]any{"Size": 20, "Mode": 0o100644, "LastModified": 1700000000, "ProtectionClass": 3,
				"RelativePath": plist.UID(2), "EncryptionKey": plist.UID(3), "Target": plist.UID(2), "$class": plist.UID(4)},
			"Media/DCIM/100APPLE/IMG_0001.JPG",
			map[string]any{"NS.data": append([]byte{3, 0, 0, 0}, make([]byte, 40)...)},
			map[string]any{"$classname": "MBFile", "$classes": []string{"MBFile", "NSObject"}},
		},
	}, plist.BinaryFormat)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParseMBFile(t *testing.T) {
	f, err := ParseMBFile(testArchive(t))
	if err != nil {
		t.Fatal(err)
	}
	if f.Size != 20 || f.Mode != 0o100644 || f.ProtectionClass != 3 || !f.ModTime.Equal(time.Unix(1700000000, 0)) || len(f.EncryptionKey) != 44 || f.Target == "" {
		t.Errorf("parsed %+v", f)
	}
	bad, _ := plist.Marshal(map[string]any{"$top": map[string]any{"root": plist.UID(7)}, "$objects": []any{"$null"}}, plist.BinaryFormat)
	if _, err := ParseMBFile(bad); err == nil || !strings.Contains(err.Error(), "UID 7") {
		t.Errorf("a root UID past $objects: %v", err)
	}
}

// FuzzKeybag: any keybag parses or errs; with small iteration counts it
// unlocks or errs, never panics.
func FuzzKeybag(f *testing.F) {
	f.Add(testKeybag(true))
	f.Add(testKeybag(false))
	f.Fuzz(func(t *testing.T, data []byte) {
		kb, err := ParseKeybag(data)
		if err != nil || kb.iter > 20 || kb.dpic > 20 {
			return
		}
		if kb.Unlock([]byte("pw")) == nil {
			for c := range kb.classes {
				kb.Unwrap(c, make([]byte, 40))
			}
		}
	})
}

// FuzzManifest: any Manifest.plist or Status.plist, binary or XML,
// parses or errs.
func FuzzManifest(f *testing.F) {
	bin, err := plist.Marshal(map[string]any{
		"IsEncrypted": true, "BackupKeyBag": testKeybag(true), "ManifestKey": make([]byte, 44),
		"Lockdown": map[string]any{"ProductVersion": "17.5.1", "DeviceName": "x"},
	}, plist.BinaryFormat)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(bin)
	f.Add([]byte(`<?xml version="1.0"?><plist version="1.0"><dict><key>IsEncrypted</key><true/><key>Lockdown</key><dict><key>ProductVersion</key><string>9.3</string></dict></dict></plist>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseManifest(data)
		ParseStatus(data)
	})
}

// FuzzMBFile: any Files row's archive parses or errs.
func FuzzMBFile(f *testing.F) {
	f.Add(testArchive(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseMBFile(data)
	})
}

// encryptForTest is AES-256-CBC with a zero IV and PKCS#7 padding.
func encryptForTest(t *testing.T, key, data []byte) []byte {
	blk, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	pad := 16 - len(data)%16
	out := append(append([]byte(nil), data...), bytes.Repeat([]byte{byte(pad)}, pad)...)
	cipher.NewCBCEncrypter(blk, make([]byte, 16)).CryptBlocks(out, out)
	return out
}

// TestDepthBound: a plist nested deeper than maxDepth, binary or XML, is
// refused before the decoder recurses into it; one a little less deep
// parses.
func TestDepthBound(t *testing.T) {
	nest := func(n int) any {
		var v any = "leaf"
		for i := 0; i < n; i++ {
			v = []any{v}
		}
		return map[string]any{"Lockdown": map[string]any{"x": v}}
	}
	for _, format := range []int{plist.BinaryFormat, plist.XMLFormat} {
		ok, err := plist.Marshal(nest(maxDepth-4), format)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseManifest(ok); err != nil {
			t.Errorf("format %d, %d deep: %v", format, maxDepth-4, err)
		}
		deep, err := plist.Marshal(nest(5000), format)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseManifest(deep); err == nil || !strings.Contains(err.Error(), "nested more than") {
			t.Errorf("format %d, 5000 deep: %v", format, err)
		}
	}
	// A binary plist whose array contains itself.
	self := []byte("bplist00\xa1\x00")
	self = append(self, 8) // offset table: object 0 at 8
	trailer := make([]byte, 32)
	trailer[6], trailer[7] = 1, 1
	binary.BigEndian.PutUint64(trailer[8:], 1)
	binary.BigEndian.PutUint64(trailer[24:], 10)
	self = append(self, trailer...)
	if err := checkDepth(self); err == nil || !strings.Contains(err.Error(), "contains itself") {
		t.Errorf("a self-containing array: %v", err)
	}
	if _, err := ParseManifest([]byte("{ a = ((((((((((( ; }")); err == nil {
		t.Error("an OpenStep text plist parsed")
	}
}

// TestParseStatus: a finished backup's Status.plist and one cut short.
func TestParseStatus(t *testing.T) {
	for _, state := range []string{"finished", "uploading"} {
		b, err := plist.Marshal(map[string]any{"BackupState": "new", "IsFullBackup": true, "SnapshotState": state, "Version": "3.3"}, plist.BinaryFormat)
		if err != nil {
			t.Fatal(err)
		}
		st, err := ParseStatus(b)
		if err != nil || st.SnapshotState != state || !st.IsFullBackup {
			t.Errorf("%s: %+v %v", state, st, err)
		}
	}
	if _, err := ParseStatus([]byte("not a plist")); err == nil {
		t.Error("garbage parsed as Status.plist")
	}
}
