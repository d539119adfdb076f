package repo_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// countingStore counts the bytes read from packs.
type countingStore struct {
	store.Store
	read atomic.Int64
}

func (s *countingStore) Open(ctx context.Context, name string) (store.Object, error) {
	obj, err := s.Store.Open(ctx, name)
	if err != nil || !strings.HasPrefix(name, "data/") {
		return obj, err
	}
	return countingObject{obj, &s.read}, nil
}

type countingObject struct {
	store.Object
	n *atomic.Int64
}

func (o countingObject) ReadAt(p []byte, off int64) (int, error) {
	n, err := o.Object.ReadAt(p, off)
	o.n.Add(int64(n))
	return n, err
}

// storedFile backs up one file of data and returns the repository (read
// through st) and the file's node.
func storedFile(t *testing.T, data []byte, st *countingStore) (*repo.Repository, format.Node) {
	t.Helper()
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "video.mp4"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	e := testrepo.New(t)
	res := e.Backup(t, src)
	st.Store = store.NewLocal(e.Repo)
	r, err := repo.Open(context.Background(), st, e.Keys, repo.AccessRead)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	var node format.Node
	r.Walk(context.Background(), res.Snapshot.Root.Content, func(rel string, n format.Node) error {
		if rel == "video.mp4" {
			node = n
		}
		return nil
	})
	return r, node
}

// TestFileReader: a file of several blobs reads at any offset as its
// bytes, across blob edges and up to its end (io.EOF past it), and a small
// read loads one blob, not the file.
func TestFileReader(t *testing.T) {
	data := make([]byte, 9<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.Uint32()) // incompressible, so stored ≈ raw lengths
	}
	st := &countingStore{}
	r, n := storedFile(t, data, st)
	ctx := context.Background()
	ids, err := r.LoadRef(ctx, n.Content)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) < 4 {
		t.Fatalf("%d blobs; the test needs a file of several", len(ids))
	}
	f, err := r.OpenFile(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if f.Size() != int64(len(data)) {
		t.Fatalf("Size = %d, want %d", f.Size(), len(data))
	}
	var edges []int64 // where each blob after the first starts
	var off int64
	for _, id := range ids[:len(ids)-1] {
		loc, _ := r.Index().Lookup(id)
		off += int64(loc.RawLen)
		edges = append(edges, off)
	}
	for _, c := range []struct {
		name     string
		off, len int64
	}{
		{"start", 0, 100},
		{"across the first edge", edges[0] - 10, 20},
		{"across two edges", edges[0] - 5, edges[1] - edges[0] + 10},
		{"back before an edge", edges[0] - 300, 50},
		{"the last bytes", int64(len(data)) - 7, 7},
		{"whole", 0, int64(len(data))},
	} {
		got := make([]byte, c.len)
		m, err := f.ReadAt(got, c.off)
		if m != len(got) || (err != nil && err != io.EOF) {
			t.Fatalf("%s: read %d of %d: %v", c.name, m, len(got), err)
		}
		if !bytes.Equal(got, data[c.off:c.off+c.len]) {
			t.Errorf("%s: bytes differ", c.name)
		}
	}
	// Past the end: what there is, then io.EOF.
	tail := make([]byte, 20)
	if m, err := f.ReadAt(tail, int64(len(data))-5); m != 5 || err != io.EOF || !bytes.Equal(tail[:5], data[len(data)-5:]) {
		t.Errorf("read across the end: %d, %v; want 5, io.EOF", m, err)
	}
	if m, err := f.ReadAt(tail, int64(len(data))+100); m != 0 || err != io.EOF {
		t.Errorf("read past the end: %d, %v; want 0, io.EOF", m, err)
	}
	if _, err := f.ReadAt(tail, -1); err == nil {
		t.Errorf("read at a negative offset: no error")
	}

	// A small read in a blob not cached costs that blob's bytes (give or
	// take age's 64 KiB chunks at either end, which the chunk cache may
	// hold from the reads above), not the file's.
	f, _ = r.OpenFile(ctx, n)
	f.ReadAt(make([]byte, 1), 0) // the pack is open now
	before := st.read.Load()
	k := len(edges) / 2
	if _, err := f.ReadAt(make([]byte, 10), edges[k]+1000); err != nil {
		t.Fatal(err)
	}
	loc, _ := r.Index().Lookup(ids[k+1])
	if got := st.read.Load() - before; got < int64(loc.Length)-128<<10 || got > int64(loc.Length)+256<<10 {
		t.Errorf("a 10-byte read in blob %d read %d bytes of packs; its blob is %d", k+1, got, loc.Length)
	}
	// The same blob again is cached.
	before = st.read.Load()
	f.ReadAt(make([]byte, 10), edges[k]+5000)
	if got := st.read.Load() - before; got != 0 {
		t.Errorf("a read in the blob just read read %d bytes of packs again", got)
	}
}

// TestFileReaderEmptyAndPatched: an empty file has size 0 and reads
// io.EOF; a file with a patch is refused.
func TestFileReaderEmptyAndPatched(t *testing.T) {
	st := &countingStore{}
	r, n := storedFile(t, nil, st)
	f, err := r.OpenFile(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := f.ReadAt(make([]byte, 4), 0); f.Size() != 0 || m != 0 || err != io.EOF {
		t.Errorf("empty file: size %d, read %d, %v", f.Size(), m, err)
	}
	n.Patch = n.Content
	n.Patch.IDs = []format.ID{{1}}
	if _, err := r.OpenFile(context.Background(), n); !errors.Is(err, repo.ErrPatched) {
		t.Errorf("patched file: %v, want ErrPatched", err)
	}
	n.Patch, n.Seal = format.Ref{}, make([]byte, format.SealKeyLen)
	if _, err := r.OpenFile(context.Background(), n); !errors.Is(err, repo.ErrSealed) {
		t.Errorf("sealed file: %v, want ErrSealed", err)
	}
}
