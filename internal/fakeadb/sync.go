package fakeadb

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// sync serves the sync protocol (SYNC.TXT, AOSP adb/file_sync_protocol.h)
// from the fixture folder: STAT, LSTA/STA2/LST2, LIST, LIS2, RECV, SEND, QUIT.
func (p *Phone) sync(s *stream) {
	r := bufio.NewReader(s)
	w := bufio.NewWriterSize(s, 64<<10)
	defer w.Flush()
	le := binary.LittleEndian
	for {
		var h [8]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return
		}
		id, n := string(h[:4]), le.Uint32(h[4:])
		if n > 4096 {
			return
		}
		pb := make([]byte, n)
		if _, err := io.ReadFull(r, pb); err != nil {
			return
		}
		path := string(pb)
		var err error
		switch id {
		case "STAT":
			fi, _ := p.lstat(path)
			put(w, "STAT", mode(fi), uint32(size(fi)), uint32(mtime(fi)))
		case "STA2", "LST2":
			fi, serr := p.lstat(path)
			w.Write(stat2(id, fi, serr))
		case "LIST", "LIS2":
			p.list(w, id, path)
		case "RECV":
			if p.opts.BeforeRecv != nil {
				w.Flush()
				p.opts.BeforeRecv(path)
			}
			if p.gone.Load() {
				return
			}
			if !p.recv(w, path) {
				return // adbd ends the sync service after a FAIL
			}
		case "SEND":
			err = p.recvFile(r, w, path)
		case "QUIT":
			return
		default:
			return
		}
		if err != nil || w.Flush() != nil {
			return
		}
	}
}

func (p *Phone) lstat(phone string) (fs.FileInfo, error) {
	host, err := p.path(phone)
	if err != nil {
		return nil, syscall.ENOENT
	}
	if p.opts.Locked {
		return nil, syscall.EACCES
	}
	return os.Lstat(host)
}

func put(w io.Writer, id string, v ...uint32) {
	b := []byte(id)
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	w.Write(b)
}

func mode(fi fs.FileInfo) uint32 {
	if fi == nil {
		return 0
	}
	m := uint32(fi.Mode().Perm())
	switch {
	case fi.IsDir():
		m |= syscall.S_IFDIR
	case fi.Mode()&fs.ModeSymlink != 0:
		m |= syscall.S_IFLNK
	default:
		m |= syscall.S_IFREG
	}
	return m
}

func size(fi fs.FileInfo) uint64 {
	if fi == nil {
		return 0
	}
	return uint64(fi.Size())
}

func mtime(fi fs.FileInfo) int64 {
	if fi == nil {
		return 0
	}
	return fi.ModTime().Unix()
}

// stat2 is the 72-byte stat_v2 answer: id, error, dev, ino, mode, nlink,
// uid, gid, size (64 bits), atime, mtime, ctime.
func stat2(id string, fi fs.FileInfo, err error) []byte {
	le := binary.LittleEndian
	b := []byte(id)
	var errno uint32
	if err != nil {
		errno = uint32(syscall.ENOENT)
		var e syscall.Errno
		if errors.As(err, &e) {
			errno = uint32(e)
		}
	}
	b = le.AppendUint32(b, errno)
	b = le.AppendUint64(b, 0)
	var ino uint64
	if st, ok := sysStat(fi); ok {
		ino = st.Ino
	}
	b = le.AppendUint64(b, ino)
	b = le.AppendUint32(b, mode(fi))
	b = le.AppendUint32(b, 1)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint64(b, size(fi))
	for range 3 {
		b = le.AppendUint64(b, uint64(mtime(fi)))
	}
	return b
}

func sysStat(fi fs.FileInfo) (*syscall.Stat_t, bool) {
	if fi == nil {
		return nil, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return st, ok
}

// list sends one DENT (LIST) or DNT2 (LIS2) per entry, sorted by name,
// then a DONE of the same size.
func (p *Phone) list(w io.Writer, id, phone string) {
	var ents []fs.DirEntry
	if host, err := p.path(phone); err == nil && !p.opts.Locked { // adbd: opendir fails, DONE at once
		ents, _ = os.ReadDir(host)
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
	le := binary.LittleEndian
	for _, e := range ents {
		fi, err := e.Info()
		if err != nil {
			continue
		}
		var b []byte
		if id == "LIST" {
			b = []byte("DENT")
			b = le.AppendUint32(b, mode(fi))
			b = le.AppendUint32(b, uint32(size(fi)))
			b = le.AppendUint32(b, uint32(mtime(fi)))
		} else {
			b = stat2("DNT2", fi, nil)
		}
		b = le.AppendUint32(b, uint32(len(e.Name())))
		w.Write(append(b, e.Name()...))
	}
	if id == "LIST" {
		w.Write(append([]byte("DONE"), make([]byte, 16)...))
	} else {
		w.Write(append([]byte("DONE"), make([]byte, 72)...))
	}
}

func fail(w io.Writer, msg string) {
	put(w, "FAIL", uint32(len(msg)))
	io.WriteString(w, msg)
}

// errFailed ends the sync service after a FAIL, as adbd's
// handle_sync_command does (file_sync_service.cpp).
var errFailed = errors.New("sync request failed")

// recv sends a file as DATA chunks of at most 64 KiB, then DONE; false
// after a FAIL.
func (p *Phone) recv(w io.Writer, phone string) bool {
	host, err := p.path(phone)
	var f *os.File
	if err == nil {
		f, err = os.Open(host)
	}
	if err == nil && p.opts.Locked {
		f.Close()
		err = syscall.EACCES
	}
	if err != nil { // adbd: SendSyncFailErrno(s, "open failed")
		fail(w, "open failed: "+strerror(err))
		return false
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			put(w, "DATA", uint32(n))
			if _, err := w.Write(buf[:n]); err != nil {
				return false
			}
			p.recvd.Add(int64(n))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fail(w, "read failed: "+err.Error())
			return false
		}
	}
	put(w, "DONE", 0)
	return true
}

// recvFile takes a SEND of "PATH,MODE": DATA chunks, then DONE with the
// mtime; parent folders are made as adbd does. A SEND that ends before
// its DONE (the connection dropped, a bad message) removes the file, as
// adbd's handle_send_file does (do_unlink, for a new or regular file), so
// that no half-written photo is left on the phone.
func (p *Phone) recvFile(r io.Reader, w io.Writer, spec string) (err error) {
	phone, modeStr := spec, ""
	if i := strings.LastIndexByte(spec, ','); i >= 0 { // SYNC.TXT: the last comma
		phone, modeStr = spec[:i], spec[i+1:]
	}
	m, _ := strconv.ParseUint(modeStr, 10, 32)
	host, perr := p.path(phone)
	var f *os.File
	if perr == nil {
		if perr = os.MkdirAll(filepath.Dir(host), 0o755); perr == nil {
			f, perr = os.OpenFile(host, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, fs.FileMode(m&0o777|0o600))
		}
	}
	defer func() {
		if err != nil && f != nil {
			f.Close()
			os.Remove(host)
		}
	}()
	for {
		var h [8]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return err
		}
		n := binary.LittleEndian.Uint32(h[4:])
		switch string(h[:4]) {
		case "DATA":
			var err error
			if f != nil {
				_, err = io.CopyN(f, r, int64(n))
			} else {
				_, err = io.CopyN(io.Discard, r, int64(n))
			}
			if err != nil {
				return err
			}
		case "DONE":
			if f == nil {
				fail(w, "couldn't create file: "+perr.Error())
				return errFailed
			}
			f.Close()
			t := time.Unix(int64(n), 0)
			os.Chtimes(host, t, t)
			put(w, "OKAY", 0)
			return nil
		default:
			fail(w, "invalid data message")
			return io.ErrUnexpectedEOF
		}
	}
}
