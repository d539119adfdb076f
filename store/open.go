package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Open returns the store at a location: a folder path,
// sftp://user@host[:port]/path (key from LIFEBOAT_SFTP_KEY or ~/.ssh,
// host key checked against LIFEBOAT_SFTP_KNOWN_HOSTS or
// ~/.ssh/known_hosts), or s3://host[:port]/bucket[/prefix] (s3+http://
// for plain HTTP; credentials as DialS3 says).
func Open(ctx context.Context, loc string) (Store, error) {
	switch {
	case strings.HasPrefix(loc, "sftp://"):
		o := SFTPOptions{KnownHosts: os.Getenv("LIFEBOAT_SFTP_KNOWN_HOSTS")}
		if k := os.Getenv("LIFEBOAT_SFTP_KEY"); k != "" {
			o.KeyFiles = []string{k}
		}
		return DialSFTP(ctx, loc, o)
	case strings.HasPrefix(loc, "s3://"), strings.HasPrefix(loc, "s3+http://"):
		return DialS3(loc, S3Options{})
	case strings.Contains(loc, "://"):
		return nil, fmt.Errorf("%s: %w", loc, ErrUnsupported)
	}
	return NewLocal(loc), nil
}

// CheckLocation reports a location Open cannot use (malformed, an unknown
// scheme, no credentials for S3), without connecting.
func CheckLocation(loc string) error {
	switch {
	case strings.HasPrefix(loc, "sftp://"):
		_, _, _, err := ParseSFTP(loc)
		return err
	case strings.HasPrefix(loc, "s3://"), strings.HasPrefix(loc, "s3+http://"):
		if _, _, _, _, err := ParseS3(loc); err != nil {
			return err
		}
		_, err := s3Credentials(S3Options{})
		return err
	case strings.Contains(loc, "://"):
		return fmt.Errorf("%s: %w", loc, ErrUnsupported)
	}
	return nil
}

// ErrUnsupported is returned for a location scheme lifeboat does not
// speak (yet).
var ErrUnsupported = fmt.Errorf("unsupported location (a folder, sftp://user@host/path or s3://host/bucket/prefix)")

// ErrBadLocation is returned for a location that cannot be parsed.
var ErrBadLocation = errors.New("malformed location")
