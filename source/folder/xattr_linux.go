package folder

import "golang.org/x/sys/unix"

// ListXAttr lists the extended attributes of name, not following a
// symlink.
func (t *Tree) ListXAttr(name string, dest []byte) (int, error) {
	if err := t.known("listxattr", name); err != nil {
		return 0, err
	}
	return unix.Llistxattr(t.abs(name), dest)
}

// GetXAttr reads one extended attribute of name, not following a symlink.
func (t *Tree) GetXAttr(name, attr string, dest []byte) (int, error) {
	if err := t.known("getxattr", name); err != nil {
		return 0, err
	}
	return unix.Lgetxattr(t.abs(name), attr, dest)
}
