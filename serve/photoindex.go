package serve

import (
	"sync"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/serve/photos"
)

// photoIndex finds a snapshot's photos by content key and by path
// without a scan of the list: a grid page asks for 200 thumbnails, each
// of which would otherwise look through every photo of the snapshot.
// It keeps the indexes of the last photos.KeepSnapshots lists. Safe for
// concurrent use.
type photoIndex struct {
	mu    sync.Mutex
	roots map[string]*indexed
	order []string // least recent first
}

type indexed struct {
	list      []photos.Photo
	byContent map[string]int
	byPath    map[string]int
}

// lookup returns the index of ps, the photo list of root, made once.
func (x *photoIndex) lookup(root format.Ref, ps []photos.Photo) *indexed {
	key := refKey(root)
	x.mu.Lock()
	defer x.mu.Unlock()
	if ix := x.roots[key]; ix != nil && len(ix.list) == len(ps) && (len(ps) == 0 || &ix.list[0] == &ps[0]) {
		return ix
	}
	ix := &indexed{list: ps, byContent: make(map[string]int, len(ps)), byPath: make(map[string]int, len(ps))}
	for i, p := range ps {
		if _, ok := ix.byContent[p.Content]; !ok {
			ix.byContent[p.Content] = i
		}
		ix.byPath[p.Path] = i
	}
	if x.roots == nil {
		x.roots = map[string]*indexed{}
	}
	if _, ok := x.roots[key]; !ok {
		x.order = append(x.order, key)
		if len(x.order) > photos.KeepSnapshots {
			delete(x.roots, x.order[0])
			x.order = x.order[1:]
		}
	}
	x.roots[key] = ix
	return ix
}

// content is the photo of the list with a content key.
func (ix *indexed) content(c string) (photos.Photo, bool) {
	i, ok := ix.byContent[c]
	if !ok {
		return photos.Photo{}, false
	}
	return ix.list[i], true
}

// at is the position in the list of the photo at a path, or -1.
func (ix *indexed) at(p string) int {
	if i, ok := ix.byPath[p]; ok {
		return i
	}
	return -1
}
