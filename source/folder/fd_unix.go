//go:build unix

package folder

import (
	"errors"
	"io/fs"

	"golang.org/x/sys/unix"
)

// openFD opens name read-only with flags added (close-on-exec always),
// retrying on EINTR.
func openFD(name string, flags int) (int, error) {
	for {
		fd, err := unix.Open(name, unix.O_RDONLY|unix.O_CLOEXEC|flags, 0)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return -1, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return fd, nil
	}
}
