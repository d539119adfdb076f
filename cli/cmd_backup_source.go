package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/source"
	"github.com/lifeboat-backup/lifeboat/source/android"
	"github.com/lifeboat-backup/lifeboat/source/dav"
)

// davPasswordFileFlag is --dav-password-file (config: [dav] password_file).
func davPasswordFileFlag() cli.Flag {
	return &cli.StringFlag{Name: "dav-password-file", EnvVars: []string{"LIFEBOAT_DAV_PASSWORD_FILE"},
		Usage: "read the CardDAV/CalDAV password from `FILE` (mode 0600; or set LIFEBOAT_DAV_PASSWORD)"}
}

// davPassword is the password from --dav-password-file, or
// LIFEBOAT_DAV_PASSWORD, or "" (no credentials sent).
func davPassword(c *cli.Context) (string, error) {
	if f := c.String("dav-password-file"); f != "" {
		b, err := crypto.ReadSecretFile(f)
		if err != nil {
			if errors.Is(err, crypto.ErrInsecureFile) {
				return "", fmt.Errorf("--dav-password-file: %w", err)
			}
			return "", usagef("--dav-password-file: cannot read %s", f)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return os.Getenv("LIFEBOAT_DAV_PASSWORD"), nil
}

// iosPasswordFileFlag is --ios-password-file (config: [ios] password_file).
func iosPasswordFileFlag() cli.Flag {
	return &cli.StringFlag{Name: "ios-password-file", EnvVars: []string{"LIFEBOAT_IOS_PASSWORD_FILE"},
		Usage: "read an encrypted iPhone backup's password from `FILE` (mode 0600)"}
}

// iosPassword reads --ios-password-file, once an encrypted iPhone backup
// asks for it; without one the backup cannot be opened.
func iosPassword(c *cli.Context) ([]byte, error) {
	f := c.String("ios-password-file")
	if f == "" {
		return nil, nil
	}
	b, err := crypto.ReadSecretFile(f)
	if err != nil {
		if errors.Is(err, crypto.ErrInsecureFile) {
			return nil, fmt.Errorf("--ios-password-file: %w", err)
		}
		return nil, usagef("--ios-password-file: cannot read %s", f)
	}
	n := len(b)
	for n > 0 && (b[n-1] == '\n' || b[n-1] == '\r') {
		n--
	}
	clear(b[n:])
	return b[:n], nil
}

// davStagingRoot holds the accounts' local mirrors.
func davStagingRoot() string { return filepath.Join(repo.CacheDir(), "dav") }

// openSource picks the source that arguments name (one, or the parts of
// one export as archive.Group groups them) and opens it for one backup. A
// refused CardDAV/CalDAV password or URL is a usage error; a source that
// cannot be read is backup.ErrSource (nothing committed for it).
func openSource(c *cli.Context, p *printer, args []string) (source.Source, source.Tree, func(), error) {
	arg := strings.Join(args, " ")
	s, err := source.ParseParts(args, source.Options{
		Password:    func() (string, error) { return davPassword(c) },
		StagingRoot: davStagingRoot(),
		Note:        func(msg string) { p.note("lifeboat: note: %s", msg) },
		Detail:      func(msg string) { p.detail("%s", msg) },
		Media:       androidMedia(c),
		IOSPassword: func() ([]byte, error) { return iosPassword(c) },
	})
	if err != nil {
		return nil, nil, nil, sourceUsage(arg, err)
	}
	t, release, err := s.Open(c.Context)
	if err != nil {
		return nil, nil, nil, sourceUsage("", err)
	}
	return s, t, release, nil
}

// androidMedia is --android-media, or nil for the default folders.
func androidMedia(c *cli.Context) []string {
	if !c.IsSet("android-media") {
		return nil
	}
	return c.StringSlice("android-media")
}

// sourceUsage makes a refused account password or URL a usage error.
func sourceUsage(arg string, err error) error {
	var ue usageError
	if errors.As(err, &ue) || !(errors.Is(err, dav.ErrAuth) || errors.Is(err, dav.ErrURL) || errors.Is(err, android.ErrURL) || errors.Is(err, android.ErrMedia)) {
		return err
	}
	if arg != "" {
		err = fmt.Errorf("%s: %w", arg, err)
	}
	return usageError{err}
}
