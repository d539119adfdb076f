package backup

// Hard links, holes and extended attributes: what restore needs to give a
// file back as it was, beyond its bytes, mode and time.

// inode names a file on a machine.
type inode struct{ dev, ino uint64 }

// xattrSource reads the extended attributes of one file: by descriptor
// for an open file, by path (not following symlinks) for a folder.
type xattrSource struct {
	list func(dest []byte) (int, error)
	get  func(name string, dest []byte) (int, error)
}

func splitNames(b []byte) []string {
	var names []string
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] != 0 {
			i++
		}
		if i > 0 {
			names = append(names, string(b[:i]))
		}
		if i == len(b) {
			break
		}
		b = b[i+1:]
	}
	return names
}
