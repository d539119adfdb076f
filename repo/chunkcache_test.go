package repo_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// TestChunksReadOnce: 16 workers loading the blobs of 600 small files in
// about pack order, as restore does, each blob its bytes, read (and
// decrypted) about one age chunk once, not once per blob in it.
func TestChunksReadOnce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	src := t.TempDir()
	want := map[string][]byte{}
	for i := range 600 {
		data := make([]byte, 1000+rng.IntN(40<<10))
		for j := range data {
			data[j] = byte(rng.Uint32()) // incompressible: stored as long as raw
		}
		name := fmt.Sprintf("f%03d", i)
		want[name] = data
		if err := os.WriteFile(filepath.Join(src, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e := testrepo.New(t)
	res := e.Backup(t, src)
	ctx := context.Background()
	st := &countingStore{Store: store.NewLocal(e.Repo)}
	r, err := repo.Open(ctx, st, e.Keys, repo.AccessRead)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	type job struct {
		name string
		node format.Node
	}
	var jobs []job
	r.Walk(ctx, res.Snapshot.Root.Content, func(rel string, n format.Node) error {
		if n.Type == format.NodeFile {
			jobs = append(jobs, job{rel, n})
		}
		return nil
	})
	if len(jobs) != len(want) {
		t.Fatalf("%d files in the snapshot, want %d", len(jobs), len(want))
	}
	var stored int64
	for _, j := range jobs {
		ids, err := r.LoadRef(ctx, j.node.Content)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			loc, _ := r.Index().Lookup(id)
			stored += int64(loc.Length)
		}
	}
	before := st.read.Load()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(len(jobs)); i = next.Add(1) - 1 {
				got, err := r.ReadFile(ctx, jobs[i].node)
				if err != nil || !bytes.Equal(got, want[jobs[i].name]) {
					t.Errorf("%s: %d bytes, %v; want its %d bytes", jobs[i].name, len(got), err, len(want[jobs[i].name]))
				}
			}
		}()
	}
	wg.Wait()
	// Each chunk once, plus the packs' headers and trailers.
	got := st.read.Load() - before
	t.Logf("%d bytes of blobs, %d of packs read (%.2fx)", stored, got, float64(got)/float64(stored))
	if got > stored+stored/10 {
		t.Errorf("reading %d bytes of blobs read %d bytes of packs (%.2fx)", stored, got, float64(got)/float64(stored))
	}
}
