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
	"slices"
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

// tgz writes files of 16 KiB in the order given.
func tgz(t *testing.T, names []string) (string, int64) {
	rng := rand.New(rand.NewPCG(3, 4))
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
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
	return p, int64(raw.Len())
}

// readAll opens and reads every name with readers at once, as backup's
// workers do, and returns how many bytes were decompressed.
func readAll(t *testing.T, tree *Tree, order []string, readers int) int64 {
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

// TestTgzCost: backup's order over a tgz written in that order, or as
// tar --sort=name writes a tree (a subfolder's contents where its name
// falls), decompresses the archive a few times in all; reading it
// backwards costs a restart for nearly every entry.
func TestTgzCost(t *testing.T) {
	var walk, sorted []string
	for _, d := range []string{"", "A/", "A/B/", "C/"} {
		for i := range 8 {
			walk = append(walk, fmt.Sprintf("%sf%02d.bin", d, i))
		}
	}
	for _, d := range []string{"A/B/", "A/", "C/", ""} {
		for i := range 8 {
			sorted = append(sorted, fmt.Sprintf("%sf%02d.bin", d, i))
		}
	}
	slices.Sort(sorted)            // A/B/..., A/f..., C/..., f...
	shuffled := slices.Clone(walk) // as readdir gives them on ext4
	rand.New(rand.NewPCG(5, 6)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, c := range []struct {
		layout  string
		names   []string
		reverse bool
		limit   int64 // times the tar stream; -1 for no bound
	}{
		{"backup's order", walk, false, 4},
		{"tar --sort=name", sorted, false, 6},
		{"backup's order backwards", walk, true, 0},
		{"shuffled", shuffled, false, -1},
	} {
		p, stream := tgz(t, c.names)
		tree, err := OpenTree(p)
		if err != nil {
			t.Fatal(err)
		}
		order := walkOrder(t, tree, ".")
		readers := 3
		if c.reverse {
			slices.Reverse(order)
			readers = 1
		}
		got := readAll(t, tree, order, readers)
		tree.Close()
		t.Logf("%s: tar stream %d bytes, decompressed %d (%.1f times)", c.layout, stream, got, float64(got)/float64(stream))
		switch {
		case c.limit > 0 && got > c.limit*stream:
			t.Errorf("%s: decompressed %d bytes, want at most %d times the %d-byte stream", c.layout, got, c.limit, stream)
		case c.limit == 0 && got < int64(len(order))/4*stream:
			t.Errorf("%s: decompressed only %d bytes: a restart is not counted", c.layout, got)
		}
	}
}
