package takeoutgen

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"
)

// writeTgz writes a part as a gzip-compressed tar of regular files.
func writeTgz(p string, list []entry) (err error) {
	f, err := os.Create(p)
	if err != nil {
		return fmt.Errorf("takeoutgen: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("takeoutgen: %w", cerr)
		}
	}()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for _, e := range list {
		h := &tar.Header{Typeflag: tar.TypeReg, Name: e.path, Size: int64(len(e.data)), Mode: 0o644, ModTime: Exported}
		if err := tw.WriteHeader(h); err != nil {
			return fmt.Errorf("takeoutgen: %s: %w", e.path, err)
		}
		if _, err := tw.Write(e.data); err != nil {
			return fmt.Errorf("takeoutgen: %s: %w", e.path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("takeoutgen: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("takeoutgen: %w", err)
	}
	return nil
}

// extractTgz unpacks one tgz part into dst, skipping paths in done.
func extractTgz(dst, p string, done map[string]bool) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("takeoutgen: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("takeoutgen: %s: %w", p, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("takeoutgen: %s: %w", p, err)
		}
		if h.Typeflag != tar.TypeReg || done[h.Name] {
			continue
		}
		done[h.Name] = true
		if err := writeOut(dst, h.Name, tr, h.ModTime); err != nil {
			return err
		}
	}
}

func isTgz(p string) bool { return strings.HasSuffix(p, ".tgz") }
