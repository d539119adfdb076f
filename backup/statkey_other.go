//go:build !linux && !darwin

package backup

import "io/fs"

// osStatKey has no inode change time here (Windows): the cache compares
// size and modification time only.
func osStatKey(fs.FileInfo) (ctime int64, ino uint64) { return 0, 0 }
