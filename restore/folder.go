package restore

import (
	"fmt"
	"os"
	"sync/atomic"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// folder is one folder of the target, opened once for all the files
// restored into it: each file is created, renamed and checked by its
// bare name relative to the folder, so no path is resolved again per
// file. The folder's os.Root still refuses to follow a symlink out of it.
// It is closed when the walk has left it and the last of its files is
// written.
type folder struct {
	root *os.Root
	refs atomic.Int32
}

// openFolder opens the target's folder rel, held once by the caller.
func (w *writer) openFolder(rel string) (*folder, error) {
	r, err := w.root.OpenRoot(rel)
	if err != nil {
		return nil, err
	}
	fo := &folder{root: r}
	fo.refs.Store(1)
	return fo, nil
}

func (fo *folder) hold() { fo.refs.Add(1) }

func (fo *folder) release() {
	if fo.refs.Add(-1) == 0 {
		fo.root.Close()
	}
}

// checkName refuses a name that is not one entry of its folder. Decoding
// a tree refuses such names already; this keeps a folder's bare-name
// operations safe on their own.
func checkName(name string) error {
	if !format.ValidName(name) {
		return fmt.Errorf("name %.40q is not a file name: %w", name, repo.ErrDamaged)
	}
	return nil
}
