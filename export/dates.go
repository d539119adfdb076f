package export

import (
	"context"
	"path"
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
