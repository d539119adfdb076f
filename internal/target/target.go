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

// PrepareIn does what Prepare does for the folder name directly inside
// root (one path element), through root: a symlink planted there is not
// followed but refused (ErrNotFolder), so nothing restored or exported
// into the returned folder can land outside root. The caller closes the
// returned root.
func PrepareIn(root *os.Root, name string, overwrite bool) (sub *os.Root, created bool, err error) {
	fi, err := root.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := root.Mkdir(name, 0o700); err != nil {
			return nil, false, err
		}
		created = true
	case err != nil:
		return nil, false, err
	case !fi.IsDir():
		return nil, false, fmt.Errorf("%s: %w", name, ErrNotFolder)
	}
	sub, err = root.OpenRoot(name)
	if err != nil {
		return nil, false, err
	}
	if !created && !overwrite {
		entries, err := sub.FS().(fs.ReadDirFS).ReadDir(".")
		if err == nil && len(entries) > 0 {
			err = fmt.Errorf("%s: %w", name, ErrNotEmpty)
		}
		if err != nil {
			sub.Close()
			return nil, false, err
		}
	}
	return sub, created, nil
}
