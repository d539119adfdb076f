package cli

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
)

// TestAndroidFileGrewSinceListing: a photo that grew between the listing
// and its pull (the camera still writing it, an edit) is read again once
// and stored as received, exit 0: the listing's size is not taken for
// the file's on every read, which read it three times and warned that it
// kept changing (exit 3).
func TestAndroidFileGrewSinceListing(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	root := filepath.Join(dir, "sdcard")
	photo := filepath.Join(root, "DCIM", "Camera", "IMG_1.jpg")
	if err := os.MkdirAll(filepath.Dir(photo), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(photo, []byte("first part"), 0o644); err != nil {
		t.Fatal(err)
	}
	var grown atomic.Bool
	p := fakeadb.Start(t, fakeadb.Options{Root: root, BeforeRecv: func(path string) {
		if strings.HasSuffix(path, "IMG_1.jpg") && !grown.Swap(true) {
			f, err := os.OpenFile(photo, os.O_APPEND|os.O_WRONLY, 0)
			if err == nil {
				f.WriteString(", and the rest the camera wrote after the listing")
				f.Close()
			}
		}
	}})
	usePhone(t, p)
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	before := p.Recvs()
	code, _, e := lbOut(t, "backup", "--repo", repoDir, "android://")
	if code != 0 {
		t.Errorf("backup: exit %d, want 0: %s", code, e)
	}
	want, _ := os.ReadFile(photo)
	if got := p.Recvs() - before; got != int64(2*len(want)) {
		t.Errorf("pulled %d bytes, want the grown file twice (%d)", got, 2*len(want))
	}
	out := filepath.Join(dir, "out")
	if code, e := lb(t, "restore", "--repo", repoDir, "latest", "--to", out); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	got, err := os.ReadFile(filepath.Join(out, "DCIM", "Camera", "IMG_1.jpg"))
	if err != nil || string(got) != string(want) {
		t.Errorf("restored %q, %v; want %q", got, err, want)
	}
}
