package cli

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/cpuguy83/go-md2man/v2/md2man"
	"github.com/urfave/cli/v2"
)

// generateCommand writes the man page and the shell completions from the
// command line's own definition, for packagers; docs/lifeboat.1 and
// docs/completion/ are its output, kept fresh by a test.
func generateCommand() *cli.Command {
	return &cli.Command{
		Name:   "generate",
		Usage:  "write the man page or a shell completion script to stdout",
		Hidden: true,
		Subcommands: []*cli.Command{
			{Name: "man", Usage: "the man page, lifeboat(1)", Action: func(c *cli.Context) error {
				return writeMan(c.App.Writer)
			}},
			{Name: "completion", Usage: "completion script for bash, zsh or fish", ArgsUsage: "bash|zsh|fish",
				Action: func(c *cli.Context) error {
					return writeCompletion(c.App.Writer, c.Args().First())
				}},
		},
	}
}

// definition is a fresh copy of the command line, as users see it.
func definition() *cli.App { return newApp(io.Discard, io.Discard) }

// writeMan renders the man page: urfave/cli's markdown of the commands and
// flags, with the sections a man page needs added, through go-md2man.
func writeMan(w io.Writer) error {
	app := definition()
	app.Description = manDescription
	app.UsageText = "lifeboat COMMAND [OPTIONS] [ARGUMENTS...]"
	md, err := app.ToMarkdown()
	if err != nil {
		return fmt.Errorf("man page: %w", err)
	}
	var b strings.Builder
	b.WriteString("% lifeboat 1\n\n")
	b.WriteString(md)
	b.WriteString(manExitStatus())
	b.WriteString(manEnvironment(app))
	b.WriteString(manFiles)
	_, err = w.Write(md2man.Render([]byte(b.String())))
	return err
}

const manDescription = `lifeboat keeps a phone's contacts, calendars, to-do lists, photos and videos
as encrypted (age), deduplicated, compressed, versioned snapshots in a repository
on your own disks, and mirrors it to a second location (a folder, sftp:// or s3://).
It runs unattended from cron or a systemd timer (see docs/cron.md), and brings
everything back after a phone reset with **restore** or **export**.

Backups need only the repository's public recipients and this machine's write key;
**restore**, **ls**, **diff**, **find** and **check --read-data** need the identity.

With **--quiet** nothing is printed on success; with **--json** every command prints
JSON lines ending with a summary object; **-v** adds detail lines. A progress bar is
drawn on standard error only when it is a terminal.`

// exitTable is SPEC §2's table, with what to do; the codes are exit.go's.
var exitTable = []struct {
	code     int
	meaning  string
	whatToDo string
}{
	{exitOK, "success", ""},
	{exitFatal, "fatal error: nothing was committed", "read the error line; the next run starts afresh"},
	{exitUsage, "usage or configuration error", "fix the command line, the environment or the config file"},
	{exitPartial, "partial: the snapshot was committed, but some items could not be read or the mirror could not be updated",
		"read the warnings; the next backup or **lifeboat sync** catches up the mirror"},
	{exitAlarm, "alarm: the snapshot was committed, but the source lost many items since the previous snapshot",
		"check the phone; the snapshot before the drop is kept by retention"},
	{exitNoRepo, "the repository does not exist", "check --repo, LIFEBOAT_REPO or a disk that is not mounted"},
	{exitLocked, "the repository is locked by another run", "wait for it; a stale lock of a dead process is taken over automatically"},
	{exitWrongKey, "wrong key or passphrase, or an encrypted iPhone backup's password wrong or missing", "check --identity, --passphrase-file, this machine's write key or --ios-password-file"},
	{exitDamaged, "integrity error: check or restore found damaged or missing data", "run **lifeboat check**, then **lifeboat sync** to repair from the mirror"},
	{exitInterrupt, "interrupted: nothing was committed", "run again"},
}

func manExitStatus() string {
	var b strings.Builder
	b.WriteString("\n# EXIT STATUS\n")
	for _, e := range exitTable {
		fmt.Fprintf(&b, "\n**%d**\n: %s", e.code, e.meaning)
		if e.whatToDo != "" {
			fmt.Fprintf(&b, "; %s", e.whatToDo)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// manEnvironment lists every LIFEBOAT_ variable the flags read.
func manEnvironment(app *cli.App) string {
	usages := map[string][]string{} // variable → the distinct usages of its flags
	for _, cmd := range visibleCommands(app) {
		for _, f := range cmd.Flags {
			ef, ok := f.(interface {
				GetEnvVars() []string
				GetUsage() string
			})
			if !ok {
				continue
			}
			u := "--" + f.Names()[0] + ": " + strings.ReplaceAll(ef.GetUsage(), "`", "")
			for _, v := range ef.GetEnvVars() {
				if !slices.Contains(usages[v], u) {
					usages[v] = append(usages[v], u)
				}
			}
		}
	}
	names := slices.Sorted(maps.Keys(usages))
	var b strings.Builder
	b.WriteString("\n# ENVIRONMENT\n")
	for _, v := range names {
		fmt.Fprintf(&b, "\n**%s**\n: %s\n", v, strings.Join(usages[v], "; "))
	}
	b.WriteString("\n**XDG_CONFIG_HOME**, **XDG_DATA_HOME**, **XDG_CACHE_HOME**, **XDG_STATE_HOME**\n: where the files below live\n")
	return b.String()
}

const manFiles = `
# FILES

**$XDG_CONFIG_HOME/lifeboat/config.toml**
: the config file (see docs/config.md)

**$XDG_CONFIG_HOME/lifeboat/identity.txt**
: the age identity init makes without flags: keep a copy off this machine

**$XDG_CONFIG_HOME/lifeboat/keys/REPOID.key**
: this machine's write key for a repository; it cannot decrypt backups

**$XDG_DATA_HOME/lifeboat/repo**
: the default repository

**$XDG_CACHE_HOME/lifeboat/**
: the files cache, which only saves time

**$XDG_STATE_HOME/lifeboat/**
: every snapshot this machine committed or saw in each location, to detect deletions and rollbacks

# SEE ALSO

age(1), restic(1), crontab(5), systemd.timer(5)
`
