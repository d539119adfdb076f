//go:build unix

package restore

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/lifeboat-backup/lifeboat/format"
)

// setXAttrs gives an open file or folder its extended attributes. The
// user namespace is what restore promises: when the target refuses it
// (no xattr support), the item is counted in refused. Other namespaces
// (security, trusted, system) are set where the process may, and skipped
// quietly where it may not. File capabilities are never set.
func setXAttrs(f *os.File, xs []format.XAttr, rel string, refused *xattrRefusals) error {
	fd := int(f.Fd())
	for _, x := range xs {
		if x.Name == fileCaps {
			continue
		}
		err := unix.Fsetxattr(fd, x.Name, x.Value, 0)
		switch {
		case err == nil:
		case !strings.HasPrefix(x.Name, "user."):
			// not ours to insist on
		case errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EPERM):
			refused.add(rel)
			return nil
		default:
			return fmt.Errorf("extended attribute %.40q: %w", x.Name, err)
		}
	}
	return nil
}
