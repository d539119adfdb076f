package repo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/lifeboat-backup/lifeboat/format"
)

// ErrPatched is returned by OpenFile for a file with a patch (a vCard or
// iCalendar file whose volatile lines are kept apart): its bytes are the
// blobs with the patch applied, which only a sequential read gives
// (WriteFile). Photos and videos never have one.
var ErrPatched = errors.New("file has a patch: read it whole")

// ErrSealed is returned by OpenFile for a sealed file (format.Node.Seal):
// its bytes are its content encrypted, which only WriteFile gives.
var ErrSealed = errors.New("file is sealed: read it whole")

// fileReaderCache is how many blobs a FileReader keeps: the one being read
// and the one before, for a reader that steps back across a blob edge.
const fileReaderCache = 2

// FileReader reads a stored file at random offsets, loading only the
// blobs a read touches, each verified as WriteFile verifies it, and
// keeping the last two. It is an io.ReaderAt, safe for concurrent use.
type FileReader struct {
	r    *Repository
	ctx  context.Context
	ids  []format.ID
	ends []int64 // ends[i] is the offset just past blob i
	mu   sync.Mutex
	// cache holds the most recently used blobs, newest first.
	cache []cachedBlob
}

type cachedBlob struct {
	i    int
	data []byte
}

var _ io.ReaderAt = (*FileReader)(nil)

// OpenFile opens a file for reading at random offsets. Its blobs' sizes
// come from the index, so opening reads only the file's content list (and
// the sequence blobs of a large file); a blob the index does not list is
// loaded once to learn its size, through the fallback location when one is
// set. A file with a patch is refused with ErrPatched, a sealed one with
// ErrSealed.
func (r *Repository) OpenFile(ctx context.Context, n format.Node) (*FileReader, error) {
	if len(n.Patch.IDs) > 0 {
		return nil, ErrPatched
	}
	if n.Seal != nil {
		return nil, ErrSealed
	}
	ids, err := r.LoadRef(ctx, n.Content)
	if err != nil {
		return nil, err
	}
	f := &FileReader{r: r, ctx: ctx, ids: ids, ends: make([]int64, len(ids))}
	var off int64
	for i, id := range ids {
		loc, ok := r.idx.Lookup(id)
		size := int64(loc.RawLen)
		if !ok {
			b, err := r.LoadBlob(ctx, id)
			if err != nil {
				return nil, err
			}
			size = int64(len(b))
			f.remember(i, b)
		}
		off += size
		f.ends[i] = off
	}
	return f, nil
}

// Size is the file's length in bytes: the sum of its blobs' lengths.
func (f *FileReader) Size() int64 {
	if len(f.ends) == 0 {
		return 0
	}
	return f.ends[len(f.ends)-1]
}

// ReadAt reads len(p) bytes at off, loading only the blobs that cover
// them. Reading past the end gives the bytes there are and io.EOF.
func (f *FileReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("read at %d: negative offset", off)
	}
	n := 0
	for n < len(p) {
		pos := off + int64(n)
		i := sort.Search(len(f.ends), func(i int) bool { return f.ends[i] > pos })
		if i == len(f.ends) {
			return n, io.EOF
		}
		b, err := f.blob(i)
		if err != nil {
			return n, err
		}
		start := f.ends[i] - int64(len(b))
		n += copy(p[n:], b[pos-start:])
	}
	return n, nil
}

// blob returns blob i, from the cache or loaded and checked against the
// length the index gave.
func (f *FileReader) blob(i int) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, c := range f.cache {
		if c.i == i {
			copy(f.cache[1:k+1], f.cache[:k])
			f.cache[0] = c
			return c.data, nil
		}
	}
	b, err := f.r.LoadBlob(f.ctx, f.ids[i])
	if err != nil {
		return nil, err
	}
	want := f.ends[i]
	if i > 0 {
		want -= f.ends[i-1]
	}
	if int64(len(b)) != want {
		return nil, fmt.Errorf("blob %s: %d bytes, the index says %d: %w", f.ids[i].Short(), len(b), want, ErrDamaged)
	}
	f.rememberLocked(i, b)
	return b, nil
}

func (f *FileReader) remember(i int, b []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rememberLocked(i, b)
}

func (f *FileReader) rememberLocked(i int, b []byte) {
	f.cache = append([]cachedBlob{{i, b}}, f.cache...)
	if len(f.cache) > fileReaderCache {
		f.cache = f.cache[:fileReaderCache]
	}
}
