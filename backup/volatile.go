package backup

import (
	"bytes"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// Volatile lines (REV, DTSTAMP, PRODID, LAST-MODIFIED, sync noise) change
// on every sync or export while the records mean the same. Backup keeps
// them out of the record blobs and stores them as a patch (format.Insert)
// beside the file's content, so that a calendar export that refreshed
// every DTSTAMP stores a small patch, not every event again.

// stripVolatile returns a piece without its volatile lines, and the lines
// taken out with their offsets in the stripped piece.
func stripVolatile(piece []byte) (stable []byte, taken []span) {
	var out []byte
	for rest := piece; len(rest) > 0; {
		line, n := logicalLine(rest)
		if storageVolatile(line) {
			if out == nil {
				out = append(make([]byte, 0, len(piece)), piece[:len(piece)-len(rest)]...)
			}
			taken = append(taken, span{Off: int64(len(out)), Len: int64(n)})
			rest = rest[n:]
			continue
		}
		if out != nil {
			out = append(out, rest[:n]...)
		}
		rest = rest[n:]
	}
	if out == nil {
		return piece, nil
	}
	return out, taken
}

// logicalLine returns the first logical line (a line and its folded
// continuations) and its length with line terminators.
func logicalLine(b []byte) ([]byte, int) {
	n := lineLen(b)
	for n < len(b) && (b[n] == ' ' || b[n] == '\t') {
		n += lineLen(b[n:])
	}
	return b[:n], n
}

// lineLen is the length of the first physical line with its terminator
// (CRLF, LF, CR or CR CR LF).
func lineLen(b []byte) int {
	i := bytes.IndexAny(b, "\r\n")
	if i < 0 {
		return len(b)
	}
	if b[i] == '\n' {
		return i + 1
	}
	switch {
	case i+1 < len(b) && b[i+1] == '\n':
		return i + 2
	case i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n':
		return i + 3
	}
	return i + 1
}

// storageVolatile reports whether a logical line is a volatile property
// that backup stores apart. VERSION is left in place: it never changes,
// and every card has one. Quoted-printable lines are left in place too, so
// that no soft line break can join across a removed line.
func storageVolatile(line []byte) bool {
	end := bytes.IndexAny(line, ":")
	if end <= 0 {
		return false
	}
	head := line[:end]
	if bytes.Contains(bytes.ToUpper(head), []byte("QUOTED-PRINTABLE")) {
		return false
	}
	name := head
	if i := bytes.IndexByte(name, ';'); i >= 0 {
		name = name[:i]
	}
	up := string(bytes.ToUpper(bytes.TrimSpace(name)))
	if up == "" || up == "VERSION" || up == "BEGIN" || up == "END" {
		return false
	}
	return pim.Volatile(up)
}

// patchBoundary ends a patch blob after about one insert in 64, decided by
// the stable bytes before the insert, which a sync does not change.
const patchMask = 255

// savePatch stores inserts as patch blobs and returns their ref and ids.
func (b *backuper) savePatch(p *repo.Packer, stable []byte, ins []format.Insert) (format.Ref, []format.ID, error) {
	var ids []format.ID
	var pos uint64
	start := 0
	for i, in := range ins {
		pos += in.Delta
		from := max(0, int(pos)-16)
		last := i == len(ins)-1
		boundary := b.r.BlobID(stable[from:pos])[0]&patchMask == 0
		if !last && !boundary && i-start < 1023 {
			continue
		}
		blob := format.EncodePatch(ins[start : i+1])
		id := b.r.BlobID(blob)
		if _, err := p.Add(format.BlobData, id, blob, true); err != nil {
			return format.Ref{}, nil, err
		}
		ids = append(ids, id)
		start = i + 1
	}
	ref, seqs, err := p.SaveRef(ids)
	return ref, append(ids, seqs...), err
}

// splitVolatile strips the volatile lines of every piece of a file. It
// returns the stable pieces and the inserts that rebuild the file, or the
// pieces unchanged and no inserts when rebuilding would not give back the
// exact bytes.
func splitVolatile(data []byte, pieces []pim.Piece) ([][]byte, []format.Insert) {
	out := make([][]byte, len(pieces))
	var ins []format.Insert
	var stablePos, lastPos int64
	for i, pc := range pieces {
		stable, taken := stripVolatile(data[pc.Off : pc.Off+pc.Len])
		out[i] = stable
		src := data[pc.Off : pc.Off+pc.Len]
		srcPos := int64(0)
		for _, t := range taken {
			// bytes of src before this line = t.Off stable bytes + lines already taken
			at := stablePos + t.Off
			ins = append(ins, format.Insert{Delta: uint64(at - lastPos), Data: src[srcPos+t.Off : srcPos+t.Off+t.Len]})
			lastPos = at
			srcPos += t.Len
		}
		stablePos += int64(len(stable))
	}
	if len(ins) == 0 || !rebuilds(data, out, ins) {
		for i, pc := range pieces {
			out[i] = data[pc.Off : pc.Off+pc.Len]
		}
		return out, nil
	}
	return out, ins
}

// rebuilds checks that the stable pieces and inserts give back data.
func rebuilds(data []byte, stable [][]byte, ins []format.Insert) bool {
	var buf bytes.Buffer
	w := &format.PatchWriter{W: &buf, Ins: append([]format.Insert(nil), ins...)}
	for _, s := range stable {
		w.Write(s)
	}
	return w.Close() == nil && bytes.Equal(buf.Bytes(), data)
}
