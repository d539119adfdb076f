package cli

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// Flags shared by commands. Every flag a cron job needs has an
// environment variable LIFEBOAT_<FLAG>. They are made anew for every app:
// the cli package keeps parsed values in the flag structs, so shared ones
// would carry one run's values into the next (in tests, in-process).
func outputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "repo", Aliases: []string{"r"}, EnvVars: []string{"LIFEBOAT_REPO"},
			Usage: "repository: a `DIR`, sftp://user@host/path or s3://host/bucket/prefix (default: $XDG_DATA_HOME/lifeboat/repo)"},
		&cli.BoolFlag{Name: "json", EnvVars: []string{"LIFEBOAT_JSON"}, Usage: "print JSON lines"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, EnvVars: []string{"LIFEBOAT_QUIET"},
			Usage: "print nothing on success"},
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, EnvVars: []string{"LIFEBOAT_VERBOSE"},
			Usage: "print detail: each new or changed file (backup), each object copied (sync)"},
	}
}

func keyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "identity", Aliases: []string{"i"}, EnvVars: []string{"LIFEBOAT_IDENTITY"},
			Usage: "age identity `FILE` (default: $XDG_CONFIG_HOME/lifeboat/identity.txt)"},
		&cli.StringFlag{Name: "passphrase-file", EnvVars: []string{"LIFEBOAT_PASSPHRASE_FILE"},
			Usage: "read the passphrase of the identity stored in the repository from `FILE`"},
	}
}

// repoLocation returns --repo or the default repository, and whether it
// is the default.
func repoLocation(c *cli.Context) (string, bool) {
	if r := c.String("repo"); r != "" {
		return r, false
	}
	return repo.DefaultRepo(), true
}

// openStore opens the repository's location once per command.
func openStore(c *cli.Context) (store.Store, error) {
	if s, ok := c.App.Metadata["store"].(store.Store); ok {
		return s, nil
	}
	loc, _ := repoLocation(c)
	s, err := store.Open(c.Context, loc)
	if err != nil {
		return nil, usageOrNet(err)
	}
	if c.App.Metadata == nil {
		c.App.Metadata = map[string]any{}
	}
	c.App.Metadata["store"] = s
	return s, nil
}

// usageOrNet makes a location lifeboat cannot use (unknown scheme,
// malformed, no credentials) a usage error.
func usageOrNet(err error) error {
	if errors.Is(err, store.ErrUnsupported) || errors.Is(err, store.ErrBadLocation) || errors.Is(err, store.ErrNoCredentials) {
		return usageError{err}
	}
	return err
}

// keysFrom builds the key sources of a command from its flags.
func keysFrom(c *cli.Context) repo.Keys {
	k := repo.Keys{}
	if c.IsSet("identity") || os.Getenv("LIFEBOAT_IDENTITY") != "" {
		k.IdentityFile = c.String("identity")
	}
	if f := c.String("passphrase-file"); f != "" {
		k.PassphraseFile = f
	}
	if term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stderr.Fd())) {
		k.Prompt = func() (string, error) { return promptPassphrase(c, "passphrase of the repository's identity: ") }
	}
	return k
}

func promptPassphrase(c *cli.Context, prompt string) (string, error) {
	fmt.Fprint(c.App.ErrWriter, prompt)
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(c.App.ErrWriter)
	if err != nil {
		return "", fmt.Errorf("read passphrase: %w", err)
	}
	return string(b), nil
}

// scryptWorkFactor lets tests make age's scrypt cheap, as age's own tests
// do. It only lowers the cost of wrapping at init; users never set it.
func scryptWorkFactor() int {
	n, _ := strconv.Atoi(os.Getenv("LIFEBOAT_TEST_SCRYPT_WORK_FACTOR"))
	return n
}

// baseName is the last element of a source path.
func baseName(p string) string { return filepath.Base(p) }

// openSnapshot opens the repository with the identity and resolves the
// command's SNAPSHOT argument: what ls, restore and export start with.
func openSnapshot(c *cli.Context) (*repo.Repository, repo.SnapshotInfo, error) {
	r, err := openRepo(c, repo.AccessRead)
	if err != nil {
		return nil, repo.SnapshotInfo{}, err
	}
	snap, err := findSnapshot(c, r)
	if err != nil {
		r.Close()
		return nil, repo.SnapshotInfo{}, err
	}
	return r, snap, nil
}

// findSnapshot resolves the SNAPSHOT argument. A spec that matches
// nothing is a usage error; a damaged snapshot is damage.
func findSnapshot(c *cli.Context, r *repo.Repository) (repo.SnapshotInfo, error) {
	return resolveSnapshot(c, r, c.Args().First())
}

// resolveSnapshot resolves one SNAPSHOT spec, mapping "no such snapshot"
// to a usage error.
func resolveSnapshot(c *cli.Context, r *repo.Repository, spec string) (repo.SnapshotInfo, error) {
	s, err := r.FindSnapshot(c.Context, spec)
	if errors.Is(err, repo.ErrNoSnapshot) {
		if strings.HasPrefix(spec, "latest:") && !errors.Is(err, repo.ErrAmbiguousSource) {
			if names := sourceNames(c, r); names != "" {
				err = fmt.Errorf("%w; the sources are %s", err, names)
			}
		}
		return s, usageError{err}
	}
	return s, err
}

// sourceNames lists the sources of the repository as latest:NAME takes
// them (the folder's name, or the whole source where two share it), or
// "".
func sourceNames(c *cli.Context, r *repo.Repository) string {
	latest, err := r.Latest(c.Context)
	if err != nil {
		return ""
	}
	count := map[string]int{}
	for _, s := range latest {
		count[path.Base(s.Source)]++
	}
	var out []string
	seen := map[string]bool{}
	for _, s := range latest {
		n := path.Base(s.Source)
		if count[n] > 1 {
			n = s.Source
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, clean(n))
		}
	}
	return strings.Join(out, ", ")
}

// openRepo opens the repository a command names.
func openRepo(c *cli.Context, access repo.Access) (*repo.Repository, error) {
	st, err := openStore(c)
	if err != nil {
		return nil, err
	}
	return repo.Open(c.Context, st, keysFrom(c), access)
}
