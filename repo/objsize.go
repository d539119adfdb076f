package repo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lifeboat-backup/lifeboat/store"
)

// maxPackObject bounds a pack: lifeboat closes packs at PackTarget of
// plaintext, so with one last blob of format.MaxBlobSize, age's overhead
// and the trailer a pack it wrote stays far below this.
const maxPackObject = 128 << 20

// MaxObjectSize is the largest object named name that a reader accepts:
// a pack, index file or snapshot by its folder, a lock, and otherwise
// the config and keys.
func MaxObjectSize(name string) int64 {
	switch {
	case strings.HasPrefix(name, "data/"):
		return maxPackObject
	case strings.HasPrefix(name, "index/"):
		return maxIndexObject
	case strings.HasPrefix(name, "snapshots/"):
		return maxSnapshotObject
	default:
		return maxKeyObject // config, keys/*, locks/*
	}
}

// LoadObject reads a whole object after checking its size against
// MaxObjectSize: a larger one is damage, and is never read.
func LoadObject(ctx context.Context, st store.Store, name string) ([]byte, error) {
	b, err := store.LoadLimit(ctx, st, name, MaxObjectSize(name))
	if errors.Is(err, store.ErrTooLarge) {
		return nil, fmt.Errorf("%w: %w", err, ErrDamaged)
	}
	return b, err
}
