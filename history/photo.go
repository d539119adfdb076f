package history

import (
	"context"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/media"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// photoDate returns a photo's capture date from its EXIF data, or "".
// Only the first blob is read: EXIF sits at the start of the file.
func photoDate(ctx context.Context, r *repo.Repository, n format.Node) string {
	head, err := r.ReadHead(ctx, n)
	if err != nil {
		return ""
	}
	t, ok := media.CaptureTime(head)
	if !ok {
		return ""
	}
	return t.Format("2006-01-02 15:04")
}
