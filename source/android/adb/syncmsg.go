package adb

import (
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"time"
)

// The sync messages' readers: every length read is bounded before
// anything is allocated (DATA and FAIL by maxSyncData, names by maxName).

// goMode converts a Linux st_mode.
func goMode(m uint32) fs.FileMode {
	mode := fs.FileMode(m & 0o777)
	if m&0o4000 != 0 {
		mode |= fs.ModeSetuid
	}
	if m&0o2000 != 0 {
		mode |= fs.ModeSetgid
	}
	if m&0o1000 != 0 {
		mode |= fs.ModeSticky
	}
	switch m & 0o170000 {
	case 0o100000:
	case 0o040000:
		mode |= fs.ModeDir
	case 0o120000:
		mode |= fs.ModeSymlink
	case 0o010000:
		mode |= fs.ModeNamedPipe
	case 0o140000:
		mode |= fs.ModeSocket
	case 0o020000:
		mode |= fs.ModeDevice | fs.ModeCharDevice
	case 0o060000:
		mode |= fs.ModeDevice
	default:
		mode |= fs.ModeIrregular
	}
	return mode
}

// readStat reads a STAT (16 bytes) or STA2/LST2 (72 bytes) answer and
// returns the entry and the device's errno (always 0 for v1).
func readStat(r io.Reader, id string) (Entry, uint32, error) {
	le := binary.LittleEndian
	if id == "STAT" {
		var b [16]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return Entry{}, 0, err
		}
		if string(b[:4]) != "STAT" {
			return Entry{}, 0, fmt.Errorf("%w: %q answered %q", errProtocol, id, b[:4])
		}
		return Entry{Mode: v1Mode(le.Uint32(b[4:])), Size: int64(le.Uint32(b[8:])),
			MTime: time.Unix(int64(le.Uint32(b[12:])), 0)}, 0, nil
	}
	var b [72]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return Entry{}, 0, err
	}
	if string(b[:4]) != id {
		return Entry{}, 0, fmt.Errorf("%w: %q answered %q", errProtocol, id, b[:4])
	}
	e, errno := stat2(b[4:])
	return e, errno, nil
}

// v1Mode is goMode, except that v1's all-zero "missing" mode stays 0.
func v1Mode(m uint32) fs.FileMode {
	if m == 0 {
		return 0
	}
	return goMode(m)
}

// stat2 decodes the 68 bytes after a stat_v2 id: error, dev, ino, mode,
// nlink, uid, gid, size, atime, mtime, ctime.
func stat2(b []byte) (Entry, uint32) {
	le := binary.LittleEndian
	errno := le.Uint32(b[0:])
	size := le.Uint64(b[36:])
	if size > 1<<62 {
		size = 1 << 62
	}
	return Entry{Mode: goMode(le.Uint32(b[20:])), Size: int64(size),
		MTime: time.Unix(int64(le.Uint64(b[52:])), 0)}, errno
}

// failErr is a FAIL answer read where a data message was expected.
type failErr struct{ msg string }

func (e *failErr) Error() string { return e.msg }

// readFail reads a FAIL's message of n bytes (bounded by maxSyncData).
func readFail(r io.Reader, n uint32) error {
	if n > maxSyncData {
		return fmt.Errorf("%w: FAIL message of %d bytes", errProtocol, n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return err
	}
	return &failErr{string(b)}
}

// readDent reads one DENT (20-byte header) or DNT2 (76-byte header) and
// its name, or the DONE that ends a listing.
func readDent(r io.Reader, v2 bool) (e Entry, errno uint32, done bool, err error) {
	le := binary.LittleEndian
	var hb [76]byte
	h := hb[:20]
	if v2 {
		h = hb[:]
	}
	if _, err := io.ReadFull(r, h[:8]); err != nil {
		return e, 0, false, err
	}
	if string(h[:4]) == "FAIL" {
		return e, 0, false, readFail(r, le.Uint32(h[4:]))
	}
	if _, err := io.ReadFull(r, h[8:]); err != nil {
		return e, 0, false, err
	}
	want := "DENT"
	if v2 {
		want = "DNT2"
	}
	switch string(h[:4]) {
	case "DONE":
		return e, 0, true, nil
	case want:
	default:
		return e, 0, false, fmt.Errorf("%w: %q in a listing", errProtocol, h[:4])
	}
	var n uint32
	if v2 {
		e, errno = stat2(h[4:72])
		n = le.Uint32(h[72:])
	} else {
		e = Entry{Mode: goMode(le.Uint32(h[4:])), Size: int64(le.Uint32(h[8:])), MTime: time.Unix(int64(le.Uint32(h[12:])), 0)}
		n = le.Uint32(h[16:])
	}
	if n > maxName {
		return e, 0, false, fmt.Errorf("%w: name of %d bytes", errProtocol, n)
	}
	name := make([]byte, n)
	if _, err := io.ReadFull(r, name); err != nil {
		return e, 0, false, err
	}
	e.Name = string(name)
	return e, errno, false, nil
}
