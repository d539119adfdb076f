package store

import (
	"errors"

	"golang.org/x/sys/unix"
)

// renameNew renames src to dst unless dst exists (fs.ErrExist), in one
// step: renameat2 with RENAME_NOREPLACE (ext4, xfs, btrfs, tmpfs, FAT,
// exFAT), else as linkNew (NFS).
func renameNew(src, dst string) error {
	err := unix.Renameat2(unix.AT_FDCWD, src, unix.AT_FDCWD, dst, unix.RENAME_NOREPLACE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.ENOTSUP) {
		return linkNew(src, dst)
	}
	return err
}
