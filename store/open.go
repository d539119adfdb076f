package store

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// Open returns the store at a location: a folder path, or
// sftp://user@host[:port]/path (key from LIFEBOAT_SFTP_KEY or ~/.ssh,
// host key checked against LIFEBOAT_SFTP_KNOWN_HOSTS or
// ~/.ssh/known_hosts).
func Open(ctx context.Context, loc string) (Store, error) {
	switch {
	case strings.HasPrefix(loc, "sftp://"):
		o := SFTPOptions{KnownHosts: os.Getenv("LIFEBOAT_SFTP_KNOWN_HOSTS")}
		if k := os.Getenv("LIFEBOAT_SFTP_KEY"); k != "" {
			o.KeyFiles = []string{k}
		}
		return DialSFTP(ctx, loc, o)
	case strings.Contains(loc, "://"):
		return nil, fmt.Errorf("%s: %w", loc, ErrUnsupported)
	}
	return NewLocal(loc), nil
}

// CheckLocation reports a location Open cannot use, without connecting.
func CheckLocation(loc string) error {
	switch {
	case strings.HasPrefix(loc, "sftp://"):
		_, _, _, err := ParseSFTP(loc)
		return err
	case strings.Contains(loc, "://"):
		return fmt.Errorf("%s: %w", loc, ErrUnsupported)
	}
	return nil
}

// ErrUnsupported is returned for a location scheme lifeboat does not
// speak (yet).
var ErrUnsupported = fmt.Errorf("unsupported location (a folder or sftp://user@host/path)")
