package repo_test

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// slowOpens is a store whose pack opens take a while, as on a remote
// store, and which counts how many are in flight at once.
type slowOpens struct {
	store.Store
	now, peak, total atomic.Int32
}

func (s *slowOpens) Open(ctx context.Context, name string) (store.Object, error) {
	if strings.HasPrefix(name, "data/") {
		s.total.Add(1)
		n := s.now.Add(1)
		defer s.now.Add(-1)
		for p := s.peak.Load(); n > p && !s.peak.CompareAndSwap(p, n); p = s.peak.Load() {
		}
		time.Sleep(200 * time.Millisecond)
	}
	return s.Store.Open(ctx, name)
}

// TestPacksOpenInParallel: blobs of different packs are read at once
// without waiting on each other's pack opens (each open is a few round
// trips on S3 or SFTP), and blobs of one pack open it once.
func TestPacksOpenInParallel(t *testing.T) {
	e := testrepo.New(t)
	var blobs [][]byte
	for range 4 {
		dir := t.TempDir()
		b := make([]byte, 10<<10)
		rand.Read(b)
		if err := os.WriteFile(filepath.Join(dir, "f"), b, 0o600); err != nil {
			t.Fatal(err)
		}
		e.Backup(t, dir) // one pack per backup
		blobs = append(blobs, b)
	}
	slow := &slowOpens{Store: store.NewLocal(e.Repo)}
	r, err := repo.Open(t.Context(), slow, e.Keys, repo.AccessRead)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	packs := map[string]bool{}
	for _, b := range blobs {
		loc, ok := r.Index().Lookup(r.BlobID(b))
		if !ok {
			t.Fatal("blob not in the index")
		}
		packs[loc.Pack.String()] = true
	}
	if len(packs) != 4 {
		t.Fatalf("the blobs are in %d packs, want 4: the test proves nothing", len(packs))
	}
	slow.total.Store(0)
	var wg sync.WaitGroup
	for _, b := range append(blobs, blobs...) { // each pack asked for twice at once
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := r.LoadBlob(t.Context(), r.BlobID(b))
			if err != nil || string(got) != string(b) {
				t.Errorf("LoadBlob: %d bytes, %v", len(got), err)
			}
		}()
	}
	wg.Wait()
	if p := slow.peak.Load(); p < 2 || p > 4 {
		t.Errorf("%d pack opens ran at once, want 2 to 4 (one per pack, in parallel)", p)
	}
	if n := slow.total.Load(); n != 4 {
		t.Errorf("%d pack opens for 4 packs", n)
	}
}
