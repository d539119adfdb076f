package source_test

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/source"
)

// TestParseArchive: a regular file named like an archive is an archive
// source (its entries are the tree); a folder named so, and any other
// file, stay the folder source.
func TestParseArchive(t *testing.T) {
	dir := t.TempDir()
	zp := filepath.Join(dir, "photos.zip")
	f, err := os.Create(zp)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create("DCIM/a.jpg")
	w.Write([]byte("jpeg"))
	zw.Close()
	f.Close()
	folder := filepath.Join(dir, "unpacked.zip")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "notes.txt")
	os.WriteFile(plain, []byte("x"), 0o644)
	for _, c := range []struct {
		args []string
		want string // an entry of the root
	}{
		{[]string{zp}, "DCIM"},
		{[]string{folder}, ""},
		{[]string{plain}, "notes.txt"},
	} {
		s, err := source.ParseParts(c.args, source.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if s.Name() != c.args[0] {
			t.Errorf("%s: source named %q", c.args[0], s.Name())
		}
		tree, release, err := s.Open(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", c.args[0], err)
		}
		list, err := tree.ReadDir(".")
		release()
		if err != nil || (c.want == "") != (len(list) == 0) || (c.want != "" && list[0].Name() != c.want) {
			t.Errorf("%s: root lists %v %v, want %q", c.args[0], list, err, c.want)
		}
	}
	if _, err := source.ParseParts(nil, source.Options{}); err == nil {
		t.Error("no arguments made a source")
	}
}
