// Package target prepares the folder that restore and export write into.
package target

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrNotEmpty is returned for a target folder that has files, when
// overwriting is not allowed.
var ErrNotEmpty = errors.New("target folder is not empty")

// ErrNotFolder is returned for a target that exists but is not a folder.
var ErrNotFolder = errors.New("target exists and is not a folder")

// Prepare makes sure dir is new or empty (or overwrite is set), creating
// it with mode 0700 when missing, and reports whether it created it.
func Prepare(dir string, overwrite bool) (created bool, err error) {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return false, fmt.Errorf("%s: %w", dir, ErrNotFolder)
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return true, os.MkdirAll(dir, 0o700)
	}
	if err != nil {
		return false, err
	}
	if len(entries) > 0 && !overwrite {
		return false, fmt.Errorf("%s: %w", dir, ErrNotEmpty)
	}
	return false, nil
}
