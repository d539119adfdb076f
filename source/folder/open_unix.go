//go:build unix && !linux

package folder

import (
	"io/fs"
	"os"
)

// openFile opens a file for reading as os.Open does, without os.Open's
// attempt to register a regular file with the poller (fcntl calls and a
// failing kevent or epoll_ctl per file). Linux has its own (file_linux.go).
func openFile(name string) (fs.File, error) {
	fd, err := openFD(name, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), name), nil
}
