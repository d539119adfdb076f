//go:build !linux

package restore

import (
	"errors"
	"os"

	"github.com/lifeboat-backup/lifeboat/format"
)

// fdTimes is false where a file's times are set by its name after it is
// written (place).
const fdTimes = false

func setFileTime(*os.File, format.Time) error { return errors.ErrUnsupported }

// writebackChunk and startWriteback: only Linux is asked to start writing
// early.
const writebackChunk = 1 << 62

func startWriteback(*os.File, int64, int64) {}
