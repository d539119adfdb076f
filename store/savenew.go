package store

import (
	"context"
	"errors"
	"fmt"
)

// ErrTaken is returned by SaveNew for a name that already holds an object.
var ErrTaken = errors.New("object already exists")

// NewSaver is a Store that can store an object only when its name is
// free, atomically: of two writers racing for one name, exactly one
// succeeds (a local folder links the temporary file under the name, which
// fails when the name exists; SFTP renames without replacing; S3 puts
// with If-None-Match).
type NewSaver interface {
	SaveNew(ctx context.Context, name string, data []byte) error
}

// SaveNew stores data under name unless the name holds an object, in
// which case it fails with ErrTaken. Local, SFTP and S3 are NewSavers; on
// another store the check and the write are two steps, so two writers
// racing there could both succeed.
func SaveNew(ctx context.Context, s Store, name string, data []byte) error {
	if n, ok := s.(NewSaver); ok {
		return n.SaveNew(ctx, name, data)
	}
	_, err := s.Stat(ctx, name)
	if err == nil {
		return fmt.Errorf("%s: %w", name, ErrTaken)
	}
	if !errors.Is(err, ErrNotFound) {
		return err
	}
	return Save(ctx, s, name, data)
}

var (
	_ NewSaver = (*SFTP)(nil)
	_ NewSaver = (*S3)(nil)
)
