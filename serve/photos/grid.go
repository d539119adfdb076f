package photos

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/serve/thumb"
)

// Month is the photos taken in one month, as the grid shows them. Year 0
// is the photos with no date at all.
type Month struct {
	Year   int
	Month  time.Month
	Photos []Photo
}

// ByMonth groups photos by the month they were taken (as recorded: EXIF
// has no zone, see photodate.Date.String), newest month first, the
// undated last, each month newest first (Photos' order). Each month's
// Photos are a part of ps when ps is in that order already (as Photos
// gives it), else of a sorted copy.
func ByMonth(ps []Photo) []Month {
	sorted := ps
	if !slices.IsSortedFunc(ps, newestFirst) {
		sorted = slices.Clone(ps)
		slices.SortStableFunc(sorted, newestFirst)
	}
	var out []Month
	start := 0
	for i, p := range sorted {
		y, m := 0, time.Month(0)
		if !p.Taken.IsZero() {
			t := p.Taken.UTC()
			y, m = t.Year(), t.Month()
		}
		if n := len(out); n == 0 || out[n-1].Year != y || out[n-1].Month != m {
			if n > 0 {
				out[n-1].Photos = sorted[start:i:i]
			}
			out = append(out, Month{Year: y, Month: m})
			start = i
		}
	}
	if n := len(out); n > 0 {
		out[n-1].Photos = sorted[start:len(sorted):len(sorted)]
	}
	return out
}

// DefaultPer is Page's page size when it is given none.
const DefaultPer = 100

// Page returns page number page (from 1) of ps, per photos a page
// (DefaultPer when per <= 0); nil past the last page.
func Page(ps []Photo, page, per int) []Photo {
	if per <= 0 {
		per = DefaultPer
	}
	if page < 1 || (page-1) > len(ps)/per {
		return nil
	}
	start := (page - 1) * per
	if start >= len(ps) {
		return nil
	}
	return ps[start:min(start+per, len(ps))]
}

// Pages is how many pages of per photos n photos fill.
func Pages(n, per int) int {
	if per <= 0 {
		per = DefaultPer
	}
	return (n + per - 1) / per
}

// Opener opens a stored file at random offsets. *repo.Repository is one.
type Opener interface {
	OpenFile(ctx context.Context, n format.Node) (*repo.FileReader, error)
}

// Thumb returns the thumbnail of p fitting in max×max through the cache:
// made once (thumb.Thumbnail: the embedded one, else decoded), or a
// placeholder for a video or a file that cannot be shown small. Errors
// are only ctx's; a file the repository cannot read gets the broken
// placeholder, which is not kept, so a later request tries again.
func Thumb(ctx context.Context, r Opener, c *thumb.Cache, p Photo, max int) (thumb.Thumb, error) {
	if max <= 0 {
		max = thumb.DefaultMax
	}
	broken := thumb.Thumb{Data: thumb.Placeholder("broken"), Type: thumb.PlaceholderType}
	fill := func() (thumb.Thumb, error) {
		if p.Video {
			return thumb.Thumb{Data: thumb.Placeholder("video"), Type: thumb.PlaceholderType}, nil
		}
		f, err := r.OpenFile(ctx, p.Node)
		if err != nil {
			return thumb.Thumb{}, fmt.Errorf("%s: %w", p.Path, err)
		}
		t := thumb.Thumbnail(f, f.Size(), p.Name, max)
		if err := ctx.Err(); err != nil {
			return thumb.Thumb{}, err // a read cut short is no broken file
		}
		return t, nil
	}
	key := p.Content + "@" + strconv.Itoa(max)
	t, err := c.Get(ctx, key, fill)
	for try := 0; try < 3 && err != nil && ctx.Err() == nil && isCtxErr(err); try++ {
		t, err = c.Get(ctx, key, fill) // the request making it went away: make it for this one
	}
	switch {
	case err == nil:
		return t, nil
	case ctx.Err() != nil:
		return thumb.Thumb{}, ctx.Err()
	case isCtxErr(err):
		return thumb.Thumb{}, err
	}
	return broken, nil
}

func isCtxErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
