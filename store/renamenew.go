package store

import (
	"errors"
	"io/fs"
	"os"
)

// linkNew is renameNew where the rename cannot refuse to replace: a hard
// link (which fails when dst exists), else, on a file system without
// links, a check and a rename, which two racing writers could both pass.
func linkNew(src, dst string) error {
	err := os.Link(src, dst)
	if err == nil || errors.Is(err, fs.ErrExist) {
		os.Remove(src)
		return err
	}
	if _, serr := os.Lstat(dst); serr == nil {
		return fs.ErrExist
	}
	return os.Rename(src, dst)
}
