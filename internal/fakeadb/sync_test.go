package fakeadb

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// hostSync opens a sync: stream to the phone through the real adb
// server's host protocol (OVERVIEW.TXT: 4-hex-digit length, then OKAY or
// FAIL), so the sync v2 requests adb 29's CLI does not print can be sent.
func hostSync(t *testing.T, p *Phone) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(p.Port))
	must(t, err)
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	for _, req := range []string{"host:transport:" + p.Serial, "sync:"} {
		fmt.Fprintf(c, "%04x%s", len(req), req)
		var st [4]byte
		_, err := io.ReadFull(c, st[:])
		must(t, err)
		if string(st[:]) != "OKAY" {
			msg, _ := io.ReadAll(io.LimitReader(c, 1024))
			t.Fatalf("%s: %s %s", req, st, msg)
		}
	}
	return c
}

func syncRequest(t *testing.T, c net.Conn, id, path string) {
	t.Helper()
	b := binary.LittleEndian.AppendUint32([]byte(id), uint32(len(path)))
	_, err := c.Write(append(b, path...))
	must(t, err)
}

func readN(t *testing.T, c net.Conn, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	_, err := io.ReadFull(c, b)
	must(t, err)
	return b
}

// stat2 fields: id 0, error 4, dev 8, ino 16, mode 24, nlink 28, uid 32,
// gid 36, size 40, atime 48, mtime 56, ctime 64.
type stat2Reply struct {
	id          string
	errno, mode uint32
	size        uint64
	mtime       int64
}

func parseStat2(b []byte) stat2Reply {
	le := binary.LittleEndian
	return stat2Reply{id: string(b[:4]), errno: le.Uint32(b[4:]), mode: le.Uint32(b[24:]),
		size: le.Uint64(b[40:]), mtime: int64(le.Uint64(b[56:]))}
}

func TestSyncV2SizesOver4GiB(t *testing.T) {
	root := t.TempDir()
	const size = 5<<30 + 123 // 0x140000000 + 123: 1 GiB + 123 once cut to 32 bits
	big := filepath.Join(root, "Movies", "long.mp4")
	must(t, os.MkdirAll(filepath.Dir(big), 0o755))
	f, err := os.Create(big)
	must(t, err)
	must(t, f.Truncate(size)) // sparse: no 5 GiB written
	must(t, f.Close())
	mt := time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)
	must(t, os.Chtimes(big, mt, mt))
	p := Start(t, Options{Root: root})
	c := hostSync(t, p)

	for _, id := range []string{"STA2", "LST2"} {
		syncRequest(t, c, id, "/sdcard/Movies/long.mp4")
		st := parseStat2(readN(t, c, 72))
		if st.id != id || st.errno != 0 || st.size != size || st.mtime != mt.Unix() || st.mode != 0o100644 {
			t.Errorf("%s: %+v, want size %d, mtime %d, mode 0100644", id, st, uint64(size), mt.Unix())
		}
	}

	syncRequest(t, c, "STA2", "/sdcard/Movies/missing.mp4")
	if st := parseStat2(readN(t, c, 72)); st.errno != 2 {
		t.Errorf("STA2 of a missing file: errno %d, want ENOENT (2)", st.errno)
	}

	syncRequest(t, c, "LIS2", "/storage/emulated/0/Movies")
	ent := readN(t, c, 76)
	name := readN(t, c, int(binary.LittleEndian.Uint32(ent[72:])))
	if st := parseStat2(ent); st.id != "DNT2" || string(name) != "long.mp4" || st.size != size {
		t.Errorf("LIS2 entry: %+v %q, want long.mp4 of %d bytes", st, name, uint64(size))
	}
	if done := readN(t, c, 76); string(done[:4]) != "DONE" {
		t.Errorf("LIS2 end: %q, want DONE", done[:4])
	}

	// LIST v1 has 32 bits for the size: this is why v2 matters.
	syncRequest(t, c, "LIST", "/sdcard/Movies")
	ent = readN(t, c, 20)
	readN(t, c, int(binary.LittleEndian.Uint32(ent[16:])))
	if got := binary.LittleEndian.Uint32(ent[8:]); string(ent[:4]) != "DENT" || got != uint32(size&0xffffffff) {
		t.Errorf("LIST entry: %q size %d, want DENT with the size cut to %d", ent[:4], got, uint32(size&0xffffffff))
	}
	if got := binary.LittleEndian.Uint32(ent[12:]); int64(got) != mt.Unix() {
		t.Errorf("LIST entry: mtime %d, want %d", got, mt.Unix())
	}
	if done := readN(t, c, 20); string(done[:4]) != "DONE" {
		t.Errorf("LIST end: %q, want DONE", done[:4])
	}
	syncRequest(t, c, "QUIT", "")
}

// BenchmarkPull measures `adb pull` and `adb exec-out cat` of a 64 MiB
// file from the fake phone: the link a phone source is bound by here.
func BenchmarkPull(b *testing.B) {
	root := b.TempDir()
	data := make([]byte, 64<<20)
	for i := range data {
		data[i] = byte(i * 31)
	}
	must(b, os.WriteFile(filepath.Join(root, "big.mp4"), data, 0o644))
	p := Start(b, Options{Root: root})
	for _, args := range [][]string{{"pull", "/sdcard/big.mp4", b.TempDir()}, {"exec-out", "cat /sdcard/big.mp4"}} {
		b.Run(args[0], func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for range b.N {
				cmd := p.Command(append([]string{"-s", p.Serial}, args...)...)
				cmd.Stdout = io.Discard
				must(b, cmd.Run())
			}
		})
	}
}

// TestPullManyFiles pulls a DCIM of 1,000 files: listings that span many
// WRTEs, and one RECV after another on one sync stream.
func TestPullManyFiles(t *testing.T) {
	root := t.TempDir()
	const n = 1000
	mt := time.Date(2022, 7, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		p := filepath.Join(root, "DCIM", fmt.Sprintf("d%02d", i%10), fmt.Sprintf("IMG_%05d_with_a_long_name.jpg", i))
		if i < 10 {
			must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		}
		must(t, os.WriteFile(p, []byte(fmt.Sprint("photo ", i)), 0o644))
		must(t, os.Chtimes(p, mt.Add(time.Duration(i)*time.Second), mt.Add(time.Duration(i)*time.Second)))
	}
	p := Start(t, Options{Root: root})
	dst := t.TempDir()
	start := time.Now()
	if o, e, code := run(t, p, "pull", "-a", "/sdcard/DCIM", dst); code != 0 {
		t.Fatalf("adb pull: %d\n%s%s", code, o, e)
	}
	t.Logf("pulled %d files in %v", n, time.Since(start))
	for i := range n {
		p := filepath.Join(dst, "DCIM", fmt.Sprintf("d%02d", i%10), fmt.Sprintf("IMG_%05d_with_a_long_name.jpg", i))
		b, err := os.ReadFile(p)
		fi, _ := os.Stat(p)
		if err != nil || string(b) != fmt.Sprint("photo ", i) || !fi.ModTime().Equal(mt.Add(time.Duration(i)*time.Second)) {
			t.Fatalf("file %d: %v %q", i, err, b)
		}
	}
}
