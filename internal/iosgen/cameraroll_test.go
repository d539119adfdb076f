package iosgen

import (
	"bytes"
	"compress/flate"
	"path"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/media"
)

// TestCameraRollReads: lifeboat's own media readers find in every
// generated file the date the generator says it holds (EXIF in each JPEG
// and HEIC, mvhd or Apple's creation date in each MOV and MP4, nothing in
// a PNG), and the set is the mix, spread, layout and size it claims.
func TestCameraRollReads(t *testing.T) {
	files, want := CameraRoll(200, 1)
	if len(files) != 200 || len(want) != 200 {
		t.Fatalf("%d files, %d wants", len(files), len(want))
	}
	kinds := map[string]int{}
	years := map[int]bool{}
	total := 0
	var last time.Time
	for i, f := range files {
		w := want[i]
		ext := path.Ext(f.RelativePath)
		kinds[ext]++
		total += len(f.Data)
		if f.Domain != CameraRollDomain || f.RelativePath != w.RelativePath || len(f.Data) != w.Size {
			t.Fatalf("file %d: %s %s of %d bytes, want %+v", i, f.Domain, f.RelativePath, len(f.Data), w)
		}
		if dir := path.Base(path.Dir(f.RelativePath)); dir != []string{"100APPLE", "101APPLE"}[i/100] {
			t.Errorf("file %d in %s", i, dir)
		}
		r := bytes.NewReader(f.Data)
		photo, photoOK := media.CaptureTimeAt(r, int64(len(f.Data)))
		video, videoOK := media.VideoTime(r, int64(len(f.Data)))
		got, source := media.DateInputs{R: r, Size: int64(len(f.Data)), MTime: f.ModTime}.Date()
		switch ext {
		case ".JPG", ".HEIC":
			if !photoOK || !photo.Equal(w.Taken) || source != media.SourceEXIF {
				t.Errorf("%s: EXIF %v %v (date from %s), want %v", f.RelativePath, photo, photoOK, source, w.Taken)
			}
		case ".MOV", ".MP4":
			if photoOK || !videoOK || !video.Equal(w.Taken) || source != media.SourceVideo {
				t.Errorf("%s: video time %v %v (date from %s), want %v", f.RelativePath, video, videoOK, source, w.Taken)
			}
			if d := f.ModTime.Sub(w.Taken); d <= 0 || d > time.Minute {
				t.Errorf("%s: saved %v after it was taken", f.RelativePath, d)
			}
		case ".PNG":
			if photoOK || videoOK || w.HasDate || source != media.SourceMTime || !w.Taken.Equal(f.ModTime) {
				t.Errorf("%s: a screenshot read %v %v / %v %v, source %s; want %+v", f.RelativePath, photo, photoOK, video, videoOK, source, w)
			}
		default:
			t.Errorf("%s: extension %q", f.RelativePath, ext)
		}
		if !got.Equal(w.Taken) {
			t.Errorf("%s: Date gives %v, want %v", f.RelativePath, got, w.Taken)
		}
		if w.HasDate && (f.ModTime.Equal(w.Taken) || f.ModTime.Sub(w.Taken).Abs() > 15*time.Hour) {
			t.Errorf("%s: saved %v, taken %v: not close to and not equal to the capture", f.RelativePath, f.ModTime, w.Taken)
		}
		if f.ModTime.Before(last) {
			t.Errorf("%s: saved %v, before the file numbered before it (%v)", f.RelativePath, f.ModTime, last)
		}
		last = f.ModTime
		years[w.Taken.Year()] = true
		lo, hi := 30<<10, 300<<10+4<<10
		if ext == ".MOV" || ext == ".MP4" {
			lo, hi = 200<<10, 900<<10+4<<10
		}
		if len(f.Data) < lo || len(f.Data) > hi {
			t.Errorf("%s: %d bytes, want %d to %d", f.RelativePath, len(f.Data), lo, hi)
		}
	}
	for _, ext := range []string{".HEIC", ".JPG", ".PNG", ".MOV", ".MP4"} {
		if kinds[ext] == 0 {
			t.Errorf("no %s in %v", ext, kinds)
		}
	}
	for y := 2019; y <= 2026; y++ {
		if !years[y] {
			t.Errorf("nothing taken in %d", y)
		}
	}
	if total < 25<<20 || total > 40<<20 {
		t.Errorf("%d bytes in all, want 25 to 40 MiB", total)
	}
	t.Logf("200 files, %d bytes, kinds %v", total, kinds)
	// The noise is incompressible: deflate saves under 2%.
	var z bytes.Buffer
	fw, _ := flate.NewWriter(&z, flate.BestSpeed)
	fw.Write(files[0].Data)
	fw.Close()
	if z.Len() < len(files[0].Data)*98/100 {
		t.Errorf("%s deflates from %d to %d bytes", files[0].RelativePath, len(files[0].Data), z.Len())
	}
}

// TestCameraRollDeterministic: a seed gives the same bytes and dates
// every time, another seed others.
func TestCameraRollDeterministic(t *testing.T) {
	a, wa := CameraRoll(30, 7)
	b, wb := CameraRoll(30, 7)
	c, _ := CameraRoll(30, 8)
	same := 0
	for i := range a {
		if a[i].RelativePath != b[i].RelativePath || !bytes.Equal(a[i].Data, b[i].Data) || !a[i].ModTime.Equal(b[i].ModTime) || wa[i] != wb[i] {
			t.Fatalf("file %d differs between two runs with seed 7", i)
		}
		if bytes.Equal(a[i].Data, c[i].Data) {
			same++
		}
	}
	if same != 0 {
		t.Errorf("%d files the same with seeds 7 and 8", same)
	}
}
