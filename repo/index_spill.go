package repo

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"sync"

	"github.com/lifeboat-backup/lifeboat/format"
)

// spill is where a backup's blob table keeps its full chunks of records
// (see blobTable.append): an unnamed file, removed as soon as it is made, of
// 48-byte records at 48 times their number. A backup of 400,000 small
// files then holds about 11 bytes a blob (the slots) instead of 60, so
// that its memory stays nearly flat in the number of files; only a
// lookup that finds a blob reads the file, once.
//
// Nothing in it is new on this machine: blob ids and places, which the
// file cache holds too. A file that cannot be made or written leaves the
// records in memory; one that cannot be read back fails the session (Err)
// rather than answer a lookup wrongly. Each chunk's CRC-32C stays in
// memory: a chunk read back whole (always, for the session's index
// files) is checked against it.
type spill struct {
	dir    string // "": the table keeps every record in memory
	f      *os.File
	named  bool       // f could not be removed while open: remove it at close
	broken bool       // the file could not be made or written: no more spilling
	sums   []uint32   // per chunk, CRC-32C of its bytes in the file
	cmu    sync.Mutex // guards cache
	cache  spillCache
	mu     sync.Mutex
	err    error // the first failed read
}

const recSize = format.IDSize + 16

// on reports whether full chunks go to the file.
func (s *spill) on() bool { return s.dir != "" && !s.broken }

func encodeRec(b []byte, r *blobRec) {
	copy(b, r.id[:])
	binary.LittleEndian.PutUint32(b[32:], r.pack)
	binary.LittleEndian.PutUint32(b[36:], r.off)
	binary.LittleEndian.PutUint32(b[40:], r.lenTC)
	binary.LittleEndian.PutUint32(b[44:], r.rawLen)
}

func decodeRec(b []byte, r *blobRec) {
	copy(r.id[:], b)
	r.pack = binary.LittleEndian.Uint32(b[32:])
	r.off = binary.LittleEndian.Uint32(b[36:])
	r.lenTC = binary.LittleEndian.Uint32(b[40:])
	r.rawLen = binary.LittleEndian.Uint32(b[44:])
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// write writes chunk c to the file; false if it stays in memory.
func (s *spill) write(c uint32, chunk *[recChunk]blobRec) bool {
	if s.f == nil {
		f, err := os.CreateTemp(s.dir, "index-spill-*")
		if err != nil {
			s.broken = true
			return false
		}
		// Unnamed from now on: a crash leaves nothing behind. (Where an
		// open file cannot be removed, it is removed at close.)
		s.f, s.named = f, os.Remove(f.Name()) != nil
		s.cache.reset()
	}
	buf := make([]byte, recChunk*recSize)
	for i := range chunk {
		encodeRec(buf[i*recSize:], &chunk[i])
	}
	if _, err := s.f.WriteAt(buf, int64(c)*recChunk*recSize); err != nil {
		s.broken = true
		return false
	}
	for len(s.sums) <= int(c) {
		s.sums = append(s.sums, 0)
	}
	s.sums[c] = crc32.Checksum(buf, crcTable)
	return true
}

// readRaw reads written chunk c whole into buf and checks its sum.
func (s *spill) readRaw(c uint32, buf []byte) error {
	if _, err := s.f.ReadAt(buf, int64(c)*recChunk*recSize); err != nil {
		err = fmt.Errorf("read the index's spill file: %w", err)
		s.fail(err)
		return err
	}
	if crc32.Checksum(buf, crcTable) != s.sums[c] {
		err := errors.New("the index's spill file changed under the backup (bad disk or memory?)")
		s.fail(err)
		return err
	}
	return nil
}

func (s *spill) fail(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
}

// Err returns the first failed read.
func (s *spill) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// close closes and, if it still has its name, removes the file.
func (s *spill) close() {
	if s.f == nil {
		return
	}
	s.f.Close()
	if s.named {
		os.Remove(s.f.Name())
	}
	s.f, s.broken = nil, true
}

// spillTo makes the index keep its full chunks of records in a file in
// dir, or in os.TempDir if dir cannot be made (see spill).
func (ix *Index) spillTo(dir string) {
	if os.MkdirAll(dir, 0o700) != nil {
		dir = os.TempDir()
	}
	ix.mu.Lock()
	ix.blobs.spill.dir = dir
	ix.mu.Unlock()
}

// close removes the spill file; the index must not be used after.
func (ix *Index) close() {
	ix.mu.Lock()
	ix.blobs.spill.close()
	ix.mu.Unlock()
}
