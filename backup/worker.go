package backup

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"time"

	"github.com/lifeboat-backup/lifeboat/chunker"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/source"
)

// maxPIMFile is the largest vCard/iCalendar file cut at record boundaries;
// larger ones are chunked like any file.
const maxPIMFile = 64 << 20

// headSize is how much of a file Classify sees.
const headSize = 4096

// fileJob is one file for a worker; the walker waits on done.
type fileJob struct {
	rel    string
	fi     fs.FileInfo
	cached *cacheEntry // the last backup's entry, or nil
	res    fileResult
	ok     bool
	done   func()
}

// fileResult is what saving a file produced.
type fileResult struct {
	node format.Node
	ids  []format.ID // every blob the node refers to, for the cache
	enc  []byte      // node encoded (format.EncodeNode), when the cache gave it
	cut  cut         // whether a tree blob ends after this file (nameBoundary)
	read int64
	// fi is the file's status when it was read (nil from the cache), and
	// changed says the file changed while it was read.
	fi      fs.FileInfo
	changed bool
	// malformed counts records that could not be fully read, and
	// xattrErr says why extended attributes could not be read: both are
	// reported for the read that is kept.
	malformed int
	xattrErr  error
	recs      []ident   // the identities of its records (see people.go)
	memo      []recMemo // what parsing its records gave, for the cache
}

func (b *backuper) worker() {
	p := b.sess.NewPacker(b.ctx)
	defer p.Abort()
	var buf []byte // sized to the largest file read yet (fitBuffer)
	for job := range b.jobs {
		if b.ctx.Err() == nil {
			b.doFile(p, job, &buf)
		}
		job.done()
	}
	if err := p.Flush(); err != nil {
		b.fail(err)
	}
}

func (b *backuper) doFile(p *repo.Packer, job *fileJob, buf *[]byte) {
	res, err := b.saveFile(p, job, buf)
	var ie *itemErr
	switch {
	case errors.As(err, &ie) && errors.Is(ie.err, ErrSource):
		// The source itself went away (a phone unplugged): nothing of
		// it is committed.
		b.fail(fmt.Errorf("%s: %w", b.name, ie.err))
		b.fileDone(job, FileFailed)
	case errors.As(err, &ie):
		b.itemError(job.rel, ie.err)
		b.fileDone(job, FileFailed)
	case err != nil:
		b.fail(err)
	default:
		job.res, job.ok = res, true
		if res.changed {
			b.changed(job.rel, changedError(maxReads))
		}
		if res.malformed > 0 {
			b.warning(job.rel, res.malformed)
		}
		if res.xattrErr != nil {
			b.note(job.rel, res.xattrErr)
		}
		b.count(job.rel, res, res.read)
		status := FileNew
		if job.cached != nil {
			status = FileChanged
		}
		b.fileDone(job, status)
	}
}

// eofReader is at its end.
type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// itemErr marks a failure of one source item, as opposed to the repository.
type itemErr struct{ err error }

func (e *itemErr) Error() string { return e.err.Error() }

// saveFile stores a file, reading it again while it changes during the
// read (up to maxReads times); a file that keeps changing is stored as read
// last, and fileResult.changed says so.
func (b *backuper) saveFile(p *repo.Packer, job *fileJob, buf *[]byte) (fileResult, error) {
	for n := 1; ; n++ {
		res, err := b.readFile(p, job, buf)
		if err != nil || !res.changed {
			return res, err
		}
		if n == maxReads {
			return res, nil
		}
		select {
		case <-b.ctx.Done():
			return fileResult{}, b.ctx.Err()
		case <-time.After(rereadPause):
		}
	}
}

// readFile reads and stores a file once, start to end: its head (the
// first headSize bytes) decides how it is cut, then what was read and the
// rest go to the cutter. The node takes the file's status from when it
// was opened; fileResult.changed is set when that status differs after
// the read.
func (b *backuper) readFile(p *repo.Packer, job *fileJob, buf *[]byte) (fileResult, error) {
	f, err := b.tree.Open(job.rel)
	if err != nil {
		return fileResult{}, &itemErr{err: unwrapPath(err)}
	}
	defer f.Close()
	before, err := f.Stat()
	if err != nil {
		return fileResult{}, &itemErr{err: unwrapPath(err)}
	}
	// The file's start is read into the buffer it is cut from, as much as
	// fits: a small file whole, in one read (a file over 4 KiB took two
	// when the head had a buffer of its own). The rest follows with no
	// seek, so that a source whose files are streams reads each once. A
	// file shorter than the buffer has been read to its end: reading it
	// once more would only return EOF again. A file that grows meanwhile
	// is told by its status after the read, and read again.
	*buf = fitBuffer(*buf, before.Size(), b.params.Max)
	n, err := io.ReadFull(f, *buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return fileResult{}, &itemErr{err: unwrapPath(err)}
	}
	var rest io.Reader = f
	if err != nil {
		rest = eofReader{}
	}
	head := (*buf)[:n]
	kind := pim.Classify(path.Base(job.rel), head[:min(n, headSize)])
	compress := kind != pim.KindMedia
	_, raw := f.(source.RawFile)
	var seal []byte
	if sf, ok := f.(source.SealedFile); ok {
		seal = bytes.Clone(sf.SealKey()) // the file may clear its own on Close
	}
	if raw {
		kind = pim.KindOther // counted where the source gives it understood
	}
	var ids, extra []format.ID
	var malformed int
	var recs []ident
	var memo []recMemo
	var counts format.Counts
	var read int64
	var patch format.Ref
	if (kind == pim.KindVCard || kind == pim.KindICal) && before.Size() <= maxPIMFile {
		var rr recordsResult
		var old []recMemo
		if job.cached != nil {
			old = job.cached.Memo
		}
		rr, err = b.saveRecords(p, head, rest, before.Size(), kind, old)
		ids, counts, read, patch, extra, recs, memo = rr.ids, rr.counts, rr.read, rr.patch, rr.patchIDs, rr.recs, rr.memo
		malformed = rr.malformed
		if errors.Is(err, errGrew) {
			// The file grew past the record-cutting limit since it was
			// listed: store it whole, like any file (and count it so).
			kind, counts, recs, memo = pim.KindOther, format.Counts{}, nil, nil
			ids, read, err = b.saveChunks(p, io.MultiReader(bytes.NewReader(rr.data), rest), 0, true, buf, int64(len(rr.data)))
		}
	} else {
		ids, read, err = b.saveChunks(p, rest, n, compress, buf, before.Size())
	}
	if err != nil {
		return fileResult{}, err
	}
	ref, seqs, err := p.SaveRef(ids)
	if err != nil {
		return fileResult{}, err
	}
	after, err := f.Stat()
	if err != nil {
		return fileResult{}, &itemErr{err: unwrapPath(err)}
	}
	node := fileNode(before)
	node.Name, node.Sparse = job.fi.Name(), sparse(before)
	var xerr error
	if node.XAttrs, xerr = readXAttrs(b.fileXAttrs(f, job.rel)); xerr != nil {
		xerr = fmt.Errorf("extended attributes not read: %w", unwrapPath(xerr))
	}
	node.Size, node.Kind, node.Counts, node.Content, node.Patch = uint64(read), uint8(kind), counts, ref, patch
	if seal != nil {
		node.Size, node.Seal = format.SealedSize(uint64(read)), seal
	}
	return fileResult{node: node, ids: append(append(ids, seqs...), extra...), read: read, fi: before, recs: recs, cut: b.cutAfter(node.Name),
		changed: !unchanged(before, after, b.tree, job.rel), malformed: malformed, xattrErr: xerr, memo: memo}, nil
}

// saveChunks cuts a file of about size bytes with content-defined
// chunking, reading into *buf, which it fits to the file (fitBuffer). The
// first filled bytes of *buf are the file's start, read already; f is the
// rest.
func (b *backuper) saveChunks(p *repo.Packer, f io.Reader, filled int, compress bool, buf *[]byte, size int64) ([]format.ID, int64, error) {
	if filled == 0 {
		*buf = fitBuffer(*buf, size, b.params.Max)
	}
	c := chunker.NewFilled(f, b.table, b.params, *buf, filled)
	defer func() { *buf = c.Buffer() }() // grown, if the file grew
	var ids []format.ID
	var read int64
	for {
		chunk, err := c.Next()
		if err == io.EOF {
			return ids, read, nil
		}
		if err != nil {
			return nil, 0, &itemErr{err: unwrapPath(err)}
		}
		read += int64(len(chunk))
		id := b.r.BlobID(chunk)
		if _, err := p.Add(format.BlobData, id, chunk, compress); err != nil {
			return nil, 0, err
		}
		ids = append(ids, id)
	}
}

// saveRecords cuts a vCard or iCalendar file at record boundaries, so one
// edited contact stores one contact's worth of data, and keeps volatile
// lines apart as a patch. Every byte is kept.
func (b *backuper) saveRecords(p *repo.Packer, head []byte, rest io.Reader, size int64, kind pim.Kind, old []recMemo) (recordsResult, error) {
	data, err := readWhole(head, rest, size)
	if err != nil {
		return recordsResult{}, &itemErr{err: unwrapPath(err)}
	}
	if len(data) > maxPIMFile {
		return recordsResult{data: data}, errGrew
	}
	pieces := pim.Split(kind, data)
	stable, ins := splitVolatile(data, pieces)
	res := recordsResult{read: int64(len(data))}
	for _, piece := range stable {
		for len(piece) > 0 {
			n := len(piece)
			if n > b.params.Avg {
				n = chunker.Cut(b.table, b.params, piece)
			}
			id := b.r.BlobID(piece[:n])
			if _, err := p.Add(format.BlobData, id, piece[:n], true); err != nil {
				return recordsResult{}, err
			}
			res.ids = append(res.ids, id)
			piece = piece[n:]
		}
	}
	if len(ins) > 0 {
		res.patch, res.patchIDs, err = b.savePatch(p, bytes.Join(stable, nil), ins)
		if err != nil {
			return recordsResult{}, err
		}
	}
	res.malformed, res.recs, res.memo = b.readRecords(data, pieces, old)
	c := pim.Count(pieces)
	res.counts = format.Counts{Contacts: uint32(c.Contacts), Events: uint32(c.Events),
		Todos: uint32(c.Todos), Journals: uint32(c.Journals), FreeBusy: uint32(c.FreeBusy)}
	return res, nil
}

// readWhole returns a copy of head followed by the rest of the file, at
// most maxPIMFile+1 bytes in all, in a buffer sized to the file's listed
// size: io.ReadAll, growing from 512 bytes, allocated about 5 MB (memory
// profile) for a 1.3 MB contacts file that head already held whole.
func readWhole(head []byte, rest io.Reader, size int64) ([]byte, error) {
	size = min(max(size, int64(len(head))), maxPIMFile+1)
	w := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	w.Write(head)
	_, err := w.ReadFrom(io.LimitReader(rest, maxPIMFile+1-int64(len(head))))
	return w.Bytes(), err
}

// errGrew says a vCard or iCalendar file grew past maxPIMFile while it was
// read.
var errGrew = errors.New("file grew past the record-cutting limit")

type recordsResult struct {
	// data is what was read when the file grew past maxPIMFile.
	data      []byte
	malformed int
	ids       []format.ID
	patch     format.Ref
	patchIDs  []format.ID
	counts    format.Counts
	recs      []ident
	memo      []recMemo
	read      int64
}

func (b *backuper) count(rel string, res fileResult, read int64) {
	n := res.node
	b.mu.Lock()
	defer b.mu.Unlock()
	b.colls.add(rel, n)
	if k := pim.Kind(n.Kind); k == pim.KindVCard || k == pim.KindICal {
		b.files[rel] = n.Counts.Contacts + n.Counts.Events + n.Counts.Todos + n.Counts.Journals
	}
	s := &b.stats
	s.Files++
	s.Bytes += n.Size
	s.BytesRead += uint64(read)
	b.countRecords(n, res.recs)
	switch pim.Kind(n.Kind) {
	case pim.KindMedia:
		b.countMedia(n)
	case pim.KindOther:
		s.Other++
	}
}

// unwrapPath drops the absolute path from an os error: reports name the
// item by its path in the source already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	// ErrSource stays: it stops the backup (the source itself is gone).
	if errors.As(err, &pe) && !errors.Is(err, ErrSource) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// streamBuffer is the largest buffer fitBuffer gives: a file larger than
// it is read in pieces of about its size, and chunks are cut from its
// front while the rest is read (the chunker grows it for a chunk that does
// not fit, which few do: chunks average 256 KiB in new repositories, 1 MiB
// in the oldest). A buffer of the largest chunk plus a MiB, 9 MiB, read
// photos whole, but each worker's first touch of each new buffer is a page
// fault the kernel pays to zero a page: 15,000 faults, a sixth of the CPU
// of the benchmark's +5% run (25 photos, 105 MiB), against 8,000 and 10%
// less CPU with 2 MiB. Data read into a buffer of 2 MiB is still in the
// cache when it is hashed and sealed.
const streamBuffer = 2 << 20

// fitBuffer returns buf if it can hold a file of size bytes whole (and
// see its end in the same read), else a larger buffer: the size rounded
// up to 64 KiB, at most streamBuffer or, if smaller, maxChunk plus a MiB.
// A worker keeps the largest buffer it needed: small files cost small
// buffers (three workers held 27 MB of 9 MiB buffers for files of 4 KiB),
// and what one large file made is reused for the next. A new buffer is
// at least twice the old one (up to that largest size): photos in random
// order of size took a new buffer at each larger one.
func fitBuffer(buf []byte, size int64, maxChunk int) []byte {
	largest := min(int64(maxChunk)+1<<20, streamBuffer)
	want := largest
	if size < largest {
		want = min((size+1+64<<10-1)&^(64<<10-1), largest)
	}
	if int64(cap(buf)) >= want {
		return buf[:cap(buf)]
	}
	return make([]byte, min(max(want, 2*int64(cap(buf))), largest))
}
