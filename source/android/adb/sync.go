package adb

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"time"
)

// errPathLong is a request path adbd would refuse.
var errPathLong = fmt.Errorf("path over adbd's %d bytes", maxRequest)

// Sync protocol bounds (AOSP adb/file_sync_protocol.h: SYNC_DATA_MAX is
// 64 KiB; names are bounded here at PATH_MAX).
const (
	maxSyncData = 64 << 10
	maxName     = 4096
	maxRequest  = 1024 // adbd's handle_sync_command FAILs "path too long" past this
)

// maxList bounds the entries of one listing, so that a phone whose
// listing never ends (a hostile or broken device) cannot fill the memory:
// a million names is far more than any folder of photos holds.
var maxList = 1_000_000

// ErrTooMany is a listing longer than lifeboat reads; the Sync that got
// it is unusable.
var ErrTooMany = errors.New("more entries in one folder than lifeboat reads")

// Sync is one sync: connection. A Sync is not safe for concurrent use; open several for parallel pulls.
//
// adbd ends its sync service after every FAIL it sends (a file that
// vanished, one it may not read or write: file_sync_service.cpp), so a
// Sync that received one opens a new connection before its next call.
type Sync struct {
	d      *Device
	ctx    context.Context
	cn     *conn
	w      *bufio.Writer
	serial string
	v2stat bool
	v2ls   bool
	broken bool // an earlier call left the stream mid-message
	open   bool // a Recv reader is still reading
	failed bool // the device sent a FAIL and closed the service
	closed bool
}

// Entry is a file as the device describes it.
type Entry struct {
	Name  string      // base name (List) or the path asked for (Stat)
	Mode  fs.FileMode // Go mode: type bits (dir, symlink, regular, other) and permissions
	Size  int64
	MTime time.Time // whole seconds from the device
}

// Sync opens one sync: connection. A Sync is not safe for concurrent use; open several for parallel pulls.
// The connection lives until Close or until ctx is done.
func (d *Device) Sync(ctx context.Context) (*Sync, error) {
	cn, err := d.service(ctx, "sync:")
	if err != nil {
		return nil, err
	}
	return &Sync{d: d, ctx: ctx, cn: cn, w: bufio.NewWriterSize(cn, maxSyncData+8), serial: d.Serial,
		v2stat: d.Features["stat_v2"], v2ls: d.Features["ls_v2"]}, nil
}

// usable refuses calls on a broken Sync or while a Recv is unfinished,
// and reconnects after a FAIL.
func (s *Sync) usable() error {
	if s.closed {
		return errors.New("adb sync: closed")
	}
	if s.broken {
		return errBroken
	}
	if s.open {
		return errors.New("adb sync: the previous Recv is not finished")
	}
	if s.failed {
		s.cn.Close()
		cn, err := s.d.service(s.ctx, "sync:")
		if err != nil {
			s.broken = true
			return err
		}
		s.cn, s.failed = cn, false
		s.w.Reset(cn)
	}
	return nil
}

// fault wraps a failure of the connection, which leaves it unusable.
func (s *Sync) fault(op, path string, err error) error {
	if errors.Is(err, errPathLong) {
		return err // refused before sending: the connection is fine
	}
	s.broken = true
	s.cn.Close()
	if err := s.cn.ctx.Err(); err != nil {
		return err
	}
	return fmt.Errorf("%s %s on %s: %w", op, path, s.serial, gone(err))
}

// request sends one sync request: id, 32-bit length, path.
func (s *Sync) request(id, path string) error {
	if len(path) > maxRequest {
		return &fs.PathError{Op: id, Path: path, Err: fmt.Errorf("%w (%d bytes)", errPathLong, len(path))}
	}
	var h [8]byte
	copy(h[:], id)
	binary.LittleEndian.PutUint32(h[4:], uint32(len(path)))
	s.w.Write(h[:])
	s.w.WriteString(path)
	return s.w.Flush()
}

// Stat describes path without following a symlink: STA2/LST2 with stat_v2, STAT otherwise
// (whose 32-bit size is wrong over 4 GiB). A missing path is an error wrapping fs.ErrNotExist.
func (s *Sync) Stat(path string) (Entry, error) {
	if err := s.usable(); err != nil {
		return Entry{}, err
	}
	id := "STAT"
	if s.v2stat {
		id = "LST2"
	}
	if err := s.request(id, path); err != nil {
		return Entry{}, s.fault("stat", path, err)
	}
	e, errno, err := readStat(s.cn.r, id)
	if err != nil {
		return Entry{}, s.fault("stat", path, err)
	}
	e.Name = path
	if errno != 0 {
		return Entry{}, errnoError("stat", path, errno)
	}
	if id == "STAT" && e.Mode == 0 { // adbd's do_lstat_v1 sends a zeroed stat
		return Entry{}, &fs.PathError{Op: "stat", Path: path, Err: fs.ErrNotExist}
	}
	return e, nil
}

// List lists a folder without "." and "..", sorted by name: LIS2 with ls_v2, LIST otherwise.
// A missing folder wraps fs.ErrNotExist; an unreadable one fs.ErrPermission where the device says so.
//
// adbd answers a folder it cannot open with an empty listing (DONE at
// once, no error), in v1 and v2 alike, so an empty answer is checked with
// Stat: missing is fs.ErrNotExist, an EACCES from LST2 (locked storage)
// is fs.ErrPermission, a file is an error, and a folder that stats fine
// lists as empty (adbd gives no other sign). An entry whose lstat failed
// on the device (DNT2 with an errno) is left out.
func (s *Sync) List(dir string) ([]Entry, error) {
	if err := s.usable(); err != nil {
		return nil, err
	}
	id := "LIST"
	if s.v2ls {
		id = "LIS2"
	}
	if err := s.request(id, dir); err != nil {
		return nil, s.fault("list", dir, err)
	}
	var es []Entry
	n := 0
	for {
		e, errno, done, err := readDent(s.cn.r, id == "LIS2")
		if err != nil {
			var fe *failErr
			if errors.As(err, &fe) {
				s.failed = true
				return nil, failError("list", dir, fe.msg)
			}
			return nil, s.fault("list", dir, err)
		}
		if done {
			break
		}
		if n++; n > maxList {
			s.broken = true
			s.cn.Close()
			return nil, fmt.Errorf("list %s on %s: %w (over %d)", dir, s.serial, ErrTooMany, maxList)
		}
		if errno == 0 && e.Name != "." && e.Name != ".." {
			es = append(es, e)
		}
	}
	sort.Slice(es, func(i, j int) bool { return es[i].Name < es[j].Name })
	if len(es) == 0 {
		st, err := s.Stat(dir)
		if err != nil {
			return nil, err
		}
		if !st.Mode.IsDir() {
			return nil, &fs.PathError{Op: "list", Path: dir, Err: errors.New("not a folder")}
		}
	}
	return es, nil
}

// Recv streams a file's content (RECV). A FAIL from the device is an error wrapping
// fs.ErrNotExist for "No such file", fs.ErrPermission for "Permission denied". Closing the
// reader before EOF abandons the connection (the Sync then refuses further calls: open another).
// The FAIL of a file that cannot be opened comes before any data, so
// Recv returns it; a FAIL later (a read error on the device) ends the stream with it.
func (s *Sync) Recv(path string) (io.ReadCloser, error) {
	if err := s.usable(); err != nil {
		return nil, err
	}
	if err := s.request("RECV", path); err != nil {
		return nil, s.fault("recv", path, err)
	}
	rr := &recvReader{s: s, path: path}
	if err := rr.next(); err != nil {
		return nil, err
	}
	s.open = !rr.done
	return rr, nil
}

type recvReader struct {
	s      *Sync
	path   string
	left   uint32 // bytes left in the current DATA chunk
	done   bool
	err    error
	closed bool
}

// next reads the next chunk header: DATA, DONE or FAIL.
func (r *recvReader) next() error {
	var h [8]byte
	if _, err := io.ReadFull(r.s.cn.r, h[:]); err != nil {
		return r.s.fault("recv", r.path, err)
	}
	n := binary.LittleEndian.Uint32(h[4:])
	switch string(h[:4]) {
	case "DATA":
		if n > maxSyncData {
			return r.s.fault("recv", r.path, fmt.Errorf("%w: DATA of %d bytes", errProtocol, n))
		}
		r.left = n
	case "DONE":
		r.done = true
	case "FAIL":
		err := readFail(r.s.cn.r, n)
		var fe *failErr
		if !errors.As(err, &fe) {
			return r.s.fault("recv", r.path, err)
		}
		r.done, r.s.failed = true, true
		return failError("recv", r.path, fe.msg)
	default:
		return r.s.fault("recv", r.path, fmt.Errorf("%w: %q in a file", errProtocol, h[:4]))
	}
	return nil
}

func (r *recvReader) Read(b []byte) (int, error) {
	if r.closed {
		return 0, errBroken
	}
	for r.err == nil && !r.done && r.left == 0 {
		r.err = r.next()
	}
	if r.err != nil {
		r.s.open = false
		return 0, r.err
	}
	if r.done {
		r.s.open = false
		return 0, io.EOF
	}
	n, err := r.s.cn.r.Read(b[:min(len(b), int(r.left))])
	r.left -= uint32(n)
	if err != nil {
		r.err = r.s.fault("recv", r.path, err)
		r.s.open = false
		return n, r.err
	}
	return n, nil
}

// Close abandons the connection when the file was not read to its end.
func (r *recvReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if !r.done && r.err == nil {
		r.s.broken = true
		r.s.cn.Close()
	}
	r.s.open = false
	return nil
}

// Send writes r to path with mode and mtime (SEND "path,mode", DATA chunks of at most 64 KiB, DONE mtime).
// The mode sent is S_IFREG with mode's permission bits, as adb push sends
// it. A read error from r abandons the connection, as a FAIL does not.
func (s *Sync) Send(path string, mode fs.FileMode, mtime time.Time, r io.Reader) error {
	if err := s.usable(); err != nil {
		return err
	}
	spec := path + "," + strconv.FormatUint(uint64(0o100000|mode.Perm()), 10)
	if err := s.request("SEND", spec); err != nil {
		return s.fault("send", path, err)
	}
	buf := make([]byte, 8+maxSyncData)
	copy(buf, "DATA")
	for {
		n, rerr := io.ReadFull(r, buf[8:])
		if n > 0 {
			binary.LittleEndian.PutUint32(buf[4:], uint32(n))
			if _, err := s.w.Write(buf[:8+n]); err != nil {
				return s.fault("send", path, err)
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			s.broken = true
			s.cn.Close()
			return fmt.Errorf("send %s: %w", path, rerr)
		}
	}
	var done [8]byte
	copy(done[:], "DONE")
	binary.LittleEndian.PutUint32(done[4:], uint32(mtime.Unix()))
	s.w.Write(done[:])
	if err := s.w.Flush(); err != nil {
		return s.fault("send", path, err)
	}
	var h [8]byte
	if _, err := io.ReadFull(s.cn.r, h[:]); err != nil {
		return s.fault("send", path, err)
	}
	switch string(h[:4]) {
	case "OKAY":
		return nil
	case "FAIL":
		err := readFail(s.cn.r, binary.LittleEndian.Uint32(h[4:]))
		var fe *failErr
		if errors.As(err, &fe) {
			s.failed = true
			return failError("send", path, fe.msg)
		}
		return s.fault("send", path, err)
	}
	return s.fault("send", path, fmt.Errorf("%w: %q after DONE", errProtocol, h[:4]))
}

// Close ends the connection (QUIT).
func (s *Sync) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	if !s.broken && !s.failed && !s.open {
		s.request("QUIT", "")
	}
	s.cn.Close()
	return nil
}
