package repo_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// TestWriteFileReusesBuffers: writing out a file of many blobs, stored
// (random bytes) or compressed (text), allocates a small part of its size,
// not a new buffer per blob, and gives the file's bytes.
func TestWriteFileReusesBuffers(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	random := make([]byte, 16<<20)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	var text bytes.Buffer // compressible, and no vCard or iCalendar
	for i := 0; text.Len() < 16<<20; i++ {
		fmt.Fprintf(&text, "line %d of a log, level %d, %x\n", i, i%7, rng.Uint32()%4096)
	}
	src := t.TempDir()
	files := map[string][]byte{"random.bin": random, "text.txt": text.Bytes()}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(src, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e := testrepo.New(t)
	res := e.Backup(t, src)
	ctx := context.Background()
	r, err := repo.Open(ctx, store.NewLocal(e.Repo), e.Keys, repo.AccessRead)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	nodes := map[string]format.Node{}
	r.Walk(ctx, res.Snapshot.Root.Content, func(rel string, n format.Node) error {
		if n.Type == format.NodeFile {
			nodes[rel] = n
		}
		return nil
	})
	for name, data := range files {
		n, ok := nodes[name]
		if !ok {
			t.Fatalf("%s is not in the snapshot (%d files)", name, len(nodes))
		}
		var ms0, ms1 runtime.MemStats
		for i := range 3 { // the last run is measured, with warm buffers
			h := sha256.New()
			runtime.GC() // a collection in between keeps the buffers
			runtime.GC()
			runtime.ReadMemStats(&ms0)
			if err := r.WriteFile(ctx, h, n); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&ms1)
			if got, want := h.Sum(nil), sha256.Sum256(data); !bytes.Equal(got, want[:]) {
				t.Fatalf("%s, run %d: WriteFile gave other bytes", name, i)
			}
		}
		alloc := ms1.TotalAlloc - ms0.TotalAlloc
		t.Logf("%s: %d bytes allocated writing %d", name, alloc, len(data))
		if alloc > uint64(len(data)/4) {
			t.Fatalf("%s: writing %d bytes allocated %d, want under a quarter of it", name, len(data), alloc)
		}
	}
}
