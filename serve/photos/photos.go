// Package photos is the photo grid of lifeboat serve as data: the photos
// and videos of a snapshot with their capture dates (photodate, the one
// home for dates), grouped by month and paged, their thumbnails through
// serve/thumb's cache, and the snapshots that hold the same bytes. It
// reads the repository through small interfaces *repo.Repository
// satisfies, never changes it, and writes nothing to disk.
package photos

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/media"
	"github.com/lifeboat-backup/lifeboat/photodate"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/serve/thumb"
)

// Reader is what Photos reads of a repository: the snapshot's tree, and
// small files whole and photos at random offsets to date them.
// *repo.Repository is one.
type Reader interface {
	Walk(ctx context.Context, dir format.Ref, fn func(rel string, n format.Node) error) error
	photodate.Files
}

var _ Reader = (*repo.Repository)(nil)

// Photo is one photo or video of a snapshot.
type Photo struct {
	// Path is the slash path in the snapshot, Name its last element.
	Path, Name string
	Size       int64
	// Taken is the capture date (photodate.Date.Time), zero when nothing
	// is known; DateFrom is where it came from, one of media's Source
	// constants ("mtime": only the file's modification time).
	Taken    time.Time
	DateFrom string
	// Content names the file's bytes (ContentKey): the key of its
	// thumbnail and what Holding looks for.
	Content string
	Video   bool
	// Node is the file's node, to read it (repo.OpenFile, ReadFile).
	Node format.Node `json:"-"`
}

// KeepSnapshots is how many snapshots' photo lists a Library keeps.
const KeepSnapshots = 4

// Library lists the photos of snapshots, keeping the dates it read (by
// content, across snapshots: photodate.Dates) so that a photo kept over
// many snapshots is read once, and the lists of the last KeepSnapshots
// snapshots asked for (about 250 bytes a photo). Dating is spread over
// a few workers, each with its own photodate.Dates, a photo always going
// to the same one by its content. Safe for concurrent use; one snapshot
// is listed at a time.
type Library struct {
	r     Reader
	mu    sync.Mutex
	dates []*photodate.Dates
	kept  []keptList // most recent first
}

type keptList struct {
	root string
	ps   []Photo
}

// NewLibrary returns a Library reading through r.
func NewLibrary(r Reader) *Library {
	l := &Library{r: r}
	for range min(runtime.GOMAXPROCS(0), 4) {
		l.dates = append(l.dates, photodate.New(r))
	}
	return l
}

// Photos lists the photos and videos of one snapshot with a fresh
// Library: see Library.Photos.
func Photos(ctx context.Context, r Reader, root format.Ref) ([]Photo, error) {
	return NewLibrary(r).Photos(ctx, root)
}

// Photos lists every photo and video (files pim classified as media)
// under root, newest capture first (undated last), then by path. Files in
// thumbnail caches and trash folders (media.IsThumbnailCache) and sealed
// files (the raw iPhone backup folder) are not photos of the grid. Dates
// come from photodate, which reads each file at the offsets its metadata
// lies at, never whole. The list is shared with later callers asking for
// the same root: do not modify it.
func (l *Library) Photos(ctx context.Context, root format.Ref) ([]Photo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	key := refKey(root)
	for i, k := range l.kept {
		if k.root == key {
			copy(l.kept[1:i+1], l.kept[:i])
			l.kept[0] = k
			return k.ps, nil
		}
	}
	ps, err := l.list(ctx, root)
	if err != nil {
		return nil, err
	}
	l.kept = append([]keptList{{key, ps}}, l.kept[:min(len(l.kept), KeepSnapshots-1)]...)
	return ps, nil
}

func (l *Library) list(ctx context.Context, root format.Ref) ([]Photo, error) {
	for _, d := range l.dates {
		d.Reset()
	}
	var out []Photo
	err := l.r.Walk(ctx, root, func(rel string, n format.Node) error {
		for _, d := range l.dates {
			d.Add(rel, n)
		}
		if n.Type == format.NodeFile && n.Kind == uint8(pim.KindMedia) && n.Seal == nil && !media.IsThumbnailCache(rel) {
			out = append(out, Photo{Path: rel, Name: path.Base(rel), Size: int64(n.Size),
				Content: ContentKey(n.Content), Video: thumb.IsVideo(rel), Node: n})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("photos: %w", err)
	}
	if err := l.date(ctx, out); err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, newestFirst)
	return out, nil
}

// date dates every photo, worker w taking the photos whose content key
// falls to it, so that its Dates has seen that content before if any did.
func (l *Library) date(ctx context.Context, ps []Photo) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(l.dates))
	var wg sync.WaitGroup
	for w, d := range l.dates {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ps {
				p := &ps[i]
				if worker(p.Content, len(l.dates)) != w {
					continue
				}
				if err := ctx.Err(); err != nil {
					errs[w] = err
					return
				}
				got, err := d.Of(ctx, p.Path, p.Node)
				if err != nil {
					errs[w] = fmt.Errorf("photos: date of %s: %w", p.Path, err)
					cancel()
					return
				}
				p.Taken, p.DateFrom = got.Time, got.Source
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// worker is the worker of n that dates the photos of a content key.
func worker(content string, n int) int {
	b, err := hex.DecodeString(content[:min(len(content), 4)])
	if err != nil || len(b) < 2 {
		return 0
	}
	return int(binary.BigEndian.Uint16(b)) % n
}

// newestFirst orders photos by capture date, newest first, undated last,
// then by path.
func newestFirst(a, b Photo) int {
	switch az, bz := a.Taken.IsZero(), b.Taken.IsZero(); {
	case az != bz:
		if az {
			return 1
		}
		return -1
	}
	if c := b.Taken.Compare(a.Taken); c != 0 {
		return c
	}
	return cmp.Compare(a.Path, b.Path)
}

// ContentKey names a file's bytes as the repository stores them (its
// content ref): 32 hex digits, the same in every snapshot that holds the
// same bytes, safe in a URL.
func ContentKey(r format.Ref) string {
	h := sha256.New()
	var lvl [8]byte
	binary.BigEndian.PutUint64(lvl[:], uint64(r.Level))
	h.Write(lvl[:])
	for _, id := range r.IDs {
		h.Write(id[:])
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Find returns the photo of ps with the given content key.
func Find(ps []Photo, content string) (Photo, bool) {
	for _, p := range ps {
		if p.Content == content {
			return p, true
		}
	}
	return Photo{}, false
}
