package android_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/fakeadb"
	"github.com/lifeboat-backup/lifeboat/source/android"
)

// TestPutFilesPhoneGoneAfterFailedPush: a push that fails for a reason of
// the snapshot's (its bytes cannot be read), with the phone unplugged at
// that moment, so that the new sync connection cannot be opened, ends
// the put with an error instead of a nil-pointer panic.
func TestPutFilesPhoneGoneAfterFailedPush(t *testing.T) {
	p := fakeadb.Start(t, fakeadb.Options{Root: t.TempDir()})
	use(t, p)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := android.Connect(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	damaged := errors.New("the snapshot's pack is damaged")
	write := func(ctx context.Context, w io.Writer) error {
		if _, err := w.Write([]byte("x")); err != nil { // Send has sent its SEND
			return err
		}
		p.Unplug()
		return damaged
	}
	ok := func(ctx context.Context, w io.Writer) error { _, err := w.Write([]byte("y")); return err }
	items := android.Items{Files: []android.File{
		{Path: "DCIM/a.jpg", Size: 2, MTime: time.Unix(1e9, 0), Write: write},
		{Path: "DCIM/b.jpg", Size: 1, MTime: time.Unix(1e9, 0), Write: ok},
	}}
	res, err := android.Put(ctx, d, android.PutOptions{}, items)
	if err == nil {
		t.Fatalf("put onto an unplugged phone succeeded: %+v", res)
	}
	if !errors.Is(err, android.ErrGone) {
		t.Errorf("error %v, want one wrapping ErrGone", err)
	}
	if res.Files.Added != 0 {
		t.Errorf("%d files counted added", res.Files.Added)
	}
}
