//go:build !unix

package folder

import (
	"io/fs"
	"os"
)

// openFile opens a file for reading.
func openFile(name string) (fs.File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err // a nil *os.File must not become a non-nil fs.File
	}
	return f, nil
}
