package archive_test

import (
	"archive/tar"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/source/archive"
)

// check opens bytes as an archive named name and walks and reads all of
// it: it must not panic, every path must be safe, every folder sorted,
// and no entry may give more bytes than the tree says it has.
func check(t *testing.T, name string, b []byte) {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	tree, err := archive.OpenTree(p)
	if err != nil {
		return
	}
	defer tree.Close()
	tree.EntryErrors(func(string, error) {})
	budget := int64(1 << 20) // bytes read in all: entries may overlap
	var rec func(dir string)
	rec = func(dir string) {
		list, err := tree.ReadDir(dir)
		if err != nil {
			t.Fatalf("readdir %q: %v", dir, err)
		}
		if !slices.IsSortedFunc(list, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) }) {
			t.Fatalf("readdir %q is not sorted", dir)
		}
		for _, e := range list {
			rel := filepath.ToSlash(filepath.Join(dir, e.Name()))
			if e.Name() == ".." || e.Name() == "." || e.Name() == "" || strings.ContainsAny(e.Name(), "/\x00") || len(rel) > archive.MaxNameLen {
				t.Fatalf("unsafe entry %q in %q", e.Name(), dir)
			}
			fi, err := tree.Lstat(rel)
			if err != nil {
				t.Fatalf("lstat %q: %v", rel, err)
			}
			switch {
			case fi.IsDir():
				rec(rel)
			case fi.Mode().IsRegular():
				f, err := tree.Open(rel)
				if err != nil {
					continue
				}
				// A small input can declare and inflate to a lot, and
				// many entries can share its bytes: read some.
				n, _ := io.Copy(io.Discard, io.LimitReader(f, min(budget, 64<<10)))
				budget -= n
				f.Close()
				if n > fi.Size() {
					t.Fatalf("%q gave %d bytes, more than its %d", rel, n, fi.Size())
				}
			case fi.Mode()&fs.ModeSymlink != 0:
				if _, err := tree.Readlink(rel); err != nil {
					t.Fatalf("readlink %q: %v", rel, err)
				}
			}
		}
	}
	rec(".")
}

func FuzzZipTree(f *testing.F) {
	f.Add(zipBytes(f, zent{name: "a/b.txt", data: "hello"}, zent{name: "../x", data: "y"}, zent{name: "l", data: "a", mode: fs.ModeSymlink | 0o777}))
	f.Add(zipBytes(f, zent{name: "dup", data: "1"}, zent{name: "dup", data: "2"}, zent{name: "dup/x", data: "3"}))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, b []byte) { check(t, "f.zip", b) })
}

func FuzzTarTree(f *testing.F) {
	plain := tarBytes(f, tent{hdr: tar.Header{Name: "a/b.txt"}, data: "hello"}, tent{hdr: tar.Header{Name: "/abs"}, data: "y"},
		tent{hdr: tar.Header{Name: "l", Typeflag: tar.TypeSymlink, Linkname: "../../etc"}}, tent{hdr: tar.Header{Name: "h", Typeflag: tar.TypeLink, Linkname: "a/b.txt"}})
	f.Add(plain)
	f.Add(gz(f, plain))
	f.Add(plain[:700])
	f.Fuzz(func(t *testing.T, b []byte) { check(t, "f.tar", b) })
}
