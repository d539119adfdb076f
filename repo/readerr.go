package repo

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lifeboat-backup/lifeboat/store"
)

// readError says why a pack (or a blob in it) could not be read. Data
// that is missing, short or fails authentication is damage (ErrDamaged,
// which check and restore report as exit 13). A store that did not answer
// (a dropped connection, a server error, refused credentials, a timeout,
// Ctrl-C) says nothing about the data:
// that error stays what it is, so nobody repairs a repository that is fine.
func readError(name string, err error) error {
	switch {
	case store.Unavailable(err):
		return fmt.Errorf("%s: %w", name, err)
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%s is missing: %w", name, ErrDamaged)
	case isAuthFailure(err):
		return fmt.Errorf("%s does not decrypt (damaged or tampered with): %w", name, ErrDamaged)
	default:
		return fmt.Errorf("%s: %v: %w", name, err, ErrDamaged)
	}
}

// isAuthFailure recognizes age's error for a chunk whose authentication
// tag does not match. age exports no sentinel for it, only this text.
func isAuthFailure(err error) bool {
	return strings.Contains(err.Error(), "failed to decrypt and authenticate")
}
