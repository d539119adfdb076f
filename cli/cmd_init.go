package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/mirror"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

func initCommand() *cli.Command {
	return &cli.Command{
		Name:  "init",
		Usage: "create a repository and its keys",
		Description: "Without flags, init makes an age identity in $XDG_CONFIG_HOME/lifeboat/identity.txt\n" +
			"(reused by later inits). --recipient uses existing public keys and makes no identity.\n" +
			"--passphrase-file stores the identity in the repository, encrypted with the passphrase,\n" +
			"so the passphrase and the repository alone restore everything. Unless it exists, init\n" +
			"writes the config file (--config) naming the repository, mirror and key files.",
		Flags: append(outputFlags(),
			&cli.StringSliceFlag{Name: "recipient", EnvVars: []string{"LIFEBOAT_RECIPIENT"},
				Usage: "encrypt to this age public `KEY` (repeatable)"},
			&cli.StringFlag{Name: "passphrase-file", EnvVars: []string{"LIFEBOAT_PASSPHRASE_FILE"},
				Usage: "store the identity in the repository, encrypted with the passphrase in `FILE`"},
			mirrorFlag(),
		),
		Action: runInit,
	}
}

func runInit(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("init takes no arguments (use --repo DIR)")
	}
	if m := c.String("mirror"); m != "" {
		if err := store.CheckLocation(m); err != nil {
			return usagef("--mirror: %v", err)
		}
	}
	if rs := c.StringSlice("recipient"); len(rs) > 0 {
		if _, err := crypto.ParseRecipients(rs); err != nil {
			return usagef("--recipient: not a valid age public key (age1...)")
		}
	}
	opts := repo.InitOptions{Recipients: c.StringSlice("recipient"), ScryptWorkFactor: scryptWorkFactor(),
		IdentityFile: repo.DefaultIdentityFile()}
	if f := c.String("passphrase-file"); f != "" {
		pass, err := crypto.ReadPassphraseFile(f)
		if err != nil {
			return fmt.Errorf("%w: %w", repo.ErrKeyFile, err)
		}
		opts.Passphrase = pass
	}
	st, err := openStore(c)
	if err != nil {
		return err
	}
	res, err := repo.Init(c.Context, st, opts)
	if errors.Is(err, repo.ErrExists) && c.String("mirror") != "" {
		return addMirror(c, st, mirrorConfigured(c)) // a new or replaced mirror disk for an existing repository
	}
	if errors.Is(err, syscall.ENOTDIR) {
		return usagef("%s is a file; a repository is a folder (a new or empty one for init)", st.Location())
	}
	if err != nil {
		return err
	}
	loc, _ := repoLocation(c)
	p := newPrinter(c)
	cfgFile, cfgKeys := writeInitConfig(c, p, loc, res)
	reportInit(p, loc, res, opts.Passphrase != "", cfgFile)
	if cfgFile != "" {
		p.human("wrote the config file %s (%s): later commands use this repository; list your folders under sources there",
			cfgFile, strings.Join(cfgKeys, ", "))
	}
	if c.String("mirror") == "" {
		return nil
	}
	return addMirror(c, st, slices.Contains(cfgKeys, "mirror"))
}

// addMirror makes --mirror a complete copy of the repository. inConfig
// says the config file names it, so backup keeps it up to date unasked.
func addMirror(c *cli.Context, st store.Store, inConfig bool) error {
	m, err := openMirror(c)
	if err != nil {
		return err
	}
	if _, err := mirror.Init(c.Context, st, m); err != nil {
		return mirrorError{m.Location(), err}
	}
	p := newPrinter(c)
	p.object(map[string]any{"mirror": m.Location(), "complete": true})
	if inConfig {
		p.human("mirror %s holds a complete copy; backup keeps it up to date (the config file names it)", m.Location())
	} else {
		p.human("mirror %s holds a complete copy; keep it up to date with --mirror on backup (or LIFEBOAT_MIRROR)", m.Location())
	}
	return nil
}

// mirrorConfigured reports whether the config file names --mirror as
// the mirror of this repository.
func mirrorConfigured(c *cli.Context) bool {
	cfg := loadedConfig(c)
	if cfg == nil || (c.IsSet("repo") && cfg.repository != "" && !sameLocation(c.String("repo"), cfg.repository)) {
		return false
	}
	for _, s := range cfg.settings {
		if s.key == "mirror" && len(s.values) == 1 && sameLocation(s.values[0], c.String("mirror")) {
			return true
		}
	}
	return false
}

func reportInit(p *printer, loc string, res *repo.InitResult, passphrase bool, cfgFile string) {
	p.object(map[string]any{"repository": loc, "id": res.ID, "recipients": res.Recipients,
		"identity_file": res.IdentityFile, "write_key_file": res.WriteKeyFile, "passphrase_identity": passphrase,
		"config_file": cfgFile})
	p.human("created repository %s at %s", res.ID[:8], loc)
	for _, r := range res.Recipients {
		p.human("  encrypts to %s", r)
	}
	switch {
	case passphrase:
		p.human("the identity is stored in the repository, encrypted with your passphrase:")
		p.human("  the passphrase and this repository are enough to restore on a new machine")
	case res.NewIdentity:
		p.human("new identity (the key that decrypts your backups): %s", res.IdentityFile)
		p.human("  keep a copy off this machine (a password manager or paper); without it nothing can be restored")
	case res.IdentityFile != "":
		p.human("using the existing identity %s", res.IdentityFile)
	default:
		p.human("no identity on this machine: only the holders of the recipients' identities can restore")
	}
	p.human("backups on this machine use the write key %s, which cannot decrypt them", res.WriteKeyFile)
}
