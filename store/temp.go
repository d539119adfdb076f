package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Leftovers are temporary files in tmp/ that killed runs left behind.
type Leftovers struct {
	Files int
	Bytes int64
}

// TempCleaner is a store with a temporary area (a local folder, SFTP):
// it can say what killed runs left there and remove it.
type TempCleaner interface {
	// Leftovers counts the temporary files older than age (0: all).
	Leftovers(ctx context.Context, age time.Duration) (Leftovers, error)
	// RemoveLeftovers removes the temporary files older than age, which
	// only a run that holds the repository's lock may do, with age at
	// least the lock's expiry: no live run's file is that old.
	RemoveLeftovers(ctx context.Context, age time.Duration) (Leftovers, error)
}

var (
	_ TempCleaner = (*Local)(nil)
	_ TempCleaner = (*SFTP)(nil)
)

// tempFile reports whether a name in tmp/ is a temporary object.
func tempFile(name string) bool { return strings.HasPrefix(name, "obj-") }

// Leftovers counts the temporary files in tmp/ older than age.
func (l *Local) Leftovers(ctx context.Context, age time.Duration) (Leftovers, error) {
	return l.leftovers(ctx, age, false)
}

// RemoveLeftovers removes the temporary files in tmp/ older than age.
func (l *Local) RemoveLeftovers(ctx context.Context, age time.Duration) (Leftovers, error) {
	return l.leftovers(ctx, age, true)
}

func (l *Local) leftovers(ctx context.Context, age time.Duration, remove bool) (Leftovers, error) {
	var out Leftovers
	if err := l.noLinks(tmpDir); err != nil {
		return out, err
	}
	dir := filepath.Join(l.root, tmpDir)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	cutoff := time.Now().Add(-age)
	for _, e := range ents {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		fi, err := e.Info()
		if err != nil || !fi.Mode().IsRegular() || !tempFile(e.Name()) || fi.ModTime().After(cutoff) {
			continue
		}
		if remove {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				continue // best effort: the next run tries again
			}
		}
		out.Files++
		out.Bytes += fi.Size()
	}
	return out, nil
}

// Leftovers counts the temporary files in tmp/ older than age.
func (s *SFTP) Leftovers(ctx context.Context, age time.Duration) (Leftovers, error) {
	return s.leftovers(ctx, age, false)
}

// RemoveLeftovers removes the temporary files in tmp/ older than age.
func (s *SFTP) RemoveLeftovers(ctx context.Context, age time.Duration) (Leftovers, error) {
	return s.leftovers(ctx, age, true)
}

func (s *SFTP) leftovers(ctx context.Context, age time.Duration, remove bool) (Leftovers, error) {
	var out Leftovers
	dir := path.Join(s.root, tmpDir)
	ents, err := s.client.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return out, lost(err)
	}
	cutoff := time.Now().Add(-age)
	for _, fi := range ents {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if !fi.Mode().IsRegular() || !tempFile(fi.Name()) || fi.ModTime().After(cutoff) {
			continue
		}
		if remove && s.client.Remove(path.Join(dir, fi.Name())) != nil {
			continue
		}
		out.Files++
		out.Bytes += fi.Size()
	}
	return out, nil
}
