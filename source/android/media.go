package android

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/lifeboat-backup/lifeboat/source/android/adb"
)

// storage is where the shared storage of the phone's user 0 is.
const storage = "/sdcard"

// Bounds on a listing: deeper folders or more entries than these are a
// phone lifeboat refuses to walk to the end (a loop of bind mounts, a
// hostile device), not a reason to run forever.
const (
	maxDepth   = 64
	maxEntries = 5_000_000
)

// lister is what listing media needs of a sync connection.
type lister interface {
	Stat(path string) (adb.Entry, error)
	List(dir string) ([]adb.Entry, error)
}

// listMedia lists each media folder under /sdcard into t, recursively.
// A folder the phone does not have is passed over; one it refuses at the
// top, or /sdcard itself unreadable, is a locked phone (ErrLocked); one
// refused below is an error of that folder alone, which the backup
// reports.
func listMedia(ctx context.Context, s lister, media []string, t *Tree) (missing []string, err error) {
	count := 0
	var walk func(dir string, depth int) error
	walk = func(rel string, depth int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if depth > maxDepth {
			return fmt.Errorf("%s: folders nested deeper than %d", rel, maxDepth)
		}
		list, err := s.List(storage + "/" + rel)
		if err != nil {
			// A folder's own error is the phone's answer about it (a
			// *fs.PathError: FAIL, errno, not a folder); anything else
			// (the phone gone, bytes that break the protocol, a listing
			// too long) leaves the connection unusable, and every
			// folder after it would be missing from the snapshot.
			var pe *fs.PathError
			if !errors.As(err, &pe) || errors.Is(err, adb.ErrGone) || ctx.Err() != nil {
				return err
			}
			if depth == 1 && errors.Is(err, fs.ErrPermission) {
				return fmt.Errorf("%s/%s: %w (its storage cannot be read)", storage, rel, ErrLocked)
			}
			t.dirError(rel, err)
			return nil
		}
		for _, e := range list {
			if !safeSegment(e.Name) {
				continue
			}
			if count++; count > maxEntries {
				return fmt.Errorf("more than %d entries in the media folders", maxEntries)
			}
			crel := path.Join(rel, e.Name)
			switch {
			case e.Mode.IsDir():
				t.addDir(crel, e.MTime)
				if err := walk(crel, depth+1); err != nil {
					return err
				}
			case e.Mode.IsRegular():
				t.addPhone(crel, e)
			}
			// Symlinks, sockets and devices are not media: left out.
		}
		return nil
	}
	if err := storageReadable(ctx, s); err != nil {
		return nil, err
	}
	for _, m := range media {
		e, err := s.Stat(storage + "/" + m)
		switch {
		case errors.Is(err, fs.ErrNotExist) || (err == nil && !e.Mode.IsDir()):
			missing = append(missing, m)
			continue
		case errors.Is(err, fs.ErrPermission):
			return nil, fmt.Errorf("%s/%s: %w (its storage cannot be read)", storage, m, ErrLocked)
		case err != nil:
			return nil, err
		}
		t.addDir(m, e.MTime)
		if err := walk(m, 1); err != nil {
			return nil, err
		}
	}
	return missing, nil
}

// storageReadable checks /sdcard itself (its trailing slash follows the
// symlink it is on a phone). Every phone has it, but a phone not
// unlocked since it started refuses every path of it, and a STAT (v1,
// before Android 8's stat_v2) answers a refused path as a missing one:
// without this check each media folder would seem missing, and an empty
// snapshot would be committed.
func storageReadable(ctx context.Context, s lister) error {
	e, err := s.Stat(storage + "/")
	switch {
	case err == nil && e.Mode.IsDir():
		return nil
	case err == nil:
		return fmt.Errorf("%s is not a folder on the phone", storage)
	case errors.Is(err, adb.ErrGone) || ctx.Err() != nil:
		return err
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s: %w (its storage cannot be read)", storage, ErrLocked)
	}
	return err
}
