package archive

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strings"
)

// zipPart is a zip read through archive/zip on the file itself: every
// entry is opened where it lies, in any order, at no extra cost.
type zipPart struct {
	z *zip.Reader
}

// indexZip adds a zip's entries to the tree. A backslash is a separator
// (the format says forward slashes; Windows tools write backslashes).
func (t *Tree) indexZip(part int, ra io.ReaderAt, size int64) error {
	if n, ok := zipCount(ra, size); ok && n > MaxEntries {
		return ErrTooMany
	}
	z, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if len(z.File) > MaxEntries {
		return ErrTooMany
	}
	t.parts = append(t.parts, zipPart{z})
	for i, f := range z.File {
		name := strings.ReplaceAll(f.Name, `\`, "/")
		n := &node{mtime: f.Modified, part: part, off: int64(i)}
		mode := f.Mode()
		switch {
		case strings.HasSuffix(name, "/") || mode.IsDir():
			n.mode = fs.ModeDir | zipPerm(f, mode, 0o755) | 0o700
		case mode&fs.ModeSymlink != 0:
			target, err := zipLink(f)
			if err != nil {
				t.problem(name, err)
				continue
			}
			n.mode, n.target = fs.ModeSymlink|0o777, target
		case mode.IsRegular():
			n.mode = zipPerm(f, mode, 0o644)
			if f.UncompressedSize64 > math.MaxInt64 {
				t.problem(name, fmt.Errorf("%w: %d bytes", ErrSize, f.UncompressedSize64))
				continue
			}
			n.size = int64(f.UncompressedSize64)
			// The checksum tells the bytes apart, whatever else changed
			// in the archive.
			n.ver = mix(uint64(f.CRC32), f.CompressedSize64)
			if f.Flags&1 != 0 {
				n.err = ErrEncrypted
			}
		default:
			t.problem(name, fmt.Errorf("not a regular file, folder or symlink (%s)", mode.Type()))
			continue
		}
		if err := t.add(name, n); err != nil {
			return err
		}
	}
	return nil
}

// zipCount is the number of entries a zip's end records declare, read
// before archive/zip reads them all.
func zipCount(ra io.ReaderAt, size int64) (uint64, bool) {
	tail := min(size, 65535+22)
	b := make([]byte, tail)
	if _, err := ra.ReadAt(b, size-tail); err != nil {
		return 0, false
	}
	i := bytes.LastIndex(b, []byte("PK\x05\x06"))
	if i < 0 || len(b)-i < 22 {
		return 0, false
	}
	if n := binary.LittleEndian.Uint16(b[i+10:]); n != 0xffff {
		return uint64(n), true
	}
	// Zip64: a locator just before the end record points at the zip64
	// end record, which holds the count.
	if i < 20 || string(b[i-20:i-16]) != "PK\x06\x07" {
		return 0, false
	}
	off := int64(binary.LittleEndian.Uint64(b[i-20+8:]))
	var rec [56]byte
	if off < 0 || off > size-56 {
		return 0, false
	}
	if _, err := ra.ReadAt(rec[:], off); err != nil || string(rec[:4]) != "PK\x06\x06" {
		return 0, false
	}
	return binary.LittleEndian.Uint64(rec[32:]), true
}

// zipLink reads a symlink's target, at most MaxNameLen bytes.
func zipLink(f *zip.File) (string, error) {
	if f.Flags&1 != 0 {
		return "", ErrEncrypted
	}
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, MaxNameLen+1))
	if err != nil {
		return "", err
	}
	if len(b) > MaxNameLen {
		return "", fmt.Errorf("%w: symlink target longer than %d bytes", ErrName, MaxNameLen)
	}
	return string(b), nil
}

func (p zipPart) open(n *node) (readSeq, error) {
	f := p.z.File[n.off]
	if f.Flags&1 != 0 {
		return nil, ErrEncrypted
	}
	return f.Open()
}

// mix is a 64-bit hash of two numbers (splitmix64's finaliser).
func mix(a, b uint64) uint64 {
	x := a ^ (b + 0x9e3779b97f4a7c15 + a<<6 + a>>2)
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// Zip's "version made by" systems whose entries carry Unix permissions.
const (
	creatorUnix  = 3
	creatorMacOS = 19
)

// zipPerm is an entry's permission bits. An entry made elsewhere (MS-DOS
// or Windows, or any writer that records MS-DOS attributes) carries none: Go reads
// it as 0666, 0444 when read-only, 0777 for a folder, and it gets what
// unzip gives it under the usual umask, 022 off (0644, 0444, 0755), so
// that a restore makes no world-writable files and the archive's tree
// matches the folder unzip makes. An entry with no bits at all (another
// system, or a writer that leaves them 0) gets def.
func zipPerm(f *zip.File, mode fs.FileMode, def fs.FileMode) fs.FileMode {
	perm := mode.Perm()
	if c := f.CreatorVersion >> 8; c != creatorUnix && c != creatorMacOS {
		perm &^= 0o022
	}
	if perm == 0 {
		perm = def
	}
	return perm
}
