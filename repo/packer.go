package repo

import (
	"bytes"
	"context"
	"fmt"
	"hash"
	"io"
	"sync"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/store"
)

// PackTarget is the plaintext size at which a pack is closed.
const PackTarget = 16 << 20

// packMaxBlobs is the most blobs a pack holds: a pack of small files'
// blobs closes before PackTarget, so that the list a packer keeps of its
// open pack (56 bytes a blob) stays small. 16 MiB of 1.1 KiB blobs (text
// files of 1-4 KiB, compressed) were 15,000 blobs, and the lists of the
// open packs 9 MB of a 400,000-file backup's peak.
const packMaxBlobs = 1 << 13

// full reports whether the open pack is to be closed.
func (p *Packer) full() bool { return p.off >= PackTarget || p.list.n >= packMaxBlobs }

// Session collects what one backup writes, and commits it: packs first,
// then one index file, then the snapshot.
type Session struct {
	r     *Repository
	mu    sync.Mutex
	packs []sessionPack // in the index's records, not copied here
	added int64         // bytes of committed objects
	small []pendingBlob // blobs of packers that stayed small, packed at Commit
}

// pendingBlob is a blob held in memory until its pack is started.
type pendingBlob struct {
	entry   format.BlobEntry
	claim   uint32 // its claim's record (Index.claim), or noClaim
	payload []byte
}

// smallPack is how much a packer holds in memory before it starts a pack.
// Packers that never reach it hand their blobs to the session, which
// writes them all as one pack at Commit: a backup that changed one
// contact writes one pack, not one per worker.
const smallPack = 256 << 10

// NewSession starts writing. The repository must have the write key.
func (r *Repository) NewSession() *Session { return &Session{r: r} }

// Added returns the bytes this session has stored so far.
func (s *Session) Added() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.added
}

func (s *Session) packDone(pack format.ID, l *packList, size int64) {
	s.r.idx.ready()
	recs := s.r.idx.addClaimed(pack, l)
	s.mu.Lock()
	s.packs = append(s.packs, sessionPack{pack, recs})
	s.added += size
	s.mu.Unlock()
	s.r.idx.markFolder(pack)
}

// Packer streams blobs into packs. A Packer is used by one goroutine at a
// time; use one per worker so that workers never wait on each other.
type Packer struct {
	s       *Session
	ctx     context.Context
	w       store.Writer
	h       hash.Hash
	aw      *crypto.StreamWriter
	list    packList
	off     int64
	zbuf    []byte
	held    []pendingBlob // blobs before the pack is started
	heldLen int
	// repack stores blobs the index already has (prune moving them out
	// of a mostly unused pack).
	repack  bool
	assumed map[format.ID]bool // see Assume
}

// NewPacker returns a packer writing for the session.
func (s *Session) NewPacker(ctx context.Context) *Packer { return &Packer{s: s, ctx: ctx} }

// Assume tells the packer that the repository has the blobs ids, until
// the next call: Add takes them for duplicates without asking the index,
// which is then not loaded for them. The caller must know: a backup
// passes the blobs of a folder's last tree while its file cache says the
// index files it was written against are all still there (only prune
// removes index files, and what they list stays in packs until then).
// An unchanged re-run so never loads the index.
func (p *Packer) Assume(ids []format.ID) {
	clear(p.assumed)
	if len(ids) > 0 && p.assumed == nil {
		p.assumed = make(map[format.ID]bool, len(ids))
	}
	for _, id := range ids {
		p.assumed[id] = true
	}
}

// Add stores a blob unless the repository has it or another packer is
// storing it. compress asks for zstd, kept only when it saves space. It
// returns the stored size, 0 for a duplicate.
func (p *Packer) Add(typ format.BlobType, id format.ID, data []byte, compress bool) (int, error) {
	r := p.s.r
	if p.assumed[id] {
		return 0, nil
	}
	claim := noClaim
	if !p.repack {
		var ok bool
		if claim, ok = r.idx.claim(id); !ok {
			return 0, nil
		}
	}
	payload, comp := data, format.CompNone
	if compress && len(data) > 32 && !incompressible(data) {
		p.zbuf = r.zenc.EncodeAll(data, p.zbuf[:0])
		if len(p.zbuf) < len(data)-len(data)/32 {
			payload, comp = p.zbuf, format.CompZstd
		}
	}
	e := format.BlobEntry{ID: id, Type: typ, Comp: comp, Length: uint32(len(payload)), RawLen: uint32(len(data))}
	if p.w == nil && p.heldLen+len(payload) < smallPack {
		p.held = append(p.held, pendingBlob{e, claim, bytes.Clone(payload)})
		p.heldLen += len(payload)
		return len(payload), nil
	}
	if err := p.write(e, claim, payload); err != nil {
		return 0, err
	}
	if p.full() {
		return len(payload), p.Flush()
	}
	return len(payload), nil
}

// write appends a blob to the pack, starting the pack (with the blobs held
// so far) if needed.
func (p *Packer) write(e format.BlobEntry, claim uint32, payload []byte) error {
	if p.w == nil {
		if err := p.start(); err != nil {
			return err
		}
		held := p.held
		p.held, p.heldLen = nil, 0
		for _, b := range held {
			if err := p.write(b.entry, b.claim, b.payload); err != nil {
				return err
			}
		}
	}
	if _, err := p.aw.Write(payload); err != nil {
		return fmt.Errorf("write pack: %w", err)
	}
	e.Offset = uint32(p.off)
	p.list.add(packedBlob{e, claim})
	p.off += int64(len(payload))
	return nil
}

func (p *Packer) start() error {
	w, err := p.s.r.st.Create(p.ctx)
	if err != nil {
		return fmt.Errorf("create pack: %w", err)
	}
	p.h = crypto.NewObjectHasher()
	aw, err := crypto.EncryptStream(hashingWriter{w, p.h}, p.s.r.recipients...)
	if err != nil {
		w.Abort()
		return fmt.Errorf("start pack: %w", err)
	}
	p.w, p.aw, p.off, p.list = w, aw, 0, packList{}
	return nil
}

// Flush closes the current pack, if any, and makes it durable. Blobs of a
// packer that never started a pack go to the session, which packs them at
// Commit.
func (p *Packer) Flush() error {
	if p.w == nil {
		if len(p.held) > 0 {
			p.s.mu.Lock()
			p.s.small = append(p.s.small, p.held...)
			p.s.mu.Unlock()
			p.held, p.heldLen = nil, 0
		}
		return nil
	}
	w := p.w
	p.w = nil
	if err := p.finish(w); err != nil {
		w.Abort()
		return err
	}
	return nil
}

func (p *Packer) finish(w store.Writer) error {
	if err := p.aw.Close(); err != nil {
		return err
	}
	sealed := p.sealTrailer(p.list.trailer())
	mw := hashingWriter{w, p.h}
	if _, err := mw.Write(sealed); err != nil {
		return err
	}
	if _, err := mw.Write(format.PackFooter(len(sealed))); err != nil {
		return err
	}
	var id format.ID
	p.h.Sum(id[:0])
	if err := w.Commit(PackName(id)); err != nil {
		return fmt.Errorf("commit pack: %w", err)
	}
	size := p.off + int64(len(sealed)) + format.PackFooterSize + ageOverhead(p.off)
	p.s.packDone(id, &p.list, size)
	p.list = packList{}
	return nil
}

// hashingWriter writes a pack and hashes it for its name. It hashes
// before it writes, so that the name does not rely on the store leaving
// p intact: p may be the store's own buffer (AvailableBuffer, see
// crypto.StreamWriter).
type hashingWriter struct {
	w io.Writer
	h hash.Hash
}

func (hw hashingWriter) Write(p []byte) (int, error) {
	hw.h.Write(p)
	return hw.w.Write(p)
}

// AvailableBuffer is the store writer's, if it has one.
func (hw hashingWriter) AvailableBuffer() []byte {
	if ab, ok := hw.w.(interface{ AvailableBuffer() []byte }); ok {
		return ab.AvailableBuffer()
	}
	return nil
}

// packSmall writes the blobs that packers handed over as one pack.
func (s *Session) packSmall(ctx context.Context) error {
	s.mu.Lock()
	small := s.small
	s.small = nil
	s.mu.Unlock()
	if len(small) == 0 {
		return nil
	}
	p := s.NewPacker(ctx)
	defer p.Abort()
	for _, b := range small {
		if err := p.write(b.entry, b.claim, b.payload); err != nil {
			return err
		}
		if p.full() {
			if err := p.Flush(); err != nil {
				return err
			}
		}
	}
	return p.Flush()
}

// Abort drops the current pack.
func (p *Packer) Abort() {
	if p.w != nil {
		p.w.Abort()
		p.w = nil
	}
}

// ageOverhead estimates the bytes age adds to n bytes: a header and 16
// bytes per 64 KiB chunk.
func ageOverhead(n int64) int64 { return 200 + 16*(n/65536+1) }

// Commit writes the index of everything the session stored, then the
// snapshot, and returns the snapshot's id. Every packer must be flushed.
func (s *Session) Commit(ctx context.Context, snap *format.Snapshot) (format.ID, error) {
	if err := s.r.idx.Err(); err != nil {
		return format.ID{}, err
	}
	if err := s.packSmall(ctx); err != nil {
		return format.ID{}, err
	}
	if err := s.saveIndexes(ctx); err != nil {
		return format.ID{}, err
	}
	return s.r.saveSnapshot(ctx, snap, s)
}
