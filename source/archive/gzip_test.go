package archive

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sync"
	"testing"
)

// walkOrder lists a tree's files as backup opens them: a folder's files
// by name, then each subfolder's, depth first.
func walkOrder(t *testing.T, tree *Tree, dir string) []string {
	list, err := tree.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files, sub []string
	for _, e := range list {
		if e.IsDir() {
			sub = append(sub, path.Join(dir, e.Name()))
		} else {
			files = append(files, path.Join(dir, e.Name()))
		}
	}
	for _, d := range sub {
		files = append(files, walkOrder(t, tree, d)...)
	}
	return files
}

// TestTgzCost: reading a tgz in backup's order with three readers at once
// decompresses it no more than once per cursor; the reverse order costs
// a restart from the start for nearly every entry.
func TestTgzCost(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	// Written as tar --sort=name writes a tree: each folder's entries by
	// name, a subfolder's contents where the subfolder falls.
	var names []string
	for _, d := range []string{"", "A/", "A/B/", "C/"} {
		for i := range 8 {
			names = append(names, fmt.Sprintf("%sf%02d.bin", d, i))
		}
	}
	for _, n := range names {
		b := make([]byte, 16<<10)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(b)
	}
	tw.Close()
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()
	p := filepath.Join(t.TempDir(), "t.tgz")
	if err := os.WriteFile(p, z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	stream := int64(raw.Len())

	read := func(tree *Tree, order []string, readers int) int64 {
		g := tree.parts[0].(*gzPart)
		g.inflated.Store(0)
		jobs := make(chan string)
		var wg sync.WaitGroup
		for range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for name := range jobs {
					f, err := tree.Open(name)
					if err != nil {
						t.Error(err)
						continue
					}
					if n, err := io.Copy(io.Discard, f); err != nil || n != 16<<10 {
						t.Errorf("%s: %d bytes, %v", name, n, err)
					}
					f.Close()
				}
			}()
		}
		for _, n := range order {
			jobs <- n
		}
		close(jobs)
		wg.Wait()
		return g.inflated.Load()
	}
	tree, err := OpenTree(p)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	order := walkOrder(t, tree, ".")
	if len(order) != len(names) {
		t.Fatalf("%d files listed, want %d", len(order), len(names))
	}
	walked := read(tree, order, 3)
	reversed := make([]string, len(order))
	for i, n := range order {
		reversed[len(order)-1-i] = n
	}
	tree2, err := OpenTree(p)
	if err != nil {
		t.Fatal(err)
	}
	defer tree2.Close()
	backwards := read(tree2, reversed, 1)
	t.Logf("tar stream %d bytes: backup's order with 3 readers decompressed %d, the reverse order %d", stream, walked, backwards)
	if walked > maxCursors*stream {
		t.Errorf("backup's order decompressed %d bytes, want at most %d cursors × %d", walked, maxCursors, stream)
	}
	if backwards < int64(len(order))/2*stream/2 {
		t.Errorf("the reverse order decompressed only %d bytes: a restart is not counted", backwards)
	}
}
