//go:build unix

package restore

import (
	"os"
	"path"
	"time"

	"golang.org/x/sys/unix"
)

// lchtimes sets a symlink's own modification time (never its target's),
// through its folder opened inside the root, so a folder swapped for a
// symlink meanwhile cannot lead outside: os.Root has no Lchtimes.
func lchtimes(root *os.Root, rel string, mtime time.Time) error {
	d, err := root.Open(path.Dir(rel))
	if err != nil {
		return err
	}
	defer d.Close()
	ts := unix.NsecToTimespec(mtime.UnixNano())
	return unix.UtimesNanoAt(int(d.Fd()), path.Base(rel), []unix.Timespec{ts, ts}, unix.AT_SYMLINK_NOFOLLOW)
}
