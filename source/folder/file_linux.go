package folder

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// file is a regular file opened for reading by its descriptor alone. An
// *os.File costs a small file's backup an fcntl at open (os.NewFile asks
// whether the descriptor blocks) and a cleanup registered with the
// runtime; and reading to the end costs a read that returns nothing.
// file spares the three: once Stat has given the size, a read that
// reaches it returns io.EOF with its bytes. A file that grows meanwhile
// is read short, which the caller tells from the file's status after the
// read (its size changed) and reads again.
type file struct {
	fd   int
	name string
	size int64 // from Stat; -1 before
	read int64
}

func openFile(name string) (fs.File, error) {
	fd, err := openFD(name, 0)
	if err != nil {
		return nil, err
	}
	return &file{fd: fd, name: name, size: -1}, nil
}

func (f *file) Read(p []byte) (int, error) {
	if f.fd < 0 {
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: fs.ErrClosed}
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := unix.Read(f.fd, p)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
		}
		if n == 0 {
			return 0, io.EOF
		}
		f.read += int64(n)
		if f.read == f.size && n < len(p) {
			return n, io.EOF // a short read at the size: the end, without asking again
		}
		return n, nil
	}
}

// Stat describes the open file (fstat).
func (f *file) Stat() (fs.FileInfo, error) {
	if f.fd < 0 {
		return nil, &fs.PathError{Op: "stat", Path: f.name, Err: fs.ErrClosed}
	}
	var st unix.Stat_t
	for {
		err := unix.Fstat(f.fd, &st)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "stat", Path: f.name, Err: err}
		}
		break
	}
	if f.size < 0 {
		f.size = st.Size
	}
	return &statInfo{name: filepath.Base(f.name), sys: statT(&st)}, nil
}

// Fd is the descriptor, for extended attributes.
func (f *file) Fd() uintptr { return uintptr(f.fd) }

func (f *file) Close() error {
	if f.fd < 0 {
		return &fs.PathError{Op: "close", Path: f.name, Err: fs.ErrClosed}
	}
	err := unix.Close(f.fd)
	f.fd = -1
	if err != nil {
		return &fs.PathError{Op: "close", Path: f.name, Err: err}
	}
	return nil
}
