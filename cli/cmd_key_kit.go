package cli

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/mirror"
	"github.com/lifeboat-backup/lifeboat/repo"
)

func keyKitCommand() *cli.Command {
	return &cli.Command{
		Name:  "recovery-kit",
		Usage: "print what to keep off this machine to restore without it",
		Description: "Prints the repository id, both locations, the recipients, what key restores (the passphrase,\n" +
			"or which identity file) and the commands that restore everything on a new computer. It holds\n" +
			"no secret, unless --include-identity adds this machine's identity (printed on stdout only).",
		Flags: append(append(outputFlags(), keyFlags()...), mirrorFlag(),
			&cli.BoolFlag{Name: "include-identity", Usage: "also print this machine's identity file (a SECRET)"}),
		Action: runKeyKit,
	}
}

// kit is what a recovery kit says.
type kit struct {
	ID                 string   `json:"id"`
	Primary            string   `json:"primary"`
	Mirror             string   `json:"mirror"`
	Recipients         []string `json:"recipients"`
	PassphraseIdentity bool     `json:"passphrase_identity"`
	IdentityFile       string   `json:"identity_file"`
	Identity           string   `json:"identity,omitempty"`
	Restore            []string `json:"restore"`
	info               *repo.KeyInfo
}

func runKeyKit(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("key recovery-kit takes no arguments")
	}
	st, err := openKeyStores(c)
	if err != nil {
		return err
	}
	info, err := repo.ListKeys(c.Context, st, keysFrom(c))
	if err != nil {
		return err
	}
	p := newPrinter(c)
	k := &kit{ID: info.ID, Primary: absLocation(st.Location()), Recipients: info.Recipients,
		PassphraseIdentity: info.PassphraseIdentity, info: info}
	if slices.ContainsFunc(info.Recipients, func(r string) bool { return slices.Contains(info.LocalRecipients, r) }) {
		k.IdentityFile = info.IdentityFile
	} else if info.IdentityFile != "" {
		p.warn("the identity file %s is not a recipient of this repository; the kit leaves it out", info.IdentityFile)
	}
	if err := kitMirror(c, p, k); err != nil {
		return err
	}
	if c.Bool("include-identity") {
		if k.IdentityFile == "" && k.PassphraseIdentity {
			return usagef("--include-identity: this machine has no identity file for this repository; its identity is stored in the repository, so keep the passphrase")
		}
		if k.IdentityFile == "" {
			return usagef("--include-identity: this machine has no identity file for this repository")
		}
		b, err := crypto.ReadSecretFile(k.IdentityFile)
		if err != nil {
			return fmt.Errorf("%w: %w", repo.ErrKeyFile, err)
		}
		k.Identity = string(b)
	}
	k.Restore = k.commands()
	p.object(k)
	for _, line := range strings.Split(k.text(), "\n") {
		p.human("%s", line)
	}
	return nil
}

// kitMirror names --mirror in the kit, after checking that it holds this
// repository; one that cannot be reached is named with a warning.
func kitMirror(c *cli.Context, p *printer, k *kit) error {
	m, err := openMirror(c)
	if err != nil || m == nil {
		return err
	}
	k.Mirror = absLocation(m.Location())
	set, err := repo.LoadKeySet(c.Context, m)
	if err == nil {
		mc, cerr := set.Config()
		switch {
		case cerr != nil:
			err = cerr
		case mc.ID != k.ID:
			return fmt.Errorf("%s: %w", m.Location(), mirror.ErrOther)
		}
	}
	if err != nil {
		p.warn("mirror %s could not be checked (%v); the kit names it anyway", m.Location(), err)
	}
	return nil
}

// keyArgs are the restore flags that give the key.
func (k *kit) keyArgs() string {
	if k.PassphraseIdentity {
		return "--passphrase-file pass.txt"
	}
	return "--identity identity.txt"
}

// commands are the restore commands, the mirror's first: the phone and
// the laptop (the primary) are gone.
func (k *kit) commands() []string {
	var out []string
	for _, loc := range []string{k.Mirror, k.Primary} {
		if loc != "" {
			out = append(out, fmt.Sprintf("lifeboat restore latest --repo %s %s --to ~/restored", shellQuote(loc), k.keyArgs()))
		}
	}
	return out
}

func (k *kit) text() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("LIFEBOAT RECOVERY KIT")
	w("Keep this off the computer it describes: on paper, or in a password manager.")
	if k.Identity != "" {
		w("It holds a SECRET: with the identity below and a copy of the repository, anyone reads every backup.")
	} else {
		w("It holds no secret.")
	}
	w("")
	w("repository id  %s", k.ID)
	w("primary        %s", k.Primary)
	if k.Mirror != "" {
		w("mirror         %s", k.Mirror)
	} else {
		w("mirror         none given (pass --mirror, or LIFEBOAT_MIRROR)")
	}
	w("")
	w("recipients (the age public keys backups are encrypted to):")
	for _, r := range k.Recipients {
		if roles := recipientRoles(k.info, r); len(roles) > 0 {
			w("  %s  %s", r, strings.Join(roles, "; "))
		} else {
			w("  %s", r)
		}
	}
	w("")
	k.keyText(w)
	w("")
	w("Phone and computer lost: on any computer with lifeboat,")
	if k.PassphraseIdentity {
		w("  1. write the passphrase on the first line of a file pass.txt, then: chmod 600 pass.txt")
	} else {
		w("  1. copy the identity file to identity.txt, then: chmod 600 identity.txt")
	}
	for i, cmd := range k.Restore {
		if i == 0 {
			w("  2. %s", cmd)
		} else {
			w("     if that location is lost too: %s", cmd)
		}
	}
	w("  3. lifeboat export latest --repo LOCATION %s --to ~/phone-kit", k.keyArgs())
	w("     gives contacts.vcf, one .ics per calendar and photos/ to import on a new phone")
	for _, loc := range []string{k.Mirror, k.Primary} {
		if note := locationNote(loc); note != "" {
			w("Also keep %s", note)
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// keyText says which key restores.
func (k *kit) keyText(w func(string, ...any)) {
	switch {
	case k.PassphraseIdentity:
		w("To restore you need the passphrase: the identity is stored in the repository, encrypted with it,")
		w("so the passphrase and either location restore everything.")
		if k.IdentityFile != "" {
			w("The identity file %s also restores (with --identity instead of --passphrase-file).", k.IdentityFile)
		}
	case k.IdentityFile != "":
		w("To restore you need the identity file %s:", k.IdentityFile)
		w("the repository does not store it. Keep a copy off this machine; without it nothing can be restored.")
	default:
		w("This machine has no identity for this repository: keep the identity of one of the recipients above.")
	}
	if k.Identity != "" {
		w("")
		w("identity (SECRET; save it as identity.txt to restore with --identity identity.txt):")
		for _, line := range strings.Split(strings.TrimRight(k.Identity, "\n"), "\n") {
			w("  %s", line)
		}
	}
}

// locationNote says what else a remote location needs.
func locationNote(loc string) string {
	switch {
	case strings.HasPrefix(loc, "sftp://"):
		return "the SSH key that logs in to " + loc + " (and its host key, for known_hosts)."
	case strings.HasPrefix(loc, "s3://"), strings.HasPrefix(loc, "s3+http://"):
		return "the S3 access key and secret for " + loc + "."
	}
	return ""
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:@%+=,-]+$`)

// shellQuote quotes a word for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
