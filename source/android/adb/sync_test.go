package adb

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
)

// Names that sync must carry as they are.
var oddNames = []string{"a b.jpg", "Ünïcödé 写真.jpg", `it's "quoted".jpg`}

// fixture is a phone folder: DCIM with odd names, a 3 MiB file and a
// sparse file of 5 GiB, with known mtimes.
func fixture(t *testing.T) (root string, big []byte, mtime time.Time) {
	t.Helper()
	root = t.TempDir()
	dcim := filepath.Join(root, "DCIM")
	must(t, os.MkdirAll(filepath.Join(dcim, "Camera"), 0o755))
	mtime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, n := range oddNames {
		p := filepath.Join(dcim, n)
		must(t, os.WriteFile(p, []byte(n), 0o644))
		must(t, os.Chtimes(p, mtime, mtime))
	}
	big = make([]byte, 3<<20)
	rand.Read(big)
	must(t, os.WriteFile(filepath.Join(dcim, "big.mp4"), big, 0o600))
	f, err := os.Create(filepath.Join(root, "sparse.img"))
	must(t, err)
	must(t, f.Truncate(5<<30))
	must(t, f.Close())
	return root, big, mtime
}

func openSync(t *testing.T, d *Device, ctx context.Context) *Sync {
	t.Helper()
	s, err := d.Sync(ctx)
	must(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSync(t *testing.T) {
	root, big, mtime := fixture(t)
	for _, tc := range []struct {
		name  string
		feats []string
		size  int64 // what Stat says of the 5 GiB file
	}{
		{"v2", nil, 5 << 30},
		{"v1", without("stat_v2", "ls_v2"), (5 << 30) % (1 << 32)}, // v1's 32 bits
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, d := device(t, fakeadb.Options{Root: root, Features: tc.feats})
			s := openSync(t, d, testCtx(t))

			e, err := s.Stat("/sdcard/sparse.img")
			must(t, err)
			if e.Size != tc.size || !e.Mode.IsRegular() || e.Name != "/sdcard/sparse.img" {
				t.Errorf("Stat(sparse.img) = %+v, want a regular file of %d bytes", e, tc.size)
			}
			e, err = s.Stat("/sdcard/DCIM/" + oddNames[1])
			must(t, err)
			if !e.MTime.Equal(mtime) || e.Size != int64(len(oddNames[1])) || e.Mode != 0o644 {
				t.Errorf("Stat(%s) = %+v, want 0644, %d bytes, %v", oddNames[1], e, len(oddNames[1]), mtime)
			}
			if e, err := s.Stat("/sdcard/DCIM"); err != nil || !e.Mode.IsDir() {
				t.Errorf("Stat(DCIM) = %+v, %v; want a folder", e, err)
			}
			if _, err := s.Stat("/sdcard/nope.jpg"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Stat(missing) = %v, want fs.ErrNotExist", err)
			}

			es, err := s.List("/sdcard/DCIM")
			must(t, err)
			var names []string
			for _, e := range es {
				names = append(names, e.Name)
			}
			want := append([]string{"Camera", "big.mp4"}, oddNames...)
			slices.Sort(want)
			if !slices.Equal(names, want) {
				t.Errorf("List(DCIM) = %q, want %q", names, want)
			}
			for _, e := range es {
				switch {
				case e.Name == "Camera" && !e.Mode.IsDir(),
					e.Name == "big.mp4" && (e.Size != 3<<20 || e.Mode != 0o600),
					slices.Contains(oddNames, e.Name) && !e.MTime.Equal(mtime):
					t.Errorf("List entry %+v", e)
				}
			}
			if es, err := s.List("/sdcard/DCIM/Camera"); err != nil || len(es) != 0 {
				t.Errorf("List(empty folder) = %v, %v; want nothing", es, err)
			}
			if _, err := s.List("/sdcard/Missing"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("List(missing) = %v, want fs.ErrNotExist", err)
			}

			for _, c := range []struct {
				name string
				want []byte
			}{{"big.mp4", big}, {oddNames[2], []byte(oddNames[2])}} {
				rc, err := s.Recv("/sdcard/DCIM/" + c.name)
				must(t, err)
				got, err := io.ReadAll(rc)
				must(t, err)
				must(t, rc.Close())
				if !bytes.Equal(got, c.want) {
					t.Errorf("Recv(%s): %d bytes differ from the %d of the file", c.name, len(got), len(c.want))
				}
			}
			if _, err := s.Recv("/sdcard/DCIM/gone.jpg"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Recv(missing) = %v, want fs.ErrNotExist", err)
			}

			// The connection is still good after a FAIL.
			name := "/sdcard/Pictures/new " + tc.name + " ü.jpg"
			when := time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)
			must(t, s.Send(name, 0o640, when, bytes.NewReader(big[:200<<10+17])))
			e, err = s.Stat(name)
			must(t, err)
			if e.Size != 200<<10+17 || !e.MTime.Equal(when) {
				t.Errorf("Stat after Send = %+v, want %d bytes at %v", e, 200<<10+17, when)
			}
			host, _ := os.ReadFile(filepath.Join(root, "Pictures", strings.TrimPrefix(name, "/sdcard/Pictures/")))
			if !bytes.Equal(host, big[:200<<10+17]) {
				t.Errorf("the phone holds %d bytes that differ from those sent", len(host))
			}
		})
	}
}

// TestRecvAbandoned: closing a Recv early leaves the Sync refusing calls.
func TestRecvAbandoned(t *testing.T) {
	root, _, _ := fixture(t)
	_, d := device(t, fakeadb.Options{Root: root})
	s := openSync(t, d, testCtx(t))
	rc, err := s.Recv("/sdcard/DCIM/big.mp4")
	must(t, err)
	if _, err := s.Stat("/sdcard/DCIM"); err == nil {
		t.Error("Stat during a Recv succeeded")
	}
	rc.Close()
	if _, err := s.Stat("/sdcard/DCIM"); !errors.Is(err, errBroken) {
		t.Errorf("Stat after an abandoned Recv = %v, want a refusal", err)
	}
	s2 := openSync(t, d, testCtx(t))
	if _, err := s2.Stat("/sdcard/DCIM"); err != nil {
		t.Errorf("a new Sync: %v", err)
	}
}

func TestUnplugMidRecv(t *testing.T) {
	root, _, _ := fixture(t)
	p, d := device(t, fakeadb.Options{Root: root})
	s := openSync(t, d, testCtx(t))
	rc, err := s.Recv("/sdcard/sparse.img")
	must(t, err)
	defer rc.Close()
	if _, err := io.CopyN(io.Discard, rc, 1<<20); err != nil {
		t.Fatal(err)
	}
	p.Unplug()
	n, err := io.Copy(io.Discard, rc)
	if !errors.Is(err, ErrGone) || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("reading on after Unplug: %v after %d bytes, want ErrGone", err, n)
	}
	t.Logf("after unplug: %v", err)
	if _, err := s.Stat("/sdcard"); err == nil {
		t.Error("Stat after Unplug succeeded")
	}
	if _, err := d.Sync(testCtx(t)); !errors.Is(err, ErrGone) {
		t.Errorf("Sync after Unplug = %v, want ErrGone", err)
	} else {
		t.Logf("Sync after unplug: %v", err)
	}
	if _, err := d.Shell(testCtx(t), "echo hi"); !errors.Is(err, ErrGone) {
		t.Errorf("Shell after Unplug = %v, want ErrGone", err)
	}
	// adb 29 keeps a phone reached over TCP listed as offline while it
	// tries to reconnect; the fake's Unplug also disconnects it, so that
	// it is not listed at all, as a USB phone unplugged.
	c, err := Dial(testCtx(t))
	must(t, err)
	if _, err := c.Device(testCtx(t), p.Serial); !errors.Is(err, ErrOffline) && !errors.Is(err, ErrNoDevice) {
		t.Errorf("Device after Unplug = %v, want ErrNoDevice or ErrOffline", err)
	}
}

func TestCancelMidRecv(t *testing.T) {
	root, _, _ := fixture(t)
	_, d := device(t, fakeadb.Options{Root: root})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := openSync(t, d, ctx)
	rc, err := s.Recv("/sdcard/sparse.img")
	must(t, err)
	defer rc.Close()
	if _, err := io.CopyN(io.Discard, rc, 1<<20); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err = io.Copy(io.Discard, rc)
	if err != context.Canceled || time.Since(start) > 5*time.Second {
		t.Errorf("Recv after cancel: %v after %v, want context.Canceled promptly", err, time.Since(start))
	}
}

// TestSyncLongPath: a path past adbd's 1024 bytes is refused here, and
// the connection stays usable (adbd would FAIL and close it).
func TestSyncLongPath(t *testing.T) {
	_, d := device(t, fakeadb.Options{})
	s := openSync(t, d, testCtx(t))
	long := "/sdcard/" + strings.Repeat("x", 1100)
	if _, err := s.Stat(long); err == nil || !strings.Contains(err.Error(), "1024") {
		t.Errorf("Stat of a %d-byte path = %v, want a refusal", len(long), err)
	}
	if e, err := s.Stat("/sdcard"); err != nil || !e.Mode.IsDir() {
		t.Errorf("Stat(/sdcard) after = %+v, %v", e, err)
	}
}

// TestSyncLocked: a phone whose storage is locked lists nothing and
// refuses stats and reads with EACCES; List and Recv say fs.ErrPermission.
func TestSyncLocked(t *testing.T) {
	root, _, _ := fixture(t)
	_, d := device(t, fakeadb.Options{Root: root, Locked: true})
	s := openSync(t, d, testCtx(t))
	if _, err := s.List("/sdcard/DCIM"); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("List on a locked phone = %v, want fs.ErrPermission", err)
	}
	if _, err := s.Recv("/sdcard/DCIM/big.mp4"); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("Recv on a locked phone = %v, want fs.ErrPermission", err)
	}
	if _, err := s.Stat("/sdcard/DCIM/big.mp4"); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("Stat on a locked phone = %v, want fs.ErrPermission", err)
	}
}

// TestListBounded: a listing longer than maxList (a phone whose listing
// never ends) is refused with ErrTooMany instead of read to the end, and
// the Sync is not used again.
func TestListBounded(t *testing.T) {
	root := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(root, "DCIM"), 0o755))
	for i := range 12 {
		must(t, os.WriteFile(filepath.Join(root, "DCIM", fmt.Sprintf("IMG_%02d.jpg", i)), []byte("x"), 0o644))
	}
	old := maxList
	maxList = 10
	t.Cleanup(func() { maxList = old })
	_, d := device(t, fakeadb.Options{Root: root})
	s := openSync(t, d, testCtx(t))
	es, err := s.List("/sdcard/DCIM")
	if !errors.Is(err, ErrTooMany) {
		t.Fatalf("List of 12 entries with a bound of 10 = %d entries, %v; want ErrTooMany", len(es), err)
	}
	if _, err := s.Stat("/sdcard"); err == nil {
		t.Error("the Sync was used again after a listing cut short")
	}
}
