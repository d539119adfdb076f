package restore

import (
	"os"

	"github.com/lifeboat-backup/lifeboat/format"
)

// setTime sets rel's times through the root. Windows has no call to set a
// symlink's own time: a restored symlink keeps its creation time.
func setTime(root *os.Root, rel string, t format.Time) error {
	if fi, err := root.Lstat(rel); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return nil
	}
	return root.Chtimes(rel, t.Time(), t.Time())
}
