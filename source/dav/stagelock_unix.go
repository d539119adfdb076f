//go:build unix

package dav

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes flock(LOCK_EX) on f without waiting, or fails with
// errHeld. The release also closes f.
func tryLock(f *os.File) (release func(), err error) {
	fd := int(f.Fd())
	err = syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, errHeld
	}
	if err != nil {
		return nil, err
	}
	return func() { syscall.Flock(fd, syscall.LOCK_UN); f.Close() }, nil
}
