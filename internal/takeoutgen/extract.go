package takeoutgen

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Extract unpacks the parts into dst as unzip does, the first part
// holding a path keeping it: each file with its entry's modification
// time.
func Extract(dst string, parts ...string) error {
	done := map[string]bool{}
	for _, p := range parts {
		zr, err := zip.OpenReader(p)
		if err != nil {
			return fmt.Errorf("takeoutgen: %w", err)
		}
		for _, f := range zr.File {
			if done[f.Name] || strings.HasSuffix(f.Name, "/") {
				continue
			}
			done[f.Name] = true
			if err := extractOne(dst, f); err != nil {
				zr.Close()
				return err
			}
		}
		zr.Close()
	}
	return nil
}

func extractOne(dst string, f *zip.File) error {
	if !filepath.IsLocal(f.Name) {
		return fmt.Errorf("takeoutgen: %s: not a local name", f.Name)
	}
	p := filepath.Join(dst, filepath.FromSlash(f.Name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("takeoutgen: %w", err)
	}
	r, err := f.Open()
	if err != nil {
		return fmt.Errorf("takeoutgen: %s: %w", f.Name, err)
	}
	defer r.Close()
	w, err := os.Create(p)
	if err != nil {
		return fmt.Errorf("takeoutgen: %w", err)
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		return fmt.Errorf("takeoutgen: %s: %w", f.Name, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("takeoutgen: %w", err)
	}
	return os.Chtimes(p, f.Modified, f.Modified)
}
