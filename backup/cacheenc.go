package backup

import (
	"encoding/binary"
	"errors"
	"hash/crc32"

	"github.com/lifeboat-backup/lifeboat/format"
)

// The cache's records are a plain binary layout, not gob: gob sends its
// type descriptions again with every folder record, and decoding them
// cost more than the lookups a re-run makes. Each record ends with a
// CRC-32C of its bytes, so a torn or bit-flipped cache is dropped, never
// misread.
//
//	folder record: uvarint count, then per entry
//	  bytes name, varint size, varint mtime, varint ctime, uvarint ino,
//	  bytes node, uvarint n + n×32 bytes of blob ids, uvarint n + n uvarint recs,
//	  1 byte cut (0 unknown, 1 no, 2 yes: see nameBoundary),
//	  uvarint n + n × (16 bytes digest, uvarint ident, 1 byte malformed)
//	table: uvarint count, then per folder bytes name, uvarint off, uvarint len,
//	  then uvarint count and per index file bytes name (the repository's
//	  index files when the cache was written; a table without them is read
//	  as from a cache that does not know them)
//	(bytes = uvarint length + the bytes); every record then 4 bytes CRC-32C.

var crcTable = crc32.MakeTable(crc32.Castagnoli)

var errBadRecord = errors.New("bad cache record")

func appendBytes(b, s []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

func sealRecord(b []byte, start int) []byte {
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b[start:], crcTable))
}

// appendEntries appends one folder's record to b.
func appendEntries(b []byte, entries []cacheEntry) []byte {
	start := len(b)
	b = binary.AppendUvarint(b, uint64(len(entries)))
	for i := range entries {
		e := &entries[i]
		b = appendBytes(b, []byte(e.Name))
		b = binary.AppendVarint(b, e.Size)
		b = binary.AppendVarint(b, e.MTime)
		b = binary.AppendVarint(b, e.CTime)
		b = binary.AppendUvarint(b, e.Ino)
		b = appendBytes(b, e.Node)
		b = binary.AppendUvarint(b, uint64(len(e.IDs)))
		for _, id := range e.IDs {
			b = append(b, id[:]...)
		}
		b = binary.AppendUvarint(b, uint64(len(e.Recs)))
		for _, r := range e.Recs {
			b = binary.AppendUvarint(b, uint64(r))
		}
		b = append(b, byte(e.Cut))
		b = binary.AppendUvarint(b, uint64(len(e.Memo)))
		for _, m := range e.Memo {
			b = append(b, m.Sum[:]...)
			b = binary.AppendUvarint(b, uint64(m.ID))
			b = append(b, boolByte(m.Bad))
		}
	}
	return sealRecord(b, start)
}

// appendTable appends the table of folder records and the names of the
// index files to b.
func appendTable(b []byte, dirs *folderTable, indexFiles []string) []byte {
	start := len(b)
	b = binary.AppendUvarint(b, uint64(dirs.len()))
	for i := range dirs.ents {
		e := &dirs.ents[i]
		b = appendBytes(b, dirs.name(e))
		b = binary.AppendUvarint(b, uint64(e.sp.Off))
		b = binary.AppendUvarint(b, uint64(e.sp.Len))
	}
	b = binary.AppendUvarint(b, uint64(len(indexFiles)))
	for _, name := range indexFiles {
		b = appendBytes(b, []byte(name))
	}
	return sealRecord(b, start)
}

// reader decodes a record; the first error sticks and every later read
// gives zero values.
type reader struct {
	b   []byte
	err error
}

// open checks a record's CRC and returns a reader of its body.
func openRecord(b []byte) *reader {
	if len(b) < 4 {
		return &reader{err: errBadRecord}
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, crcTable) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return &reader{err: errBadRecord}
	}
	return &reader{b: body}
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errBadRecord
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errBadRecord
		return 0
	}
	r.b = r.b[n:]
	return v
}

// bytes returns the next n bytes, aliasing the record.
func (r *reader) bytes(n uint64) []byte {
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errBadRecord
		return nil
	}
	s := r.b[:n:n]
	r.b = r.b[n:]
	return s
}

// count reads a count of items of at least min bytes each, refusing one
// the rest of the record cannot hold.
func (r *reader) count(min int) int {
	n := r.uvarint()
	if n > uint64(len(r.b)/min) {
		r.err = errBadRecord
		return 0
	}
	return int(n)
}

// decodeEntries decodes a folder record; the entries' Node bytes alias b.
func decodeEntries(b []byte) ([]cacheEntry, error) {
	r := openRecord(b)
	entries := make([]cacheEntry, r.count(10))
	var ids []format.ID
	for i := range entries {
		e := &entries[i]
		e.Name = string(r.bytes(r.uvarint()))
		e.Size, e.MTime, e.CTime = r.varint(), r.varint(), r.varint()
		e.Ino = r.uvarint()
		e.Node = r.bytes(r.uvarint())
		n := r.count(len(format.ID{}))
		if n > 0 {
			if len(ids) < n {
				ids = make([]format.ID, max(n, 64))
			}
			e.IDs, ids = ids[:n:n], ids[n:]
			for j := range e.IDs {
				copy(e.IDs[j][:], r.bytes(uint64(len(format.ID{}))))
			}
		}
		if n := r.count(1); n > 0 {
			e.Recs = make([]ident, n)
			for j := range e.Recs {
				e.Recs[j] = ident(r.uvarint())
			}
		}
		if c := r.bytes(1); c != nil {
			e.Cut = cut(c[0])
		}
		if n := r.count(recSumLen + 2); n > 0 {
			e.Memo = make([]recMemo, n)
			for j := range e.Memo {
				m := &e.Memo[j]
				copy(m.Sum[:], r.bytes(recSumLen))
				m.ID = ident(r.uvarint())
				if bad := r.bytes(1); bad != nil {
					m.Bad = bad[0] != 0
				}
			}
		}
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = errBadRecord
	}
	return entries, r.err
}

// decodeTable decodes the table of folder records and the names of the
// index files (nil from a table written before they were kept).
func decodeTable(b []byte) (folderTable, []string, error) {
	r := openRecord(b)
	n := r.count(3)
	dirs := folderTable{names: make([]byte, 0, len(b)), ents: make([]tableEnt, 0, n)}
	for range n {
		name := r.bytes(r.uvarint())
		dirs.add(name, span{int64(r.uvarint()), int64(r.uvarint())})
	}
	dirs.sort()
	var files []string
	if r.err == nil && len(r.b) != 0 {
		files = make([]string, r.count(1))
		for i := range files {
			files[i] = string(r.bytes(r.uvarint()))
		}
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = errBadRecord
	}
	if r.err != nil {
		return folderTable{}, nil, r.err
	}
	return dirs, files, nil
}
