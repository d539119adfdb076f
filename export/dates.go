package export

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/media"
	"github.com/lifeboat-backup/lifeboat/photodate"
	"github.com/lifeboat-backup/lifeboat/pim"
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

// dated is the date a photo is filed under, and whether it is its own
// (not the file's mtime).
type dated struct {
	t     time.Time
	rank  int
	dated bool
}

// dateRank orders where a date came from, best first, as SPEC §"Photo
// and video dates" orders them; the mtime, or nothing, comes last.
var dateRank = map[string]int{media.SourceSidecar: 0, media.SourceEXIF: 1, media.SourceVideo: 2, media.SourceICloud: 3}

// bestDates dates every distinct photo of the snapshot by the best date
// any of its copies has: an album's copy of a Takeout photo may lack the
// sidecar that its year folder's copy has (an edited copy with neither
// its original nor the original's sidecar beside it), and the copy walked
// first must not decide. Between dates of one rank the copy walked first
// wins.
func (e *exporter) bestDates(root format.Ref) (map[string]dated, error) {
	best := map[string]dated{}
	err := e.r.Walk(e.ctx, root, func(rel string, n format.Node) error {
		if n.Type != format.NodeFile || pim.Kind(n.Kind) != pim.KindMedia || media.IsThumbnailCache(rel) {
			return nil
		}
		k := n.ContentKey()
		if b, ok := best[k]; ok && b.rank == 0 {
			return nil // a sidecar's date already: nothing beats it
		}
		d, err := e.dates.Of(e.ctx, rel, n)
		if err != nil {
			return err
		}
		rank, ok := dateRank[d.Source]
		if !ok {
			rank = len(dateRank)
		}
		if b, seen := best[k]; !seen || rank < b.rank {
			best[k] = dated{t: d.Time, rank: rank, dated: d.Known()}
		}
		return nil
	})
	return best, err
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

func (c *copies) seen(n format.Node) (string, bool) {
	name, ok := c.first[n.ContentKey()]
	return name, ok
}

func (c *copies) written(n format.Node, name, rel string) {
	c.first[n.ContentKey()] = name
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
