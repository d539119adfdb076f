package iosgen

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// CameraRollDomain is the domain of the photos and videos in a backup.
const CameraRollDomain = "CameraRollDomain"

// WantMedia is what a reader must find in one camera roll file.
type WantMedia struct {
	RelativePath string
	// Taken is the capture time as lifeboat's media package reads it: a
	// photo's EXIF DateTimeOriginal, the camera's wall clock with no zone,
	// as if UTC; a video's moov/mvhd creation time (UTC). A screenshot
	// holds no date (HasDate false) and Taken is then its file's ModTime,
	// the date a reader falls back to.
	Taken   time.Time
	HasDate bool
	Size    int // bytes
}

// Kinds of camera roll file, by extension.
var rollKinds = []struct {
	ext    string
	weight float64
}{{"HEIC", 0.50}, {"JPG", 0.28}, {"PNG", 0.08}, {"MOV", 0.10}, {"MP4", 0.04}}

// rollZones are the zones the phone's owner took pictures in.
var rollZones = []*time.Location{
	time.FixedZone("+0100", 3600), time.FixedZone("+0100", 3600), time.FixedZone("+0200", 7200),
	time.UTC, time.FixedZone("-0500", -5*3600), time.FixedZone("+0900", 9*3600),
}

// exifOffsetSince is when iOS began writing OffsetTimeOriginal (iOS 14).
var exifOffsetSince = time.Date(2020, 9, 16, 0, 0, 0, 0, time.UTC)

// CameraRoll is n photos and videos in CameraRollDomain as an iPhone
// keeps them: Media/DCIM/100APPLE/IMG_0001.HEIC and on, 100 files a
// folder (101APPLE holds IMG_0101 to IMG_0200), numbered in the order
// they were taken between 2019 and November 2026. About half are HEIC
// and a quarter JPEG, each with an Exif DateTimeOriginal (and, from iOS
// 14 on, OffsetTimeOriginal); a tenth are QuickTime MOV with mvhd and
// com.apple.quicktime.creationdate, a few MP4 with mvhd only, and a few
// PNG screenshots with no date in them. Photos are 30 to 300 KiB, videos
// 200 to 900 KiB, of incompressible noise after their headers (about
// 35 MiB for n = 200); each File.ModTime is when the phone saved the file,
// seconds after the capture (after the end of a video). The same n and
// seed give the same bytes; the WantMedia say what each file holds.
// Numbers run to IMG_9999, as on the phone; n is meant to be far below.
func CameraRoll(n int, seed int64) ([]File, []WantMedia) {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], uint64(seed))
	src := rand.NewChaCha8(key)
	r := rand.New(src)
	from := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	taken := make([]time.Time, n)
	for i := range taken {
		taken[i] = from.Add(time.Duration(r.Int64N(int64(to.Sub(from)/time.Second))) * time.Second)
	}
	sort.Slice(taken, func(i, j int) bool { return taken[i].Before(taken[j]) })
	files := make([]File, 0, n)
	want := make([]WantMedia, 0, n)
	for i, at := range taken {
		ext := pickKind(r.Float64())
		zone := rollZones[r.IntN(len(rollZones))]
		rel := fmt.Sprintf("Media/DCIM/%03dAPPLE/IMG_%04d.%s", 100+i/100, i%9999+1, ext)
		var data []byte
		w := WantMedia{RelativePath: rel, HasDate: true}
		saved := at.Add(time.Duration(1+r.IntN(20)) * time.Second)
		switch ext {
		case "MOV", "MP4":
			noise := make([]byte, (200+r.IntN(700))<<10)
			src.Read(noise)
			data = videoFile(at, zone, ext == "MP4", noise)
			w.Taken = at
			saved = saved.Add(time.Duration(3+len(noise)%40) * time.Second) // the clip's length
		default:
			noise := make([]byte, 30<<10+int(270*1024*math.Pow(r.Float64(), 1.5)))
			src.Read(noise)
			wall := at.In(zone)
			s := shot{wall: wall, model: phoneModel(at)}
			if !at.Before(exifOffsetSince) {
				s.offset = wall.Format("-07:00")
			}
			switch ext {
			case "HEIC":
				data = heicFile(s, noise)
			case "JPG":
				data = jpegFile(s, noise)
			case "PNG":
				data = pngFile(noise)
				w.HasDate = false
			}
			w.Taken = time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, time.UTC)
		}
		if !w.HasDate {
			w.Taken = saved
		}
		w.Size = len(data)
		files = append(files, File{Domain: CameraRollDomain, RelativePath: rel, Data: data, ModTime: saved})
		want = append(want, w)
	}
	return files, want
}

func pickKind(u float64) string {
	for _, k := range rollKinds {
		if u < k.weight {
			return k.ext
		}
		u -= k.weight
	}
	return rollKinds[0].ext
}

// phoneModel is the camera the owner had at t.
func phoneModel(t time.Time) string {
	switch {
	case t.Year() < 2021:
		return "iPhone 11"
	case t.Year() < 2024:
		return "iPhone 13"
	}
	return "iPhone 15 Pro"
}
