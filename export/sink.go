package export

import (
	"archive/zip"
	"io"
	"os"
	"path"
	"time"
)

// Sink is where an export puts its files: a folder (through an os.Root)
// or a zip stream. Names are slash paths; a file's bytes come from fill,
// streamed, and mtime is its modification time (zero: none).
type Sink interface {
	WriteFile(name string, mtime time.Time, fill func(io.Writer) error) error
}

// rootSink writes into a folder opened as an os.Root, each file
// atomically: a temporary name, then a rename.
type rootSink struct{ root *os.Root }

func (s rootSink) WriteFile(name string, mtime time.Time, fill func(io.Writer) error) error {
	if dir := path.Dir(name); dir != "." {
		if err := s.root.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	tmp := name + ".lifeboat-tmp"
	f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Close()
		s.root.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		s.root.Remove(tmp)
		return err
	}
	if err := s.root.Rename(tmp, name); err != nil {
		return err
	}
	if !mtime.IsZero() {
		s.root.Chtimes(name, mtime, mtime)
	}
	return nil
}

// ZipSink writes the kit as entries of a zip archive, straight to w's
// stream; the caller closes the zip.Writer.
type ZipSink struct{ W *zip.Writer }

// WriteFile adds one entry, stored with its modification time.
func (s ZipSink) WriteFile(name string, mtime time.Time, fill func(io.Writer) error) error {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate}
	if !mtime.IsZero() {
		h.Modified = mtime
	}
	h.SetMode(0o600)
	w, err := s.W.CreateHeader(h)
	if err != nil {
		return err
	}
	return fill(w)
}
