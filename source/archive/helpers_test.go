package archive_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/source/archive"
)

var when = time.Date(2023, 3, 4, 5, 6, 7, 0, time.UTC)

// zent is an entry of a zip a test builds.
type zent struct {
	name string
	data string
	mode fs.FileMode // 0: a regular 0644 file
	raw  *zip.FileHeader
}

func zipBytes(t testing.TB, ents ...zent) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range ents {
		var w io.Writer
		var err error
		if e.raw != nil {
			w, err = zw.CreateRaw(e.raw)
		} else {
			fh := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: when}
			mode := e.mode
			if mode == 0 {
				mode = 0o644
			}
			fh.SetMode(mode)
			w, err = zw.CreateHeader(fh)
		}
		if err == nil {
			_, err = io.WriteString(w, e.data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tent is an entry of a tar a test builds.
type tent struct {
	hdr  tar.Header
	data string
}

func tarBytes(t testing.TB, ents ...tent) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range ents {
		h := e.hdr
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.data))
		}
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if h.ModTime.IsZero() {
			h.ModTime = when
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(tw, e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// file writes b into a new file called name.
func file(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func openTree(t testing.TB, paths ...string) *archive.Tree {
	t.Helper()
	tree, err := archive.OpenTree(paths...)
	if err != nil {
		t.Fatalf("open %v: %v", paths, err)
	}
	t.Cleanup(func() { tree.Close() })
	return tree
}

// problems are the entries a tree leaves out, by path.
func problems(tree *archive.Tree) map[string]error {
	m := map[string]error{}
	tree.EntryErrors(func(p string, err error) { m[p] = err })
	return m
}

func read(t testing.TB, tree *archive.Tree, name string) (string, error) {
	t.Helper()
	f, err := tree.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	return string(b), err
}

// all lists every path of a tree.
func all(t testing.TB, tree *archive.Tree) []string {
	t.Helper()
	var out []string
	var rec func(dir string)
	rec = func(dir string) {
		list, err := tree.ReadDir(dir)
		if err != nil {
			t.Fatalf("readdir %q: %v", dir, err)
		}
		for _, e := range list {
			p := path.Join(dir, e.Name())
			out = append(out, p)
			if e.IsDir() {
				rec(p)
			}
		}
	}
	rec(".")
	return out
}
