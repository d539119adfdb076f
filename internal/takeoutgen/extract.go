package takeoutgen

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Extract unpacks the parts (zips, or tgzs as WriteTgz writes them) into
// dst as unzip and tar do, the first part holding a path keeping it:
// each file with its entry's modification time.
func Extract(dst string, parts ...string) error {
	done := map[string]bool{}
	for _, p := range parts {
		if isTgz(p) {
			if err := extractTgz(dst, p, done); err != nil {
				return err
			}
			continue
		}
		if err := extractZip(dst, p, done); err != nil {
			return err
		}
	}
	return nil
}

func extractZip(dst, p string, done map[string]bool) error {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return fmt.Errorf("takeoutgen: %w", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if done[f.Name] || strings.HasSuffix(f.Name, "/") {
			continue
		}
		done[f.Name] = true
		r, err := f.Open()
		if err != nil {
			return fmt.Errorf("takeoutgen: %s: %w", f.Name, err)
		}
		err = writeOut(dst, f.Name, r, f.Modified)
		r.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// writeOut writes one file of an archive under dst.
func writeOut(dst, name string, r io.Reader, mtime time.Time) error {
	if !filepath.IsLocal(name) {
		return fmt.Errorf("takeoutgen: %s: not a local name", name)
	}
	p := filepath.Join(dst, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("takeoutgen: %w", err)
	}
	w, err := os.Create(p)
	if err != nil {
		return fmt.Errorf("takeoutgen: %w", err)
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		return fmt.Errorf("takeoutgen: %s: %w", name, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("takeoutgen: %w", err)
	}
	return os.Chtimes(p, mtime, mtime)
}
