package cli

import (
	"errors"
	"fmt"
	"github.com/lifeboat-backup/lifeboat/lock"
	"os"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/mirror"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

func keyCommand() *cli.Command {
	subs := []*cli.Command{keyListCommand(), keyAddCommand(), keyRemoveCommand(), keyPasswdCommand(), keyKitCommand(), keyTagCommand()}
	for _, s := range subs {
		s.OnUsageError = func(_ *cli.Context, err error, _ bool) error { return usageError{err} }
	}
	return &cli.Command{
		Name:            "key",
		Usage:           "list, add and remove recipients, change the passphrase, print a recovery kit",
		HideHelpCommand: true,
		Subcommands:     subs,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("unknown key command %q (list, add, remove, passwd, recovery-kit, tag)", c.Args().First())
			}
			return usagef("key needs a command: list, add, remove, passwd, recovery-kit or tag")
		},
	}
}

func keyListCommand() *cli.Command {
	return &cli.Command{
		Name:  "list",
		Usage: "show the recipients, the stored identity and this machine's keys (needs no secret)",
		Flags: append(outputFlags(), keyFlags()...),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("key list takes no arguments")
			}
			st, err := openStore(c)
			if err != nil {
				return err
			}
			info, err := repo.ListKeys(c.Context, st, keysFrom(c))
			if err != nil {
				return err
			}
			reportKeys(newPrinter(c), st.Location(), info)
			return nil
		},
	}
}

// recipientRoles says what each recipient is to this machine.
func recipientRoles(info *repo.KeyInfo, r string) []string {
	var roles []string
	if r == info.StoredRecipient {
		roles = append(roles, "the identity stored in the repository (opened by the passphrase)")
	}
	if slices.Contains(info.LocalRecipients, r) {
		roles = append(roles, "this machine's identity ("+info.IdentityFile+")")
	}
	return roles
}

func reportKeys(p *printer, loc string, info *repo.KeyInfo) {
	var rcpts []map[string]any
	for _, r := range info.Recipients {
		rcpts = append(rcpts, map[string]any{"recipient": r, "this_machine": slices.Contains(info.LocalRecipients, r),
			"stored_identity": r == info.StoredRecipient})
	}
	p.object(map[string]any{"repository": loc, "id": info.ID, "recipients": rcpts,
		"passphrase_identity": info.PassphraseIdentity, "identity_file": info.IdentityFile, "write_key_file": info.WriteKeyFile})
	p.human("repository %s at %s", info.ID, loc)
	p.human("recipients (new data is encrypted to each):")
	for _, r := range info.Recipients {
		if roles := recipientRoles(info, r); len(roles) > 0 {
			p.human("  %s  %s", r, strings.Join(roles, "; "))
		} else {
			p.human("  %s", r)
		}
	}
	if info.PassphraseIdentity {
		p.human("the repository stores an identity encrypted with a passphrase (keys/identity.age)")
	} else {
		p.human("the repository stores no identity: restoring needs an identity file")
	}
	if info.IdentityFile != "" && len(info.LocalRecipients) > 0 && !slices.ContainsFunc(info.Recipients, func(r string) bool {
		return slices.Contains(info.LocalRecipients, r)
	}) {
		p.human("this machine's identity %s is not a recipient of this repository", info.IdentityFile)
	}
	if info.WriteKeyFile != "" {
		p.human("write key on this machine: %s", info.WriteKeyFile)
	} else {
		p.human("no write key on this machine")
	}
}

func keyAddCommand() *cli.Command {
	return &cli.Command{
		Name:  "add",
		Usage: "encrypt new data to more age public keys (needs the write key)",
		Description: "Adds recipients to the repository's config and re-encrypts keys/write.age to all of them.\n" +
			"Data written from now on is encrypted to the new keys too; data already written is not:\n" +
			"it stays readable only by the earlier keys, and new snapshots reuse it where it did not change.",
		Flags: append(append(outputFlags(), keyFlags()...), mirrorFlag(),
			&cli.StringSliceFlag{Name: "recipient", Usage: "add this age public `KEY` (age1..., repeatable)"},
			&cli.StringFlag{Name: "recipient-file", Usage: "add the age public keys in `FILE`, one a line (# comments)"}),
		Action: runKeyAdd,
	}
}

func runKeyAdd(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("key add takes keys with --recipient KEY or --recipient-file FILE, not as arguments")
	}
	keys, err := recipientArgs(c)
	if err != nil {
		return err
	}
	st, err := openKeyStores(c)
	if err != nil {
		return err
	}
	ed, err := repo.EditKeys(c.Context, st, keysFrom(c))
	if err != nil {
		return err
	}
	set, err := ed.AddRecipients(c.Context, keys)
	if err != nil {
		return keyUsage(err)
	}
	p := newPrinter(c)
	cfg, _ := set.Config()
	p.object(map[string]any{"added": keys, "recipients": cfg.Recipients})
	for _, k := range keys {
		p.human("added %s", k)
	}
	p.human("the repository now encrypts to %s", plural(len(cfg.Recipients), "recipient"))
	p.human("data written from now on is encrypted to the new keys too; data already written is not: it stays " +
		"readable only by the earlier keys, and new snapshots reuse it where it did not change")
	return putMirrorKeys(c, p, set)
}

// recipientArgs collects and checks the keys of --recipient and
// --recipient-file. Errors never echo the input: it may be a secret key
// given by mistake.
func recipientArgs(c *cli.Context) ([]string, error) {
	var keys []string
	for _, k := range c.StringSlice("recipient") {
		r, err := repo.ParseRecipient(k)
		if err != nil {
			return nil, usagef("--recipient: %w", err)
		}
		keys = append(keys, r)
	}
	if f := c.String("recipient-file"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, usagef("--recipient-file: %w", err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			r, err := repo.ParseRecipient(line)
			if err != nil {
				return nil, usagef("%s:%d: %w", f, i+1, err)
			}
			keys = append(keys, r)
		}
	}
	if len(keys) == 0 {
		return nil, usagef("key add needs --recipient KEY or --recipient-file FILE")
	}
	for i, k := range keys {
		if slices.Contains(keys[:i], k) {
			return nil, usagef("%s is given twice", k)
		}
	}
	return keys, nil
}

func keyRemoveCommand() *cli.Command {
	return &cli.Command{
		Name:      "remove",
		Usage:     "stop encrypting new data to an age public key (needs the write key)",
		ArgsUsage: "AGEPUBKEY",
		Description: "Removes a recipient from the config and re-encrypts keys/write.age to the others. Data\n" +
			"already written stays decryptable by the removed key: age has no revocation, and only a new\n" +
			"repository cuts a key off from everything. Refuses the last recipient; the key of the\n" +
			"identity stored in the repository (then keys/identity.age is deleted) or of this machine's\n" +
			"identity only with --force.",
		Flags: append(append(outputFlags(), keyFlags()...), mirrorFlag(),
			&cli.BoolFlag{Name: "force", Usage: "also remove the key of the stored identity or of this machine's identity"}),
		Action: runKeyRemove,
	}
}

func runKeyRemove(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("key remove takes one age public key (age1...)")
	}
	key, err := repo.ParseRecipient(c.Args().First())
	if err != nil {
		return usageError{err}
	}
	st, err := openKeyStores(c)
	if err != nil {
		return err
	}
	ed, err := repo.EditKeys(c.Context, st, keysFrom(c))
	if err != nil {
		return err
	}
	set, res, err := ed.RemoveRecipient(c.Context, key, repo.RemoveOptions{Force: c.Bool("force")})
	if err != nil {
		return keyUsage(err)
	}
	p := newPrinter(c)
	cfg, _ := set.Config()
	p.object(map[string]any{"removed": key, "recipients": cfg.Recipients,
		"stored_identity_removed": res.StoredIdentityRemoved, "this_machine": res.LocalIdentity})
	p.human("removed %s; the repository now encrypts to %s", key, plural(len(cfg.Recipients), "recipient"))
	if res.StoredIdentityRemoved {
		p.human("deleted keys/identity.age: the passphrase no longer opens this repository")
	}
	if res.LocalIdentity {
		p.human("this machine's identity no longer decrypts what is written from now on")
	}
	p.warn("data already written stays decryptable by the removed key (age has no revocation); " +
		"to cut it off from everything, start a new repository")
	return putMirrorKeys(c, p, set)
}

// keyUsage makes a refused key change a usage error.
func keyUsage(err error) error {
	for _, e := range []error{repo.ErrBadRecipient, repo.ErrDuplicateRecipient, repo.ErrNotRecipient,
		repo.ErrLastRecipient, repo.ErrProtectedRecipient, repo.ErrNoStoredIdentity} {
		if errors.Is(err, e) {
			return usageError{err}
		}
	}
	return err
}

// openKeyStores checks --mirror before anything changes, and opens the
// repository.
func openKeyStores(c *cli.Context) (store.Store, error) {
	if m := c.String("mirror"); m != "" {
		if err := store.CheckLocation(m); err != nil {
			return nil, usagef("--mirror: %v", err)
		}
	}
	if _, err := lockRepo(c, lock.Write); err != nil {
		return nil, err
	}
	return openStore(c)
}

// putMirrorKeys writes a key change to --mirror too: the config and keys
// are not named by their hash, and a mirror whose differ is not a copy
// of the repository. A mirror that cannot be updated costs exit 3; sync
// (or the next backup with --mirror) catches up.
func putMirrorKeys(c *cli.Context, p *printer, set repo.KeySet) error {
	loc := c.String("mirror")
	if loc == "" {
		return nil
	}
	m, err := openMirror(c)
	var rep *mirror.Report
	if err == nil {
		rep, err = mirror.PutKeys(c.Context, set, m)
	}
	if c.Context.Err() != nil {
		return c.Context.Err()
	}
	if err != nil {
		p.warn("mirror %s not updated: %s", loc, strings.TrimPrefix(err.Error(), loc+": "))
		return partialError{fmt.Sprintf("warning: the keys were changed in the repository, but the mirror %s still has "+
			"the old ones; run 'lifeboat sync' when it is back", loc)}
	}
	p.note("lifeboat: mirror %s: %s updated", loc, plural(len(rep.Copied), "key object"))
	return nil
}

func keyPasswdCommand() *cli.Command {
	return &cli.Command{
		Name:  "passwd",
		Usage: "change the passphrase of the identity stored in the repository",
		Description: "Re-encrypts keys/identity.age with a new passphrase. The current passphrase comes from\n" +
			"--passphrase-file (LIFEBOAT_PASSPHRASE_FILE) or a prompt, the new one from\n" +
			"--new-passphrase-file or a prompt (twice). The identity itself does not change.",
		Flags: append(outputFlags(), mirrorFlag(),
			&cli.StringFlag{Name: "passphrase-file", EnvVars: []string{"LIFEBOAT_PASSPHRASE_FILE"},
				Usage: "read the current passphrase from `FILE`"},
			&cli.StringFlag{Name: "new-passphrase-file", Usage: "read the new passphrase from `FILE`"}),
		Action: runKeyPasswd,
	}
}

func runKeyPasswd(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("key passwd takes no arguments")
	}
	st, err := openKeyStores(c)
	if err != nil {
		return err
	}
	terminal := term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stderr.Fd()))
	oldPass, err := passphraseFrom(c, "passphrase-file", terminal, "current passphrase of the repository's identity: ")
	if err != nil {
		return err
	}
	newPass, err := passphraseFrom(c, "new-passphrase-file", terminal, "new passphrase: ")
	if err != nil {
		return err
	}
	if newPass == oldPass {
		return usagef("the new passphrase is the current one")
	}
	set, err := repo.ChangePassphrase(c.Context, st, repo.Keys{}, oldPass, newPass, scryptWorkFactor())
	if errors.Is(err, repo.ErrNoStoredIdentity) {
		return usagef("%w (it was made without --passphrase-file): its identity is a file, which lifeboat does not encrypt", err)
	}
	if err != nil {
		return err
	}
	p := newPrinter(c)
	p.object(map[string]any{"changed": true})
	p.human("changed the passphrase of the identity stored in the repository")
	p.human("the old passphrase no longer opens it here; older copies of keys/identity.age (an old copy of the " +
		"repository) still open with it")
	return putMirrorKeys(c, p, set)
}

// passphraseFrom reads a passphrase from the file a flag names, or asks
// on the terminal (a new passphrase twice).
func passphraseFrom(c *cli.Context, flag string, terminal bool, prompt string) (string, error) {
	if f := c.String(flag); f != "" {
		pass, err := crypto.ReadPassphraseFile(f)
		if err != nil {
			return "", fmt.Errorf("%w: --%s: %w", repo.ErrKeyFile, flag, err)
		}
		return pass, nil
	}
	if !terminal {
		return "", usagef("key passwd needs --%s FILE (or a terminal to ask on)", flag)
	}
	pass, err := promptPassphrase(c, prompt)
	switch {
	case err != nil:
		return "", err
	case pass == "":
		return "", usagef("the passphrase is empty")
	case flag == "passphrase-file":
		return pass, nil
	}
	again, err := promptPassphrase(c, "new passphrase again: ")
	if err != nil {
		return "", err
	}
	if again != pass {
		return "", usagef("the two new passphrases differ")
	}
	return pass, nil
}
