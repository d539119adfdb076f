package media

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"time"
)

// iCloud Photos, as privacy.apple.com's "Request a copy of your data"
// gives it, comes as "iCloud Photos Part N of M" folders, each with a
// Photos/ folder holding the photos and videos and one or more
// "Photo Details.csv" files ("Photo Details-1.csv", ...) with a header row
//
//	imgName,fileChecksum,favorite,hidden,deleted,originalCreationDate,viewCount,importDate
//
// and dates such as "Saturday January 15,2022 7:31 PM GMT" (a weekday, the
// month's name, no space after the comma, a 12-hour clock, GMT), which
// a file's own mtime in the download does not keep. Sources: the column
// names and Photos/"Photo Details*.csv" from megascope/icloudpdlp
// (src/icloudpdlp/cli.py, "Sunday August 13,2023 3:09 PM GMT"), the date
// layout '%A %B %d,%Y %I:%M %p GMT' from luisCermeno/icloud-script
// (script.py, which reads Photos/Photo Details.csv).

// Bounds of ParsePhotoDetails: real files have one short row per photo of
// their part (a few thousand).
const (
	// MaxPhotoDetails is the largest Photo Details.csv read, in bytes.
	MaxPhotoDetails = 64 << 20
	// MaxPhotoDetailsRows is the most rows read.
	MaxPhotoDetailsRows = 500_000
	// maxPhotoDetailsLine is the longest line read.
	maxPhotoDetailsLine = 8 << 10
)

// ErrNotPhotoDetails is returned for a file that is not an iCloud Photo
// Details.csv (no imgName and originalCreationDate columns) or is larger
// than its bounds.
var ErrNotPhotoDetails = errors.New("not an iCloud Photo Details.csv")

var photoDetailsName = regexp.MustCompile(`(?i)^photo details(-\d{1,4})?\.csv$`)

// IsPhotoDetails reports whether a file name is one of iCloud's Photo
// Details files: "Photo Details.csv", "Photo Details-1.csv", ...
func IsPhotoDetails(name string) bool { return photoDetailsName.MatchString(name) }

// PhotoDetailsDirs are the folders whose Photo Details files date the
// photos of folder dir (a slash path): dir itself, where an iCloud
// download keeps them beside the photos, then its parent's Photos/ folder.
func PhotoDetailsDirs(dir string) []string {
	other := path.Join(path.Dir(dir), "Photos")
	if other == dir {
		return []string{dir}
	}
	return []string{dir, other}
}

// ParsePhotoDetails reads an iCloud Photo Details.csv: each imgName with
// its originalCreationDate, as UTC. Rows with no name, an unreadable date
// or broken quoting are skipped; a name listed twice keeps its first date.
// A file with no imgName and originalCreationDate header, more than
// MaxPhotoDetails bytes, MaxPhotoDetailsRows rows or a line over 8 KiB
// gives ErrNotPhotoDetails.
func ParsePhotoDetails(r io.Reader) (map[string]time.Time, error) {
	sc := bufio.NewScanner(io.LimitReader(r, MaxPhotoDetails+1))
	sc.Buffer(make([]byte, 0, 4096), maxPhotoDetailsLine)
	nameCol, dateCol := -1, -1
	out := map[string]time.Time{}
	rows, read := 0, 0
	for sc.Scan() {
		line := sc.Text()
		if read += len(line) + 1; read > MaxPhotoDetails {
			return nil, fmt.Errorf("over %d bytes: %w", MaxPhotoDetails, ErrNotPhotoDetails)
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		fields, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			if nameCol < 0 {
				return nil, fmt.Errorf("header: %v: %w", err, ErrNotPhotoDetails)
			}
			continue
		}
		if nameCol < 0 {
			if nameCol, dateCol = detailsHeader(fields); nameCol < 0 {
				return nil, fmt.Errorf("no imgName and originalCreationDate columns: %w", ErrNotPhotoDetails)
			}
			continue
		}
		if rows++; rows > MaxPhotoDetailsRows {
			return nil, fmt.Errorf("over %d rows: %w", MaxPhotoDetailsRows, ErrNotPhotoDetails)
		}
		if nameCol >= len(fields) || dateCol >= len(fields) || fields[nameCol] == "" {
			continue
		}
		if _, dup := out[fields[nameCol]]; dup {
			continue
		}
		if t, ok := ParseICloudDate(fields[dateCol]); ok {
			out[fields[nameCol]] = t
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrNotPhotoDetails)
	}
	if nameCol < 0 {
		return nil, fmt.Errorf("empty: %w", ErrNotPhotoDetails)
	}
	return out, nil
}

// detailsHeader finds the imgName and originalCreationDate columns of a
// header row, or -1.
func detailsHeader(fields []string) (name, date int) {
	name, date = -1, -1
	for i, f := range fields {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(f, "\ufeff"))) {
		case "imgname":
			name = i
		case "originalcreationdate":
			date = i
		}
	}
	if name < 0 || date < 0 {
		return -1, -1
	}
	return name, date
}

var weekdays = map[string]bool{"monday": true, "tuesday": true, "wednesday": true, "thursday": true,
	"friday": true, "saturday": true, "sunday": true}

// iCloudLayouts are the forms of originalCreationDate once the weekday and
// zone are cut and the comma spaced: Apple's 12-hour clock first.
var iCloudLayouts = []string{
	"January 2, 2006 3:04 PM", "January 2, 2006 3:04:05 PM", "January 2, 2006 15:04", "January 2, 2006 15:04:05",
	"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04",
}

// ParseICloudDate reads a date of iCloud's Photo Details.csv, "Monday
// October 4,2021 8:15 PM GMT" (with or without the weekday, seconds, or
// the space after the comma), or an RFC 3339 time. A zone other than GMT
// or UTC gives false: no abbreviation is read as the local zone.
func ParseICloudDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	words := strings.Fields(strings.ReplaceAll(s, ",", ", "))
	if len(words) > 0 && weekdays[strings.ToLower(words[0])] {
		words = words[1:]
	}
	if n := len(words); n > 0 {
		switch strings.ToUpper(words[n-1]) {
		case "GMT", "UTC", "Z":
			words = words[:n-1]
		}
	}
	s = strings.Join(words, " ")
	for _, layout := range iCloudLayouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
