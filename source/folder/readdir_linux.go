package folder

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// readDir lists a folder sorted by name, each entry described (lstat
// semantics) by fstatat relative to the open folder: os.ReadDir's Info
// walks the entry's whole path again for every entry, which made a
// quarter of the CPU of a re-run of many small files.
func readDir(dir string) ([]fs.DirEntry, error) {
	fd, err := openDir(dir)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(fd), dir)
	defer f.Close()
	// Like os.ReadDir, a listing cut short by an error gives the entries
	// read before it, with the error.
	names, err := f.Readdirnames(-1)
	slices.Sort(names)
	entries := make([]fs.DirEntry, len(names))
	infos := make([]statInfo, len(names))
	for i, name := range names {
		e := &infos[i]
		e.name = name
		var st unix.Stat_t
		var serr error
		for {
			serr = unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW)
			if !errors.Is(serr, unix.EINTR) {
				break
			}
		}
		if serr != nil {
			e.err = &fs.PathError{Op: "lstat", Path: dir + "/" + name, Err: serr}
		} else {
			e.sys = statT(&st)
		}
		entries[i] = e
	}
	if err != nil {
		return entries, &fs.PathError{Op: "readdirent", Path: dir, Err: err}
	}
	return entries, nil
}

func openDir(dir string) (int, error) { return openFD(dir, unix.O_DIRECTORY) }

// statT is st as the syscall package has it, which is what os's FileInfo
// gives as Sys and what backup reads ctime and inode from.
func statT(st *unix.Stat_t) syscall.Stat_t {
	return syscall.Stat_t{Dev: st.Dev, Ino: st.Ino, Nlink: st.Nlink, Mode: st.Mode, Uid: st.Uid, Gid: st.Gid,
		Rdev: st.Rdev, Size: st.Size, Blksize: st.Blksize, Blocks: st.Blocks,
		Atim: syscall.Timespec{Sec: st.Atim.Sec, Nsec: st.Atim.Nsec},
		Mtim: syscall.Timespec{Sec: st.Mtim.Sec, Nsec: st.Mtim.Nsec},
		Ctim: syscall.Timespec{Sec: st.Ctim.Sec, Nsec: st.Ctim.Nsec}}
}

// statInfo is one entry of readDir: both its fs.DirEntry and, when its
// fstatat worked, its fs.FileInfo.
type statInfo struct {
	name string
	sys  syscall.Stat_t
	err  error
}

func (e *statInfo) Name() string { return e.name }
func (e *statInfo) IsDir() bool  { return e.Mode().IsDir() }
func (e *statInfo) Type() fs.FileMode {
	return e.Mode().Type()
}
func (e *statInfo) Info() (fs.FileInfo, error) {
	if e.err != nil {
		return nil, e.err
	}
	return e, nil
}
func (e *statInfo) String() string     { return fs.FormatDirEntry(e) }
func (e *statInfo) Size() int64        { return e.sys.Size }
func (e *statInfo) ModTime() time.Time { return time.Unix(e.sys.Mtim.Unix()) }
func (e *statInfo) Sys() any           { return &e.sys }

// Mode is the entry's mode as os.Lstat gives it.
func (e *statInfo) Mode() fs.FileMode {
	m := fs.FileMode(e.sys.Mode & 0o777)
	switch e.sys.Mode & syscall.S_IFMT {
	case syscall.S_IFBLK:
		m |= fs.ModeDevice
	case syscall.S_IFCHR:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFDIR:
		m |= fs.ModeDir
	case syscall.S_IFIFO:
		m |= fs.ModeNamedPipe
	case syscall.S_IFLNK:
		m |= fs.ModeSymlink
	case syscall.S_IFSOCK:
		m |= fs.ModeSocket
	}
	if e.sys.Mode&syscall.S_ISGID != 0 {
		m |= fs.ModeSetgid
	}
	if e.sys.Mode&syscall.S_ISUID != 0 {
		m |= fs.ModeSetuid
	}
	if e.sys.Mode&syscall.S_ISVTX != 0 {
		m |= fs.ModeSticky
	}
	return m
}
