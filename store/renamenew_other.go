//go:build !linux

package store

// renameNew renames src to dst unless dst exists (fs.ErrExist).
func renameNew(src, dst string) error { return linkNew(src, dst) }
