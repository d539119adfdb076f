package backup

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/lifeboat-backup/lifeboat/source"
)

// maxReads is how many times a file that changes while it is read is read
// before it is stored as read last, with a warning.
const maxReads = 3

// rereadPause is the wait before reading a changed file again, so that a
// copy in progress can finish.
const rereadPause = 100 * time.Millisecond

// ErrChanged says a file kept changing while it was read: what was stored
// may mix old and new bytes.
var ErrChanged = errors.New("changed while it was read")

// changedError is ErrChanged after n reads.
func changedError(n int) error {
	return fmt.Errorf("%w (%d times); stored as read last, which may mix old and new data", ErrChanged, n)
}

// unchanged reports whether a file kept its size, modification and change
// times and identity from before, the status of the open file before it
// was read, to after, its status when the read ended; path must still name
// the same file (not one renamed over it).
func unchanged(before, after fs.FileInfo, tree source.Tree, rel string) bool {
	if before.Size() != after.Size() || !before.ModTime().Equal(after.ModTime()) {
		return false
	}
	bc, bi := statKey(before)
	ac, ai := statKey(after)
	if bc != ac || bi != ai {
		return false
	}
	now, err := tree.Lstat(rel)
	if err != nil {
		return false
	}
	_, ni := statKey(now)
	return ni == ai
}
