package repo

import (
	"context"
	"errors"
	"fmt"
	"net"
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
	case Unavailable(err):
		return fmt.Errorf("%s: %w", name, err)
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%s is missing: %w", name, ErrDamaged)
	case isAuthFailure(err):
		return fmt.Errorf("%s does not decrypt (damaged or tampered with): %w", name, ErrDamaged)
	default:
		return fmt.Errorf("%s: %v: %w", name, err, ErrDamaged)
	}
}

// Unavailable reports whether err is the store not answering (a network
// error, a lost connection, a server error, refused credentials) or the
// run being stopped (Ctrl-C, a deadline): nothing about the data.
func Unavailable(err error) bool {
	var ne net.Error
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) ||
		errors.Is(err, store.ErrUnavailable) || errors.Is(err, store.ErrAccessDenied)
}

// isAuthFailure recognizes age's error for a chunk whose authentication
// tag does not match. age exports no sentinel for it, only this text.
func isAuthFailure(err error) bool {
	return strings.Contains(err.Error(), "failed to decrypt and authenticate")
}
