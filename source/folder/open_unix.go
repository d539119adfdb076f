//go:build unix && !linux

package folder

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// openFile opens a file for reading as os.Open does, without os.Open's
// attempt to register a regular file with the poller (fcntl calls and a
// failing kevent or epoll_ctl per file). Linux has its own (file_linux.go).
func openFile(name string) (fs.File, error) {
	for {
		fd, err := unix.Open(name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return os.NewFile(uintptr(fd), name), nil
	}
}
