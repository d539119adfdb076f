package export

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/media"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// sidecars are the Takeout sidecar JSON files of a snapshot, matched to
// the media files they describe (media.Sidecars, folder by folder).
type sidecars struct {
	of    map[string]string      // media file path → its sidecar's path
	nodes map[string]format.Node // sidecar path → its node
}

// findSidecars walks the snapshot once and matches every folder's media
// files to their sidecars. Only names are held, folder by folder, and the
// nodes of the JSON files small enough to be sidecars.
func findSidecars(ctx context.Context, r *repo.Repository, root format.Ref) (*sidecars, error) {
	s := &sidecars{of: map[string]string{}, nodes: map[string]format.Node{}}
	names := map[string][]string{}
	err := r.Walk(ctx, root, func(rel string, n format.Node) error {
		if n.Type != format.NodeFile {
			return nil
		}
		dir := path.Dir(rel)
		names[dir] = append(names[dir], path.Base(rel))
		if strings.EqualFold(path.Ext(rel), ".json") && n.Size <= media.MaxSidecar {
			s.nodes[rel] = n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for dir, list := range names {
		for file, sc := range media.Sidecars(list) {
			if _, ok := s.nodes[path.Join(dir, sc)]; ok {
				s.of[path.Join(dir, file)] = path.Join(dir, sc)
			}
		}
	}
	return s, nil
}

// photoDate is when a photo or video was taken, in the order of SPEC
// §"Photo and video dates": its Takeout sidecar's photoTakenTime, EXIF
// DateTimeOriginal, then the file's mtime; dated says it was not the
// mtime.
func (e *exporter) photoDate(rel string, n format.Node) (t time.Time, dated bool, err error) {
	var sidecar []byte
	if sc, ok := e.sidecars.of[rel]; ok {
		if sidecar, err = e.r.ReadFile(e.ctx, e.sidecars.nodes[sc]); err != nil {
			return time.Time{}, false, err
		}
	}
	head, err := e.r.ReadHead(e.ctx, n)
	if err != nil {
		return time.Time{}, false, err
	}
	t, from := media.PhotoDate(sidecar, head, nil, 0, n.MTime.Time())
	return t, from != "mtime", nil
}

// copies finds photos written twice with --by-date: identical bytes (the
// same chunks, as the repository stores them once) are one photo, written
// once, and the paths of its other copies go into an index file beside it,
// NAME.copies.txt.
type copies struct {
	first map[string]string   // content → the exported name
	from  map[string]string   // exported name → the snapshot path it was written from
	also  map[string][]string // exported name → the snapshot paths of its copies
}

func newCopies() *copies {
	return &copies{first: map[string]string{}, from: map[string]string{}, also: map[string][]string{}}
}

// contentKey is a file's content as the repository stores it.
func contentKey(n format.Node) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d:%d:", n.Size, n.Content.Level)
	for _, id := range n.Content.IDs {
		b.Write(id[:])
	}
	return b.String()
}

func (c *copies) seen(n format.Node) (string, bool) {
	name, ok := c.first[contentKey(n)]
	return name, ok
}

func (c *copies) written(n format.Node, name, rel string) {
	c.first[contentKey(n)] = name
	c.from[name] = rel
}

func (c *copies) add(name, rel string) { c.also[name] = append(c.also[name], rel) }

// writeCopies writes each NAME.copies.txt: the snapshot path the photo
// was written from, then its copies', one per line, sorted.
func (e *exporter) writeCopies() error {
	names := make([]string, 0, len(e.copies.also))
	for name := range e.copies.also {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		also := slices.Clone(e.copies.also[name])
		slices.Sort(also)
		text := e.copies.from[name] + "\n" + strings.Join(also, "\n") + "\n"
		if err := e.write(name+".copies.txt", []byte(text)); err != nil {
			return err
		}
	}
	return nil
}
