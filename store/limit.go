package store

import (
	"context"
	"errors"
	"fmt"
)

// ErrTooLarge is an object larger than its reader accepts: it is not read.
var ErrTooLarge = errors.New("object is larger than allowed")

// LoadLimit reads a whole object of at most limit bytes. Its size is
// checked before it is read, so a huge object planted in the store
// costs no memory; one that grows between the check and the read is
// refused all the same.
func LoadLimit(ctx context.Context, s Store, name string, limit int64) ([]byte, error) {
	n, err := s.Stat(ctx, name)
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, fmt.Errorf("%s is %d bytes, more than %d: %w", name, n, limit, ErrTooLarge)
	}
	b, err := s.Load(ctx, name)
	if err == nil && int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is %d bytes, more than %d: %w", name, len(b), limit, ErrTooLarge)
	}
	return b, err
}
