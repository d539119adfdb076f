package backup

import (
	"io/fs"

	"github.com/lifeboat-backup/lifeboat/format"
)

// On Windows lifeboat keeps no hard links, holes or extended attributes:
// each file is stored whole, on its own.

func (b *backuper) linkID(fs.FileInfo) uint64 { return 0 }

func sparse(fs.FileInfo) bool { return false }

func (b *backuper) fileXAttrs(fs.File, string) xattrSource { return xattrSource{} }

func (b *backuper) pathXAttrs(string) xattrSource { return xattrSource{} }

func readXAttrs(xattrSource) ([]format.XAttr, error) { return nil, nil }
