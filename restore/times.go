package restore

import (
	"errors"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
)

// ErrNotKept says the target could not hold something the snapshot
// records (a time outside the filesystem's range, extended attributes):
// the item is restored without it.
var ErrNotKept = errors.New("not kept by the target")

// coarser reports whether got is want rounded down to a coarser tick, as
// filesystems with whole-second or (FAT) 2-second times store it: at most
// 2 s earlier, never later.
func coarser(got, want format.Time) bool {
	if got.Sec > want.Sec || got.Sec == want.Sec && got.Nsec > want.Nsec {
		return false
	}
	return want.Sec-got.Sec < 2 || want.Sec-got.Sec == 2 && want.Nsec < got.Nsec
}

func timeString(t format.Time) string {
	return time.Unix(t.Sec, int64(t.Nsec)).UTC().Format(time.RFC3339Nano)
}
