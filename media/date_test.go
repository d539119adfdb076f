package media

import (
	"bytes"
	"testing"
	"time"
)

// TestPhotoDate checks the order: sidecar, EXIF, video, iCloud, mtime.
func TestPhotoDate(t *testing.T) {
	side := time.Date(2009, 11, 16, 12, 51, 58, 0, time.UTC)
	exifAt := time.Date(2021, 7, 4, 12, 30, 45, 0, time.UTC)
	videoAt := time.Date(2019, 2, 15, 19, 35, 1, 0, time.UTC)
	icloud := time.Date(2018, 3, 3, 3, 3, 3, 0, time.UTC)
	mtime := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	sidecar := []byte(`{"photoTakenTime":{"timestamp":"1258375918"}}`)
	photo := tiffExif("2021:07:04 12:30:45", false)
	video := append(append([]byte{}, ftyp...), mp4box("moov", mvhdV0(videoAt))...)
	noDate := []byte("\xff\xd8\xff\xe0 not much of a jpeg")

	tests := []struct {
		name   string
		in     DateInputs
		want   time.Time
		source string
	}{
		{"sidecar beats exif", DateInputs{Sidecar: sidecar, Head: photo, MTime: mtime}, side, SourceSidecar},
		{"bad sidecar falls to exif", DateInputs{Sidecar: []byte(`{}`), Head: photo, MTime: mtime}, exifAt, SourceEXIF},
		{"exif through ReaderAt", DateInputs{R: bytes.NewReader(photo), Size: int64(len(photo)), MTime: mtime}, exifAt, SourceEXIF},
		{"video", DateInputs{R: bytes.NewReader(video), Size: int64(len(video)), MTime: mtime, ICloud: icloud}, videoAt, SourceVideo},
		{"video from head only", DateInputs{Head: video, MTime: mtime}, videoAt, SourceVideo},
		{"icloud before mtime", DateInputs{Head: noDate, ICloud: icloud, MTime: mtime}, icloud, SourceICloud},
		{"mtime last", DateInputs{Head: noDate, MTime: mtime}, mtime, SourceMTime},
		{"nothing", DateInputs{Head: noDate}, time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, src := tt.in.Date()
			if !got.Equal(tt.want) || src != tt.source {
				t.Fatalf("got %v %q, want %v %q", got, src, tt.want, tt.source)
			}
		})
	}
	got, src := PhotoDate(nil, nil, bytes.NewReader(video), int64(len(video)), mtime)
	if !got.Equal(videoAt) || src != SourceVideo {
		t.Fatalf("PhotoDate: got %v %q, want %v video", got, src, videoAt)
	}
}

func TestIsThumbnailCache(t *testing.T) {
	tests := map[string]bool{
		"DCIM/.thumbnails/1234.jpg":                   true,
		"DCIM/.thumbnails/.thumbdata3--1967290299":    true,
		"Pictures/.thumbnails/55.jpg":                 true,
		`C:\phone\DCIM\.Thumbnails\1.jpg`:             true,
		"DCIM/Camera/.trashed-1735689600-IMG_1.jpg":   true,
		"Pictures/.pending-1735689600-PXL_2.jpg":      true,
		"DCIM/.trash-storage/IMG_3.jpg":               true,
		".Trash-1000/files/IMG_4.jpg":                 true,
		"/media/card/.Trashes/501/IMG_5.jpg":          true,
		"DCIM/Camera/IMG_20240101_120000.jpg":         false,
		"WhatsApp/Media/WhatsApp Images/Sent/IMG.jpg": false, // .nomedia inside: still photos
		"Pictures/.private/IMG_6.jpg":                 false,
		"DCIM/Camera/.trashed-IMG_7.jpg":              false, // no expiry: not MediaStore's
		"DCIM/thumbnails/IMG_8.jpg":                   false,
		"DCIM/Camera/my.thumbnails.jpg":               false,
		"":                                            false,
	}
	for p, want := range tests {
		if got := IsThumbnailCache(p); got != want {
			t.Errorf("IsThumbnailCache(%q) = %v, want %v", p, got, want)
		}
	}
}
