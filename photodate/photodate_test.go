package photodate_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/media"
	"github.com/lifeboat-backup/lifeboat/photodate"
	"github.com/lifeboat-backup/lifeboat/repo"
)

func TestDateString(t *testing.T) {
	at := time.Date(2024, 5, 1, 12, 0, 30, 0, time.UTC)
	for _, c := range []struct {
		d     photodate.Date
		want  string
		known bool
	}{
		{photodate.Date{Time: at, Source: media.SourceEXIF}, "2024-05-01 12:00", true},
		{photodate.Date{Time: at, Source: media.SourceMTime}, "2024-05-01 12:00 (file time)", false},
		{photodate.Date{}, "", false},
	} {
		if got := c.d.String(); got != c.want || c.d.Known() != c.known {
			t.Errorf("%+v: %q, known %v; want %q, %v", c.d, got, c.d.Known(), c.want, c.known)
		}
	}
}

// counting counts the files read.
type counting struct {
	*repo.Repository
	reads, opens int
}

func (c *counting) ReadFile(ctx context.Context, n format.Node) ([]byte, error) {
	c.reads++
	return c.Repository.ReadFile(ctx, n)
}

func (c *counting) OpenFile(ctx context.Context, n format.Node) (*repo.FileReader, error) {
	c.opens++
	return c.Repository.OpenFile(ctx, n)
}

// TestDatesAcrossSnapshots: a photo kept from one snapshot to the next
// is read once; its sidecar, changed in the second, dates it anew; a
// sidecar in another folder does not date it.
func TestDatesAcrossSnapshots(t *testing.T) {
	src := t.TempDir()
	put := func(name, text string) {
		p := filepath.Join(src, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sidecar := func(unix string) string { return `{"photoTakenTime": {"timestamp": "` + unix + `"}}` }
	put("a/IMG_1.jpg", "\xff\xd8\xff\xe0 no exif")
	put("a/IMG_1.jpg.json", sidecar("1559390400")) // 2019-06-01
	put("b/IMG_2.jpg.json", sidecar("1559390400"))
	put("b/IMG_3.jpg", "\xff\xd8\xff\xe0 no exif either")
	e := testrepo.New(t)
	first := e.Backup(t, src)
	put("a/IMG_1.jpg.json", sidecar("1564617600")) // 2019-08-01 00:00
	second := e.Backup(t, src)
	files := &counting{Repository: e.Open(t, repo.AccessRead)}
	d := photodate.New(files)
	ctx := context.Background()
	for i, c := range []struct {
		snap  *format.Snapshot
		want  string
		reads int
	}{
		{first.Snapshot, "2019-06-01 12:00", 1},
		{first.Snapshot, "2019-06-01 12:00", 0},
		{second.Snapshot, "2019-08-01 00:00", 1},
	} {
		d.Reset()
		nodes := map[string]format.Node{}
		files.Walk(ctx, c.snap.Root.Content, func(rel string, n format.Node) error {
			d.Add(rel, n)
			nodes[rel] = n
			return nil
		})
		files.reads = 0
		got, err := d.Of(ctx, "a/IMG_1.jpg", nodes["a/IMG_1.jpg"])
		if err != nil || got.String() != c.want || got.Source != media.SourceSidecar || files.reads != c.reads {
			t.Errorf("pass %d: %v (%v), %d reads; want %s from its sidecar, %d reads", i, got, err, files.reads, c.want, c.reads)
		}
		if got, _ := d.Of(ctx, "b/IMG_3.jpg", nodes["b/IMG_3.jpg"]); got.Source != media.SourceMTime {
			t.Errorf("pass %d: IMG_3 dated %v by another photo's sidecar", i, got)
		}
	}
}
