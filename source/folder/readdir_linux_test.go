package folder

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
)

// TestReadDirAsOS: the fstatat listing gives every entry the name, mode,
// size, time and stat fields os.ReadDir and os.Lstat give it, sorted, and
// an entry that vanishes after the listing has an Info error, as with os.
func TestReadDirAsOS(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, mode os.FileMode, data string) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	write("b.txt", 0o644, "hello")
	write("a-setuid", 0o755|os.ModeSetuid|os.ModeSetgid, "x")
	write("c-sticky", 0o600|os.ModeSticky, "")
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("b.txt", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o640); err != nil {
		t.Fatal(err)
	}
	got, err := readDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries, os gives %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name() != w.Name() || g.Type() != w.Type() || g.IsDir() != w.IsDir() {
			t.Errorf("entry %d: %v, os gives %v", i, g, w)
		}
		gi, err := g.Info()
		if err != nil {
			t.Fatal(err)
		}
		wi, err := os.Lstat(filepath.Join(dir, w.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if gi.Name() != wi.Name() || gi.Mode() != wi.Mode() || gi.Size() != wi.Size() || !gi.ModTime().Equal(wi.ModTime()) {
			t.Errorf("%s: %v %v %d %v, os gives %v %v %d %v", w.Name(), gi.Name(), gi.Mode(), gi.Size(), gi.ModTime(),
				wi.Name(), wi.Mode(), wi.Size(), wi.ModTime())
		}
		if !reflect.DeepEqual(gi.Sys(), wi.Sys()) {
			t.Errorf("%s: Sys %+v, os gives %+v", w.Name(), gi.Sys(), wi.Sys())
		}
	}
	// An entry gone between listing and stat: listed, with an Info error.
	e := &statInfo{name: "gone", err: &fs.PathError{Op: "lstat", Path: "gone", Err: fs.ErrNotExist}}
	if _, err := e.Info(); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("vanished entry: Info error %v", err)
	}
	if _, err := readDir(filepath.Join(dir, "b.txt")); err == nil {
		t.Error("a file listed as a folder")
	}
}
