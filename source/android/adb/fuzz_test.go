package adb

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"
)

// fakeSync is a Sync whose device answers are data and whose requests
// go nowhere.
func fakeSync(t testing.TB, data []byte, v2 bool) *Sync {
	a, b := net.Pipe()
	go io.Copy(io.Discard, b)
	t.Cleanup(func() { a.Close(); b.Close() })
	cn := &conn{nc: a, r: bufio.NewReader(bytes.NewReader(data)), ctx: context.Background(), stop: func() bool { return true }}
	d := &Device{Serial: "fuzz", c: &Client{addr: "127.0.0.1:1"}} // a reconnection is refused
	return &Sync{d: d, ctx: context.Background(), cn: cn, w: bufio.NewWriter(cn), serial: "fuzz", v2stat: v2, v2ls: v2}
}

func syncMsg(id string, n uint32, data string) []byte {
	b := binary.LittleEndian.AppendUint32([]byte(id), n)
	return append(b, data...)
}

// FuzzSyncReply feeds arbitrary device and server answers to every
// reader: none may panic, allocate past the bounds, or make up bytes.
func FuzzSyncReply(f *testing.F) {
	f.Add(append(syncMsg("DATA", 3, "abc"), syncMsg("DONE", 0, "")...))
	f.Add(syncMsg("FAIL", 38, "open failed: No such file or directory"))
	f.Add(syncMsg("DATA", 0xffffffff, ""))
	f.Add(append(syncMsg("DENT", 0o100644, "\x05\x00\x00\x00\x01\x00\x00\x00\x03\x00\x00\x00abc"), syncMsg("DONE", 0, string(make([]byte, 12)))...))
	f.Add(append(syncMsg("DNT2", 0, string(make([]byte, 64))+"\xff\xff\xff\xff"), 'x'))
	f.Add([]byte("OKAY0004abcdFAIL0005oops"))
	f.Add([]byte("\x01\x03\x00\x00\x00abc\x03\x01\x00\x00\x00\x07"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v2 := range []bool{false, true} {
			s := fakeSync(t, data, v2)
			if es, err := s.List("/x"); err == nil {
				for _, e := range es {
					if len(e.Name) > maxName || e.Size < 0 {
						t.Fatalf("entry %q of %d bytes", e.Name, e.Size)
					}
				}
			}
			s = fakeSync(t, data, v2)
			if e, err := s.Stat("/x"); err == nil && e.Size < 0 {
				t.Fatalf("Stat size %d", e.Size)
			}
			s = fakeSync(t, data, v2)
			if rc, err := s.Recv("/x"); err == nil {
				n, _ := io.Copy(io.Discard, rc)
				if n > int64(len(data)) {
					t.Fatalf("Recv gave %d bytes from %d", n, len(data))
				}
				rc.Close()
			}
			s = fakeSync(t, data, v2)
			s.Send("/x", 0o644, time.Time{}, bytes.NewReader([]byte("abc")))
		}
		if b, err := readHex(bytes.NewReader(data)); err == nil && len(b) > len(data) {
			t.Fatalf("readHex gave %d bytes from %d", len(b), len(data))
		}
		if _, b, err := readShellPacket(bytes.NewReader(data)); err == nil && len(b) > len(data) {
			t.Fatalf("shell packet of %d bytes from %d", len(b), len(data))
		}
		for _, d := range parseDevices(string(data)) {
			if d.Serial == "" || d.State == "" {
				t.Fatalf("device %+v", d)
			}
		}
		if b, code, ok := cutMarker(data, "m:"); ok && (len(b) > len(data) || code < 0 || code > 255) {
			t.Fatalf("cutMarker = %q, %d", b, code)
		}
	})
}
