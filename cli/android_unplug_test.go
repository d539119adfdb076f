package cli

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/internal/fakeadb/phonedata"
)

// writeDCIM writes n files of size random bytes under DCIM on the phone's
// root and returns their sizes by snapshot path.
func writeDCIM(t *testing.T, root string, n, size int) map[string]int64 {
	t.Helper()
	files := map[string]int64{}
	b := make([]byte, size)
	for i := range n {
		rel := fmt.Sprintf("DCIM/%s/IMG_%04d.jpg", []string{"Camera", "2024"}[i%2], i)
		rand.NewChaCha8([32]byte{byte(i), byte(i >> 8)}).Read(b)
		p := filepath.Join(root, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b[:size-i], 0o644); err != nil {
			t.Fatal(err)
		}
		files[rel] = int64(size - i)
	}
	return files
}

// mediaFiles is a snapshot's files under DCIM.
func mediaFiles(t *testing.T, repoDir, snap string) map[string]int64 {
	t.Helper()
	got := map[string]int64{}
	for p, n := range lsFiles(t, repoDir, snap) {
		if strings.HasPrefix(p, "DCIM/") {
			got[p] = n
		}
	}
	return got
}

// TestAndroidUnplugged: the phone unplugged on the 20th of 50 files
// commits nothing; plugged back in (a phone at the same address, so the
// same serial), the next run completes with every file.
func TestAndroidUnplugged(t *testing.T) {
	root := t.TempDir()
	want := writeDCIM(t, root, 50, 64<<10)
	var p *fakeadb.Phone
	var recvs atomic.Int64
	p = fakeadb.Start(t, fakeadb.Options{Root: root, Content: phonedata.Provider(), BeforeRecv: func(string) {
		if recvs.Add(1) == 20 {
			p.Unplug()
		}
	}})
	repoDir := androidRepo(t)
	usePhone(t, p)
	wantFail(t, exitFatal, []string{"android://" + p.Serial, "disconnected", "nothing backed up"}, []string{"plug the phone back in"},
		"backup", "--repo", repoDir, "android://")
	if recvs.Load() < 20 {
		t.Fatalf("the phone served %d files, so it was never unplugged", recvs.Load())
	}
	wantNoSnapshot(t, repoDir)

	q := fakeadb.Start(t, fakeadb.Options{Root: root, Addr: p.Addr, Content: phonedata.Provider()})
	usePhone(t, q)
	if code, e := lb(t, "backup", "--repo", repoDir, "android://"); code != 0 {
		t.Fatalf("backup after plugging back in: %d %s", code, e)
	}
	ids, srcs := phoneSnapshots(t, repoDir)
	if len(ids) != 1 || srcs[0] != "android://"+p.Serial {
		t.Fatalf("snapshots %v of %v, want one of android://%s", ids, srcs, p.Serial)
	}
	if got := mediaFiles(t, repoDir, ids[0]); !maps.Equal(got, want) {
		t.Errorf("the snapshot after plugging back in has %d media files, want all %d", len(got), len(want))
	}
}

// TestAndroidUnpluggedMidFile: the cable pulled while a file is being
// pulled (not between two) commits nothing either.
func TestAndroidUnpluggedMidFile(t *testing.T) {
	root := t.TempDir()
	writeDCIM(t, root, 6, 2<<20)
	p := fakeadb.Start(t, fakeadb.Options{Root: root, Content: phonedata.Provider()})
	repoDir := androidRepo(t)
	usePhone(t, p)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for p.Recvs() < 5<<20 {
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
		p.Unplug()
	}()
	wantFail(t, exitFatal, []string{"android://" + p.Serial, "disconnected", "nothing backed up"}, []string{"plug the phone back in"},
		"backup", "--repo", repoDir, "android://")
	wantNoSnapshot(t, repoDir)
	t.Logf("unplugged after %d bytes", p.Recvs())
}

// TestAndroidUnpluggedReadingContacts: the cable pulled while the
// providers are read commits nothing, with the same hint.
func TestAndroidUnpluggedReadingContacts(t *testing.T) {
	unplug := func(p *fakeadb.Phone, e *fakeadb.Exec) int { p.Unplug(); return 0 }
	p := fakeadb.Start(t, fakeadb.Options{Content: phonedata.Provider(), Commands: map[string]fakeadb.Command{"content": unplug}})
	repoDir := androidRepo(t)
	usePhone(t, p)
	wantFail(t, exitFatal, []string{"android://" + p.Serial, "disconnected", "nothing backed up"}, []string{"plug the phone back in"},
		"backup", "--repo", repoDir, "android://")
	wantNoSnapshot(t, repoDir)
}
