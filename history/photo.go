package history

import (
	"context"
	"strings"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/media"
	"github.com/lifeboat-backup/lifeboat/photodate"
)

// PhotoDate is when a photo or video was taken, as diff and find show it.
type PhotoDate struct {
	// Date is the date to the minute (photodate.Date.String): "2024-05-01
	// 12:00", or "2024-05-01 12:00 (file time)" when the file has no date
	// of its own and its mtime stands in; empty when nothing is known.
	Date string `json:"date,omitempty"`
	// From says where Date came from: "sidecar" (Takeout), "exif",
	// "video", "icloud" (Photo Details.csv) or "mtime".
	From string `json:"date_from,omitempty"`
}

// Phrase says the date for people: "taken 2024-05-01 12:00", or "no date
// of its own, file time 2024-05-01 12:00"; empty when nothing is known.
func (p PhotoDate) Phrase() string {
	switch {
	case p.Date == "":
		return ""
	case p.From == media.SourceMTime:
		return "no date of its own, file time " + strings.TrimSuffix(p.Date, " (file time)")
	}
	return "taken " + p.Date
}

// photoDates dates photos and videos through photodate, from everything
// their snapshot holds (see photodate.Dates).
func photoDates(r photodate.Files, files map[string]format.Node) *photodate.Dates {
	d := photodate.New(r)
	addFiles(d, files)
	return d
}

func addFiles(d *photodate.Dates, files map[string]format.Node) {
	for rel, n := range files {
		d.Add(rel, n)
	}
}

// photoDate dates one photo or video; a repository error (a damaged blob)
// leaves it undated, as diff and find report what they can.
func photoDate(ctx context.Context, d *photodate.Dates, rel string, n format.Node) PhotoDate {
	got, err := d.Of(ctx, rel, n)
	if err != nil {
		return PhotoDate{}
	}
	return PhotoDate{Date: got.String(), From: got.Source}
}
