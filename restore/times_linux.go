package restore

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/lifeboat-backup/lifeboat/format"
)

// fdTimes says a restored file's mode and times are set on its open
// descriptor (fchmod, futimens) before its fsync, not by name after.
const fdTimes = true

// setFileTime sets an open file's access and modification times to t,
// exactly, and checks what the filesystem kept (see setTime).
func setFileTime(f *os.File, t format.Time) error {
	ts := [2]unix.Timespec{{Sec: t.Sec, Nsec: int64(t.Nsec)}, {Sec: t.Sec, Nsec: int64(t.Nsec)}}
	// futimens: utimensat with no path sets the descriptor's own times
	// (x/sys has no call for it; UtimesNanoAt always passes a path).
	if _, _, e := unix.Syscall6(unix.SYS_UTIMENSAT, f.Fd(), 0, uintptr(unsafe.Pointer(&ts[0])), 0, 0, 0); e != 0 {
		return timeNotKept(e, t)
	}
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return err
	}
	return timeKept(st, t)
}

// writebackChunk is how much of a file is written before the system is
// asked to start writing it to disk.
const writebackChunk = 2 << 20

// startWriteback has the system start writing a range of f to disk
// without waiting (sync_file_range), so the disk works while restore
// decrypts the rest and the fsync at the end has less to wait for. It is
// a hint: errors are the fsync's to report.
func startWriteback(f *os.File, off, n int64) {
	unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}
