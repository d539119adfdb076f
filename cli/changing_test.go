package cli

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// changingSource writes src/keep.txt and src/DCIM/VID.mp4 (size bytes of
// random data) and returns the video's path and bytes.
func changingSource(t *testing.T, src string, size int) (string, []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(src, "DCIM"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "keep.txt"), []byte("unchanged\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, size)
	rand.NewChaCha8([32]byte{7}).Read(b)
	vid := filepath.Join(src, "DCIM", "VID.mp4")
	if err := os.WriteFile(vid, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return vid, b
}

// TestBackupFileKeepsChanging: a file rewritten at both ends all through
// the backup (a video still being written) is read maxReads times, then
// stored as read last with a warning naming it, and the backup exits 3
// (it exited 0 having stored a mix of old and new bytes). The rest is
// committed and restores.
func TestBackupFileKeepsChanging(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, src := filepath.Join(dir, "repo"), filepath.Join(dir, "src")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	vid, data := changingSource(t, src, 24<<20)
	f, err := os.OpenFile(vid, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // overwrite the first and last 64 KiB, over and over
		defer wg.Done()
		patch := make([]byte, 64<<10)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			for j := range patch {
				patch[j] = byte(i)
			}
			f.WriteAt(patch, 0)
			f.WriteAt(patch, int64(len(data)-len(patch)))
		}
	}()
	code, stderr := lb(t, "backup", "--repo", repo, src)
	close(stop)
	wg.Wait()
	if code != exitPartial {
		t.Fatalf("backup of a file changing all the time: exit %d, want %d; stderr:\n%s", code, exitPartial, stderr)
	}
	want := "lifeboat: warning: DCIM/VID.mp4: changed while it was read (3 times); stored as read last, which may mix old and new data\n"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr does not name the changing file:\n%s\nwant %q", stderr, want)
	}
	out := filepath.Join(dir, "out")
	if code, e := lb(t, "restore", "--repo", repo, "latest", "--to", out); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	if b, err := os.ReadFile(filepath.Join(out, "keep.txt")); err != nil || string(b) != "unchanged\n" {
		t.Errorf("keep.txt restored as %q, %v", b, err)
	}
	if fi, err := os.Stat(filepath.Join(out, "DCIM", "VID.mp4")); err != nil || fi.Size() != int64(len(data)) {
		t.Errorf("the changing file is not in the snapshot at its size: %v", err)
	}
}

// TestBackupFileChangedOnce: a file changed once while the backup reads
// it (a head already read and a tail not yet read are overwritten) is read
// again and stored as it is after the change, exit 0 (it was stored torn:
// the old head with the new tail). The change is made when inotify says
// the backup has read a few blocks of it.
func TestBackupFileChangedOnce(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, src := filepath.Join(dir, "repo"), filepath.Join(dir, "src")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	vid, data := changingSource(t, src, 96<<20)
	in, err := unix.InotifyInit1(unix.IN_CLOEXEC)
	if err != nil {
		t.Skipf("inotify: %v", err)
	}
	defer unix.Close(in)
	if _, err := unix.InotifyAddWatch(in, vid, unix.IN_ACCESS); err != nil {
		t.Fatal(err)
	}
	// The new version differs at both ends: a read torn by the change has
	// the old head and the new tail.
	final := bytes.Clone(data)
	copy(final, bytes.Repeat([]byte("new head "), 1<<12))
	copy(final[len(final)-1<<16:], bytes.Repeat([]byte("new tail "), 1<<12))
	changed := make(chan error, 1)
	go func() {
		buf := make([]byte, 4096)
		for reads := 0; reads < 3; { // the 4 KiB head, then two reads of the content
			n, err := unix.Read(in, buf)
			if err != nil {
				changed <- err
				return
			}
			reads += n / unix.SizeofInotifyEvent
		}
		f, err := os.OpenFile(vid, os.O_WRONLY, 0)
		if err == nil {
			_, err = f.WriteAt(final[:1<<16], 0)
			if err == nil {
				_, err = f.WriteAt(final[len(final)-1<<16:], int64(len(final)-1<<16))
			}
			f.Close()
		}
		changed <- err
	}()
	code, stderr := lb(t, "backup", "--repo", repo, src)
	if err := <-changed; err != nil {
		t.Fatal(err)
	}
	if code != 0 {
		t.Fatalf("backup: exit %d; stderr:\n%s", code, stderr)
	}
	out := filepath.Join(dir, "out")
	if code, e := lb(t, "restore", "--repo", repo, "latest", "--to", out); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	got, err := os.ReadFile(filepath.Join(out, "DCIM", "VID.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case bytes.Equal(got, final):
	case bytes.Equal(got, data):
		t.Skip("the backup read the file before the change: nothing to show")
	default:
		t.Fatalf("stored file is neither version: %d bytes, head %q", len(got), got[:16])
	}
}
