//go:build unix

package restore

import (
	"errors"
	"fmt"
	"os"
	"path"

	"golang.org/x/sys/unix"

	"github.com/lifeboat-backup/lifeboat/format"
)

// setTime sets rel's access and modification times to t, exactly, through
// its folder opened inside the root (a folder swapped for a symlink
// meanwhile cannot lead outside; os.Root has no Lchtimes, and os.Chtimes
// goes through Unix nanoseconds, which end in 2262). A symlink's own time
// is set, never its target's. When the filesystem stored another time (a
// FAT disk, or ext4's 1901-2446), the error wraps ErrNotKept.
func setTime(root *os.Root, rel string, t format.Time) error {
	d, err := root.Open(path.Dir(rel))
	if err != nil {
		return err
	}
	defer d.Close()
	base := path.Base(rel)
	ts := unix.Timespec{Sec: t.Sec, Nsec: int64(t.Nsec)}
	if err := unix.UtimesNanoAt(int(d.Fd()), base, []unix.Timespec{ts, ts}, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return timeNotKept(err, t)
	}
	var st unix.Stat_t
	if err := unix.Fstatat(int(d.Fd()), base, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return err
	}
	return timeKept(st, t)
}

// timeNotKept is the error for a time the filesystem did not take.
func timeNotKept(err error, t format.Time) error {
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ERANGE) || errors.Is(err, unix.EOVERFLOW) {
		return fmt.Errorf("modification time %s: %w", timeString(t), ErrNotKept)
	}
	return err
}

// timeKept checks the time an item holds (st) against the one set, t.
func timeKept(st unix.Stat_t, t format.Time) error {
	got := format.Time{Sec: st.Mtim.Sec, Nsec: uint32(st.Mtim.Nsec)}
	if got != t && !coarser(got, t) {
		return fmt.Errorf("modification time %s: %w; it holds %s", timeString(t), ErrNotKept, timeString(got))
	}
	return nil
}
