// Package photodate dates the photos and videos of a snapshot, for every
// command that shows or uses their dates (export --by-date, diff, find):
// it finds what lies beside each file in its snapshot (the Takeout sidecar
// media.Sidecars pairs with it, iCloud's Photo Details.csv of its folder)
// and reads the file itself at random offsets (repo.OpenFile), then lets
// media.DateInputs.Date choose, in the order of SPEC §"Photo and video
// dates".
package photodate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/media"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// Files is what Dates reads of a repository: small files whole (sidecars,
// Photo Details.csv) and photos and videos at random offsets.
// *repo.Repository is one.
type Files interface {
	ReadFile(ctx context.Context, n format.Node) ([]byte, error)
	OpenFile(ctx context.Context, n format.Node) (*repo.FileReader, error)
}

var _ Files = (*repo.Repository)(nil)

// Date is when a photo or video was taken, and where that came from.
type Date struct {
	Time time.Time
	// Source is one of media's Source constants; media.SourceMTime says
	// Time is only the file's modification time, "" that nothing is known.
	Source string
}

// Known reports whether the date is a capture date, not the file's mtime.
func (d Date) Known() bool { return d.Source != "" && d.Source != media.SourceMTime }

// String is the date for people, to the minute, as it was recorded (EXIF
// has no zone; see media.DateInputs.Date): "2024-05-01 12:00", or
// "2024-05-01 12:00 (file time)" for a file dated only by its mtime, or
// "" when nothing is known.
func (d Date) String() string {
	switch {
	case d.Source == "":
		return ""
	case !d.Known():
		return d.Time.UTC().Format("2006-01-02 15:04") + " (file time)"
	}
	return d.Time.UTC().Format("2006-01-02 15:04")
}

// Dates dates the files of one snapshot at a time: Add every file of the
// snapshot, then ask Of for the photos and videos. Reset starts the next
// snapshot and keeps what was read (dates by content, parsed Photo
// Details), so that a photo kept over many snapshots is read once.
type Dates struct {
	r Files
	// names are the files of the snapshot by folder; sidecars the nodes
	// of the files that could be sidecars, by path; details those of the
	// Photo Details files, by folder.
	names    map[string][]string
	sidecars map[string]format.Node
	details  map[string][]detailsFile
	// paired is each folder's media.Sidecars, once asked.
	paired map[string]map[string]string
	// memo holds dates by what they were computed from (see memoKey);
	// parsed the Photo Details read, by content.
	memo   map[string]Date
	parsed map[string]map[string]time.Time
}

// New returns an empty Dates reading through r.
func New(r Files) *Dates {
	d := &Dates{r: r, memo: map[string]Date{}, parsed: map[string]map[string]time.Time{}}
	d.Reset()
	return d
}

// Reset forgets the snapshot's files, for the next snapshot.
func (d *Dates) Reset() {
	d.names = map[string][]string{}
	d.sidecars = map[string]format.Node{}
	d.details = map[string][]detailsFile{}
	d.paired = map[string]map[string]string{}
}

// Add tells Dates of one entry of the snapshot, by its slash path. Only
// regular files count.
func (d *Dates) Add(rel string, n format.Node) {
	if n.Type != format.NodeFile {
		return
	}
	dir, base := path.Dir(rel), path.Base(rel)
	d.names[dir] = append(d.names[dir], base)
	switch {
	case strings.EqualFold(path.Ext(base), ".json") && n.Size <= media.MaxSidecar:
		d.sidecars[rel] = n
	case media.IsPhotoDetails(base) && n.Size <= media.MaxPhotoDetails:
		d.details[dir] = append(d.details[dir], detailsFile{base, n})
	}
}

type detailsFile struct {
	name string
	node format.Node
}

// Of dates the photo or video at rel (a file given to Add). Errors are the
// repository's (a damaged blob); a file whose bytes hold no date is not
// one, it gets the next source in the order.
func (d *Dates) Of(ctx context.Context, rel string, n format.Node) (Date, error) {
	sc, hasSidecar := d.sidecarOf(rel)
	icloud, err := d.icloud(ctx, rel)
	if err != nil {
		return Date{}, err
	}
	key := memoKey(n, sc, hasSidecar, icloud)
	if got, ok := d.memo[key]; ok {
		return got, nil
	}
	in := media.DateInputs{ICloud: icloud, MTime: n.MTime.Time()}
	if hasSidecar {
		if in.Sidecar, err = d.r.ReadFile(ctx, sc); err != nil {
			return Date{}, fmt.Errorf("sidecar of %s: %w", rel, err)
		}
	}
	if n.Size > 0 {
		f, err := d.r.OpenFile(ctx, n)
		switch {
		case err == nil:
			in.R, in.Size = f, f.Size()
		case !errors.Is(err, repo.ErrPatched): // a patched file is no photo: its bytes are not read
			return Date{}, fmt.Errorf("%s: %w", rel, err)
		}
	}
	t, source := in.Date()
	got := Date{Time: t, Source: source}
	d.memo[key] = got
	return got, nil
}

// memoKey is what a date is computed from: the file's content and mtime,
// its sidecar's content, its Photo Details date.
func memoKey(n format.Node, sc format.Node, hasSidecar bool, icloud time.Time) string {
	key := contentKey(n.Content) + fmt.Sprintf("|%d|%d|", n.MTime.Time().UnixNano(), icloud.UnixNano())
	if hasSidecar {
		key += contentKey(sc.Content)
	}
	return key
}

// contentKey names a file's bytes as the repository stores them.
func contentKey(r format.Ref) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d:", r.Level)
	for _, id := range r.IDs {
		b.Write(id[:])
	}
	return b.String()
}

// sidecarOf returns the node of the Takeout sidecar paired with rel.
func (d *Dates) sidecarOf(rel string) (format.Node, bool) {
	dir := path.Dir(rel)
	pairs, ok := d.paired[dir]
	if !ok {
		pairs = media.Sidecars(d.names[dir])
		d.paired[dir] = pairs
	}
	sc, ok := pairs[path.Base(rel)]
	if !ok {
		return format.Node{}, false
	}
	n, ok := d.sidecars[path.Join(dir, sc)]
	return n, ok
}

// icloud returns the originalCreationDate iCloud's Photo Details files
// give rel, from its folder's, else its parent's Photos/ folder's (see
// media.PhotoDetailsDirs), the files of a folder in name order; the zero
// time when none lists it. A file that does not parse is no Photo Details.
func (d *Dates) icloud(ctx context.Context, rel string) (time.Time, error) {
	base := path.Base(rel)
	for _, dir := range media.PhotoDetailsDirs(path.Dir(rel)) {
		files := d.details[dir]
		slices.SortFunc(files, func(a, b detailsFile) int { return strings.Compare(a.name, b.name) })
		for _, f := range files {
			dates, err := d.parse(ctx, f.node)
			if err != nil {
				return time.Time{}, fmt.Errorf("%s: %w", path.Join(dir, f.name), err)
			}
			if t, ok := dates[base]; ok {
				return t, nil
			}
		}
	}
	return time.Time{}, nil
}

// parse reads one Photo Details file, once per content.
func (d *Dates) parse(ctx context.Context, n format.Node) (map[string]time.Time, error) {
	key := contentKey(n.Content)
	if m, ok := d.parsed[key]; ok {
		return m, nil
	}
	data, err := d.r.ReadFile(ctx, n)
	if err != nil {
		return nil, err
	}
	m, err := media.ParsePhotoDetails(bytes.NewReader(data))
	if err != nil {
		m = map[string]time.Time{} // not one after all: it dates nothing
	}
	d.parsed[key] = m
	return m, nil
}
