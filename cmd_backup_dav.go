package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/dav"
	"github.com/lifeboat-backup/lifeboat/repo"
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

// davStagingRoot holds the accounts' local mirrors.
func davStagingRoot() string { return filepath.Join(repo.CacheDir(), "dav") }

// stageSource returns the folder to back up and the name to record for a
// source: a folder as it is, or a CardDAV/CalDAV account pulled into its
// staging folder first. A refused password is a usage error; a server
// that fails is backup.ErrSource (nothing committed for this source).
func stageSource(c *cli.Context, p *printer, src string) (dir, name string, release func(), err error) {
	if !dav.IsSource(src) {
		return src, "", func() {}, nil
	}
	password, err := davPassword(c)
	if err != nil {
		return "", "", nil, err
	}
	waiting := func() { p.note("lifeboat: note: %s: waiting for another run that is backing up this account", src) }
	res, err := dav.Sync(c.Context, dav.Options{Source: src, Password: password, StagingRoot: davStagingRoot(), Waiting: waiting})
	switch {
	case err == nil:
	case c.Context.Err() != nil:
		return "", "", nil, c.Context.Err()
	case errors.Is(err, dav.ErrAuth), errors.Is(err, dav.ErrURL):
		return "", "", nil, usageError{fmt.Errorf("%s: %w", src, err)}
	default:
		return "", "", nil, fmt.Errorf("%s: %w: %w", src, backup.ErrSource, err)
	}
	p.detail("%s: %s, %s downloaded, %d removed", res.Name, plural(res.Collections, "collection"), plural(res.Fetched, "resource"), res.Deleted)
	return res.Dir, res.Name, res.Release, nil
}
