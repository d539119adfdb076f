package restore

import (
	"os"

	"github.com/lifeboat-backup/lifeboat/format"
)

// setXAttrs does nothing on Windows, which has no extended attributes of
// this kind: a snapshot's are not restored there.
func setXAttrs(*os.File, []format.XAttr, string, *xattrRefusals) error { return nil }
