package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/lifeboat-backup/lifeboat/source/android"
	"github.com/lifeboat-backup/lifeboat/source/android/adb"
)

// phoneSource is an Android phone over adb. What keeps a phone from being
// read at all (no adb, no phone, a phone that has not authorized this
// computer, a locked one) is ErrSource, except a missing adb command and
// more than one phone with none chosen, which the caller words as usage
// errors; a phone unplugged in the middle of a backup makes every read
// after it ErrSource, so that nothing of it is committed.
type phoneSource struct{ s *android.Source }

func (p phoneSource) Name() string { return p.s.Name() }

func (p phoneSource) Open(ctx context.Context) (Tree, func(), error) {
	t, release, err := p.s.Open(ctx)
	var many *adb.ManyDevicesError
	switch {
	case err == nil:
		return goneTree{t}, release, nil
	case ctx.Err() != nil:
		return nil, nil, ctx.Err()
	case errors.Is(err, adb.ErrNoADB), errors.As(err, &many):
		return nil, nil, err
	}
	return nil, nil, fmt.Errorf("%w: %w", ErrSource, err)
}

// goneTree makes a read that failed because the phone went away
// ErrSource: backup then stops and commits nothing for the phone, instead
// of a snapshot missing every file after the cable was pulled.
type goneTree struct{ *android.Tree }

func (t goneTree) Open(name string) (fs.File, error) {
	f, err := t.Tree.Open(name)
	if err != nil {
		return nil, gone(err)
	}
	return goneFile{f}, nil
}

type goneFile struct{ fs.File }

func (f goneFile) Read(b []byte) (int, error) {
	n, err := f.File.Read(b)
	return n, gone(err)
}

func gone(err error) error {
	if err != nil && errors.Is(err, android.ErrGone) && !errors.Is(err, ErrSource) {
		return fmt.Errorf("%w: %w", ErrSource, err)
	}
	return err
}
