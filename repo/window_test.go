package repo_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// TestSmallBlobsThroughWindows: thousands of record blobs, many to one age
// chunk and some across a chunk's edge, load as their bytes in pack
// order, backwards and shuffled (each read of a small blob may be served
// from the chunk read last).
func TestSmallBlobsThroughWindows(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var vcf bytes.Buffer
	for i := range 3000 {
		note := make([]byte, 50+rng.IntN(400))
		for j := range note {
			note[j] = "abcdefghijklmnopqrstuvwxyz0123456789"[rng.IntN(36)]
		}
		fmt.Fprintf(&vcf, "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u%d\r\nFN:Person %d\r\nN:%d;Person;;;\r\nNOTE:%s\r\nEND:VCARD\r\n", i, i, i, note)
	}
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "all.vcf"), vcf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	e := testrepo.New(t)
	res := e.Backup(t, src)
	ctx := context.Background()
	open := func() *repo.Repository {
		r, err := repo.Open(ctx, store.NewLocal(e.Repo), e.Keys, repo.AccessRead)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		return r
	}
	r := open()
	var node format.Node
	r.Walk(ctx, res.Snapshot.Root.Content, func(rel string, n format.Node) error {
		if rel == "all.vcf" {
			node = n
		}
		return nil
	})
	ids, err := r.LoadRef(ctx, node.Content)
	if err != nil || len(ids) < 3000 {
		t.Fatalf("%d blobs, %v", len(ids), err)
	}
	want := map[format.ID][]byte{}
	for _, id := range ids {
		b, err := r.LoadBlob(ctx, id)
		if err != nil {
			t.Fatalf("forward: %v", err)
		}
		want[id] = b
	}
	if got, err := r.ReadFile(ctx, node); err != nil || !bytes.Equal(got, vcf.Bytes()) {
		t.Fatalf("the file does not read back as written: %v", err)
	}
	orders := map[string][]format.ID{"backwards": nil, "shuffled": append([]format.ID(nil), ids...)}
	for i := len(ids) - 1; i >= 0; i-- {
		orders["backwards"] = append(orders["backwards"], ids[i])
	}
	rng.Shuffle(len(ids), func(i, j int) {
		orders["shuffled"][i], orders["shuffled"][j] = orders["shuffled"][j], orders["shuffled"][i]
	})
	for name, order := range orders {
		r := open() // a fresh pack cache
		for _, id := range order {
			b, err := r.LoadBlob(ctx, id)
			if err != nil || !bytes.Equal(b, want[id]) {
				t.Fatalf("%s: blob %s: %v", name, id.Short(), err)
			}
		}
	}
}
