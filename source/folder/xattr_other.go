//go:build !linux

package folder

// ListXAttr reports no extended attributes where lifeboat does not read
// them (macOS, Windows).
func (t *Tree) ListXAttr(name string, dest []byte) (int, error) {
	if err := t.known("listxattr", name); err != nil {
		return 0, err
	}
	return 0, nil
}

// GetXAttr is never reached: ListXAttr names none.
func (t *Tree) GetXAttr(name, attr string, dest []byte) (int, error) {
	return 0, t.known("getxattr", name)
}
