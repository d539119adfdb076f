package export

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/photodate"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// findDates walks the snapshot once and tells photodate of every file:
// the sidecars and Photo Details.csv files that date the photos are found
// folder by folder, only names and the nodes of small files held.
func findDates(ctx context.Context, r *repo.Repository, root format.Ref) (*photodate.Dates, error) {
	d := photodate.New(r)
	err := r.Walk(ctx, root, func(rel string, n format.Node) error {
		d.Add(rel, n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// photoDate is when a photo or video was taken, in the order of SPEC
// §"Photo and video dates" (photodate.Dates.Of): its Takeout sidecar's
// photoTakenTime, EXIF DateTimeOriginal, the video's creation time,
// iCloud's Photo Details.csv, then the file's mtime; dated says it was not
// the mtime.
func (e *exporter) photoDate(rel string, n format.Node) (t time.Time, dated bool, err error) {
	d, err := e.dates.Of(e.ctx, rel, n)
	if err != nil {
		return time.Time{}, false, err
	}
	return d.Time, d.Known(), nil
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
