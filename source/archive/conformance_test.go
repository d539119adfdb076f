package archive_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/source"
	"github.com/lifeboat-backup/lifeboat/source/sourcetest"
)

var suiteTime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// entry is a file of an archive a test writes.
type entry struct {
	data   []byte
	mtime  time.Time
	large  int64 // zeros, written sparse
	broken bool  // a zip entry whose checksum is wrong
}

// archiveFiles is what a harness keeps of the archive it made last, to
// write it again when the suite changes it.
type archiveFiles struct {
	path  string
	files map[string]*entry
}

func (a *archiveFiles) names() []string {
	var names []string
	for n := range a.files {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// write rewrites the archive as a new file renamed over the old one, as
// an archiver does: a tree open on the old file keeps reading it.
func (a *archiveFiles) write(t *testing.T) {
	tmp := a.path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		t.Error(err)
		return
	}
	if filepath.Ext(a.path) == ".zip" {
		err = a.writeZip(f)
	} else {
		err = a.writeTgz(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, a.path)
	}
	if err != nil {
		t.Error(err)
	}
}

func (a *archiveFiles) writeZip(f *os.File) error {
	zw := zip.NewWriter(sparse{f})
	for _, name := range a.names() {
		e := a.files[name]
		switch {
		case e.broken:
			w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, Modified: e.mtime,
				CRC32: crc32.ChecksumIEEE(e.data) ^ 1, CompressedSize64: uint64(len(e.data)), UncompressedSize64: uint64(len(e.data))})
			if err != nil {
				return err
			}
			if _, err := w.Write(e.data); err != nil {
				return err
			}
		case e.large > 0:
			w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: e.mtime})
			if err != nil {
				return err
			}
			if _, err := io.CopyBuffer(w, io.LimitReader(zeros{}, e.large), make([]byte, 1<<20)); err != nil {
				return err
			}
		default:
			w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: e.mtime})
			if err != nil {
				return err
			}
			if _, err := w.Write(e.data); err != nil {
				return err
			}
		}
	}
	return zw.Close()
}

func (a *archiveFiles) writeTgz(f *os.File) error {
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for _, name := range a.names() {
		e := a.files[name]
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(e.data)), ModTime: e.mtime, Format: tar.FormatPAX}); err != nil {
			return err
		}
		if _, err := tw.Write(e.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// sparse writes runs of zeros as holes, so that a 4 GiB entry costs no
// disk.
type sparse struct{ f *os.File }

func (s sparse) Write(p []byte) (int, error) {
	if len(p) >= 4096 && !slices.ContainsFunc(p, func(b byte) bool { return b != 0 }) {
		if _, err := s.f.Seek(int64(len(p)), io.SeekCurrent); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return s.f.Write(p)
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// harness runs the suite on archives named like name (suite.zip,
// suite.tgz), opened through source.Parse.
func harness(name string) sourcetest.Harness {
	var a *archiveFiles
	h := sourcetest.Harness{
		New: func(t *testing.T, files []sourcetest.File) source.Source {
			a = &archiveFiles{path: filepath.Join(t.TempDir(), name), files: map[string]*entry{}}
			for _, f := range files {
				a.files[f.Name] = &entry{data: f.Data, mtime: suiteTime}
			}
			a.write(t)
			s, err := source.Parse(a.path, source.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if s.Name() != a.path {
				t.Fatalf("an archive's source is named %q, want its path %q", s.Name(), a.path)
			}
			return s
		},
		Remove: func(t *testing.T, name string) {
			delete(a.files, name)
			a.write(t)
		},
		Change: func(t *testing.T, name string, data []byte) {
			a.files[name] = &entry{data: data, mtime: suiteTime.Add(time.Second)}
			a.write(t)
		},
		RawNames: true,
		Stable:   true,
	}
	if filepath.Ext(name) == ".zip" {
		h.Break = func(t *testing.T, name string) {
			a.files[name].broken = true
			a.write(t)
		}
		h.Large = func(t *testing.T, name string, size int64) {
			a.files[name] = &entry{large: size, mtime: suiteTime}
			a.write(t)
		}
	}
	return h
}

// TestConformance runs the source suite on a zip (with an entry of
// 4 GiB, and one whose checksum is wrong) and on a tgz: the suite's files
// are the archive's entries.
func TestConformance(t *testing.T) {
	t.Run("zip", func(t *testing.T) { sourcetest.Run(t, harness("suite.zip")) })
	t.Run("tgz", func(t *testing.T) { sourcetest.Run(t, harness("suite.tgz")) })
}

var _ = bytes.Equal
