//go:build unix

package backup

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"sort"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/source"
)

// linkID returns, for a regular file with more than one hard link, the
// number its tree entries share within the snapshot, or 0. The number is
// a keyed hash of the inode, not an order of discovery: folders are
// walked in parallel, and an unchanged folder must encode to the same
// tree blob every time. Two inodes whose hashes meet (one pair in 2^64)
// get distinct numbers all the same.
func (b *backuper) linkID(fi fs.FileInfo) uint64 {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st.Nlink < 2 {
		return 0
	}
	k := inode{uint64(st.Dev), st.Ino}
	b.linkMu.Lock()
	defer b.linkMu.Unlock()
	if id, ok := b.links[k]; ok {
		return id
	}
	var key [16]byte
	binary.LittleEndian.PutUint64(key[:8], k.dev)
	binary.LittleEndian.PutUint64(key[8:], k.ino)
	h := b.r.BlobID(key[:])
	id := binary.LittleEndian.Uint64(h[:8])
	for id == 0 || b.linkTaken[id] {
		id++
	}
	b.links[k], b.linkTaken[id] = id, true
	return id
}

// sparse reports whether a file has holes: fewer blocks allocated than
// its size needs.
func sparse(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && st.Blocks*512 < st.Size
}

// fileXAttrs reads an open file's attributes by its descriptor where the
// source's file has one (a file on disk), else by name.
func (b *backuper) fileXAttrs(f fs.File, rel string) xattrSource {
	if fd, ok := f.(interface{ Fd() uintptr }); ok {
		fd := int(fd.Fd())
		return xattrSource{
			list: func(dest []byte) (int, error) { return unix.Flistxattr(fd, dest) },
			get:  func(name string, dest []byte) (int, error) { return unix.Fgetxattr(fd, name, dest) },
		}
	}
	return b.pathXAttrs(rel)
}

// pathXAttrs reads an entry's attributes by name, not following a
// symlink, where the source tree has them (source.XAttrTree); else none.
func (b *backuper) pathXAttrs(rel string) xattrSource {
	xt, ok := b.tree.(source.XAttrTree)
	if !ok {
		return xattrSource{list: func([]byte) (int, error) { return 0, nil }}
	}
	return xattrSource{
		list: func(dest []byte) (int, error) { return xt.ListXAttr(treePath(rel), dest) },
		get:  func(name string, dest []byte) (int, error) { return xt.GetXAttr(treePath(rel), name, dest) },
	}
}

// readXAttrs returns a file's extended attributes, sorted by name: every
// namespace the process can read (user, and security, trusted or system
// ones where it may). A filesystem without them gives none.
func readXAttrs(src xattrSource) ([]format.XAttr, error) {
	size, err := src.list(nil)
	if err != nil || size == 0 {
		return nil, ignoreNoXAttrs(err)
	}
	buf := make([]byte, size)
	size, err = src.list(buf)
	if err != nil {
		return nil, ignoreNoXAttrs(err)
	}
	var xs []format.XAttr
	for _, name := range splitNames(buf[:size]) {
		if len(xs) == format.MaxXAttrs || len(name) > format.MaxXAttrName {
			continue
		}
		v, err := getXAttr(src, name)
		if errors.Is(err, unix.ENODATA) {
			continue // removed since it was listed
		}
		if err != nil {
			return nil, err
		}
		if len(v) > format.MaxXAttrValue {
			continue
		}
		xs = append(xs, format.XAttr{Name: name, Value: v})
	}
	sort.Slice(xs, func(i, j int) bool { return xs[i].Name < xs[j].Name })
	return xs, nil
}

func getXAttr(src xattrSource, name string) ([]byte, error) {
	for {
		n, err := src.get(name, nil)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, nil
		}
		v := make([]byte, n)
		m, err := src.get(name, v)
		if errors.Is(err, unix.ERANGE) {
			continue // it grew meanwhile
		}
		if err != nil {
			return nil, err
		}
		return v[:m], nil
	}
}

func ignoreNoXAttrs(err error) error {
	if errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EOPNOTSUPP) {
		return nil
	}
	return err
}
