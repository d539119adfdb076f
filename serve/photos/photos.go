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
	"fmt"
	"path"
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

// Library lists the photos of snapshots, keeping the dates it read (by
// content, across snapshots: photodate.Dates) so that a photo kept over
// many snapshots is read once. Safe for concurrent use; one snapshot is
// dated at a time.
type Library struct {
	r     Reader
	mu    sync.Mutex
	dates *photodate.Dates
}

// NewLibrary returns a Library reading through r.
func NewLibrary(r Reader) *Library { return &Library{r: r, dates: photodate.New(r)} }

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
// lies at, never whole.
func (l *Library) Photos(ctx context.Context, root format.Ref) ([]Photo, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dates.Reset()
	type found struct {
		rel string
		n   format.Node
	}
	var media_ []found
	err := l.r.Walk(ctx, root, func(rel string, n format.Node) error {
		l.dates.Add(rel, n)
		if n.Type == format.NodeFile && n.Kind == uint8(pim.KindMedia) && n.Seal == nil && !media.IsThumbnailCache(rel) {
			media_ = append(media_, found{rel, n})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("photos: %w", err)
	}
	out := make([]Photo, 0, len(media_))
	for _, f := range media_ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d, err := l.dates.Of(ctx, f.rel, f.n)
		if err != nil {
			return nil, fmt.Errorf("photos: date of %s: %w", f.rel, err)
		}
		out = append(out, Photo{
			Path: f.rel, Name: path.Base(f.rel), Size: int64(f.n.Size),
			Taken: d.Time, DateFrom: d.Source, Content: ContentKey(f.n.Content),
			Video: thumb.IsVideo(f.rel), Node: f.n,
		})
	}
	slices.SortStableFunc(out, newestFirst)
	return out, nil
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
