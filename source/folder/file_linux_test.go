package folder

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestFileReadsToStatSize: after Stat, a read that reaches the size
// ends the file with its bytes (no read more for io.EOF); a file that
// grew since Stat is read to its real end; without Stat it reads as any
// file; Stat describes it as os.Lstat does; a second Close fails.
func TestFileReadsToStatSize(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a.txt")
	data := bytes.Repeat([]byte("0123456789"), 10)
	if err := os.WriteFile(name, data, 0o640); err != nil {
		t.Fatal(err)
	}
	f, err := openFile(name)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.Lstat(name)
	if fi.Size() != 100 || fi.Mode() != want.Mode() || !fi.ModTime().Equal(want.ModTime()) || fi.Name() != "a.txt" {
		t.Fatalf("Stat = %v %v %v %q, want %v %v %v", fi.Size(), fi.Mode(), fi.ModTime(), fi.Name(), want.Size(), want.Mode(), want.ModTime())
	}
	buf := make([]byte, 4096)
	n, err := f.Read(buf)
	if n != 100 || err != io.EOF || !bytes.Equal(buf[:n], data) {
		t.Fatalf("Read at the size = %d, %v; want 100, io.EOF", n, err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Fatalf("second Close: %v", err)
	}

	f, _ = openFile(name)
	defer f.Close()
	if _, err := f.Stat(); err != nil {
		t.Fatal(err)
	}
	grown := append(bytes.Clone(data), "and more"...)
	if err := os.WriteFile(name, grown, 0o640); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(got, grown) {
		t.Fatalf("file grown after Stat read %q, %v; want all %d bytes", got, err, len(grown))
	}

	g, _ := openFile(name) // no Stat: read like any file
	defer g.Close()
	got, err = io.ReadAll(g)
	if err != nil || !bytes.Equal(got, grown) {
		t.Fatalf("ReadAll without Stat = %d bytes, %v", len(got), err)
	}
}
