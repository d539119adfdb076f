//go:build !linux

package folder

import (
	"io/fs"
	"os"
)

// readDir lists a folder sorted by name.
func readDir(dir string) ([]fs.DirEntry, error) { return os.ReadDir(dir) }
