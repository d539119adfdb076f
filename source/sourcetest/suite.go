// Package sourcetest is the conformance suite every source passes, as
// store/storetest is for stores, and an in-memory source (MemTree) that
// the suite and backup's tests use.
package sourcetest

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/source"
)

// File is one file a harness puts into a new source.
type File struct {
	Name string // slash path, e.g. "Contacts/anna.vcf"
	Data []byte
}

// Harness makes sources of one kind and changes them as their owner
// would: a person editing a folder, a phone syncing with a server.
type Harness struct {
	// New makes a source holding files.
	New func(t *testing.T, files []File) source.Source
	// Path is where a file shows in the source's tree; nil means its name.
	Path func(name string) string
	// Want is the bytes the tree gives for a file; nil means what New got.
	Want func(t *testing.T, f File) []byte
	// Remove and Change may run on backup's goroutines, in the middle of
	// a walk: they report failures with t.Error, never t.Fatal.
	//
	// Remove deletes a file from the source made last.
	Remove func(t *testing.T, name string)
	// Change rewrites a file of the source made last.
	Change func(t *testing.T, name string, data []byte)
	// Break, if set, makes a file unreadable.
	Break func(t *testing.T, name string)
	// Large, if set, adds a file of size zero bytes to the source made
	// last (sparse where the source is a disk).
	Large func(t *testing.T, name string, size int64)
	// RawNames says the source can hold names that are not valid UTF-8.
	RawNames bool
	// Stable says an opened tree is a copy that later changes to the
	// source do not reach (a CardDAV account's staging folder).
	Stable bool
}

func (h Harness) path(name string) string {
	if h.Path == nil {
		return name
	}
	return h.Path(name)
}

func (h Harness) want(t *testing.T, f File) []byte {
	if h.Want == nil {
		return f.Data
	}
	return h.Want(t, f)
}

// Run runs every case against the harness.
func Run(t *testing.T, h Harness) {
	t.Run("Listing", func(t *testing.T) { testListing(t, h) })
	t.Run("BackupRestore", func(t *testing.T) { testBackupRestore(t, h) })
	t.Run("SameSnapshotTwice", func(t *testing.T) { testSameTwice(t, h) })
	t.Run("VanishesMidWalk", func(t *testing.T) { testVanish(t, h) })
	t.Run("ChangesWhileRead", func(t *testing.T) { testChangeWhileRead(t, h) })
	t.Run("ReadErrorInOneEntry", func(t *testing.T) { testReadError(t, h) })
	t.Run("Cancel", func(t *testing.T) { testCancel(t, h) })
	t.Run("RawNames", func(t *testing.T) { testRawNames(t, h) })
	t.Run("LargeFile", func(t *testing.T) { testLarge(t, h) })
}

// cards makes n small contacts in two folders, each with a UID that is
// its file name.
func cards(n int) []File {
	var files []File
	for i := range n {
		dir := "Contacts"
		if i%2 == 1 {
			dir = "Family"
		}
		id := "card-" + string(rune('a'+i))
		files = append(files, File{Name: dir + "/" + id + ".vcf", Data: []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:" + id +
			"\r\nFN:Person " + id + "\r\nN:" + id + ";Person;;;\r\nTEL:+1555000" + string(rune('0'+i%10)) + "\r\nEND:VCARD\r\n")})
	}
	return files
}

func open(t *testing.T, s source.Source) source.Tree {
	t.Helper()
	tree, release, err := s.Open(context.Background())
	if err != nil {
		t.Fatalf("open %s: %v", s.Name(), err)
	}
	t.Cleanup(release)
	return tree
}

// walk lists every entry of a tree, checking that each folder is sorted.
func walk(t *testing.T, tree source.Tree) map[string]fs.FileInfo {
	t.Helper()
	all := map[string]fs.FileInfo{}
	var rec func(dir string)
	rec = func(dir string) {
		list, err := tree.ReadDir(dir)
		if err != nil {
			t.Fatalf("readdir %q: %v", dir, err)
		}
		for i, e := range list {
			if i > 0 && list[i-1].Name() >= e.Name() {
				t.Errorf("readdir %q: %q listed after %q, want sorted by name", dir, e.Name(), list[i-1].Name())
			}
			name := path.Join(dir, e.Name())
			fi, err := e.Info()
			if err != nil {
				t.Fatalf("info %q: %v", name, err)
			}
			all[name] = fi
			if e.IsDir() {
				rec(name)
			}
		}
	}
	rec(".")
	return all
}

func testListing(t *testing.T, h Harness) {
	files := cards(6)
	tree := open(t, h.New(t, files))
	first, second := walk(t, tree), walk(t, tree)
	if len(first) != len(second) {
		t.Errorf("two listings differ: %d and %d entries", len(first), len(second))
	}
	for _, f := range files {
		name := h.path(f.Name)
		fi := first[name]
		if fi == nil {
			t.Errorf("%s not listed", name)
			continue
		}
		want := h.want(t, f)
		lst, err := tree.Lstat(name)
		if err != nil || lst.Size() != int64(len(want)) || !lst.ModTime().Equal(fi.ModTime()) || !fi.Mode().IsRegular() {
			t.Errorf("lstat %s: %v, %v; want a regular file of %d bytes as listed", name, lst, err, len(want))
		}
		got := readFile(t, tree, name)
		if !bytes.Equal(got, want) {
			t.Errorf("%s reads %q, want %q", name, got, want)
		}
	}
	if _, err := tree.Lstat("no-such-entry"); err == nil {
		t.Errorf("lstat of a missing entry succeeded")
	}
}

func readFile(t *testing.T, tree source.Tree, name string) []byte {
	t.Helper()
	f, err := tree.Open(name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	if fi, err := f.Stat(); err != nil || fi.Size() != int64(len(b)) {
		t.Errorf("stat of open %s: %v %v, want %d bytes", name, fi, err, len(b))
	}
	return b
}

// restored reads a restored file, or nil when it is not there.
func restored(dir, name string) []byte {
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		return nil
	}
	return b
}

func lstatRestored(dir, name string) (fs.FileInfo, error) {
	return os.Lstat(filepath.Join(dir, filepath.FromSlash(name)))
}
