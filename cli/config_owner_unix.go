//go:build unix

package cli

import (
	"io/fs"
	"os"
	"syscall"
)

// ownedByOther reports whether a file belongs to a user other than this
// one and root.
func ownedByOther(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && st.Uid != 0 && int(st.Uid) != os.Getuid()
}
