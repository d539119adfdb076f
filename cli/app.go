// Package cli is lifeboat's command layer: each cmd_*.go reads its flags
// and config into an options struct and calls one function of backup,
// restore, check, repo or another package below it; exit.go maps errors to
// the one table of exit codes. Nothing here exits: Run returns the code.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
)

// Run executes one command line and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app := newApp(stdout, stderr)
	args = helpArgs(args)
	err := knownCommand(app, args)
	if err == nil {
		err = app.RunContext(ctx, interspersed(app, args))
	}
	releaseLocks(app)
	for _, v := range app.Metadata {
		if c, ok := v.(io.Closer); ok {
			c.Close()
		}
	}
	code := exitCode(err)
	if err != nil {
		printError(stderr, err)
		if app.Metadata[jsonOutput] == true {
			printErrorJSON(stdout, err, code)
		}
	}
	runHooks(app, args, code, err, stderr)
	return code
}

func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:    "lifeboat",
		Usage:   "keep your phone's contacts, calendars and photos safe on your own disks",
		Version: versionString(),
		Writer:  stdout, ErrWriter: stderr,
		HideHelpCommand: true,
		// --version has no -v: the cli package's default made
		// 'lifeboat -v backup' print the version and exit 0, backing up
		// nothing (-v is --verbose, on the command).
		HideVersion: true,
		Flags:       []cli.Flag{&cli.BoolFlag{Name: "version", Usage: "print the version"}},
		Action: func(c *cli.Context) error {
			if c.Bool("version") {
				cli.ShowVersion(c)
				return nil
			}
			return cli.ShowAppHelp(c)
		},
		Commands: []*cli.Command{
			initCommand(), backupCommand(), snapshotsCommand(), lsCommand(),
			restoreCommand(), checkCommand(), diffCommand(), findCommand(), exportCommand(), syncCommand(), statusCommand(),
			forgetCommand(), pruneCommand(), keyCommand(), generateCommand(), serveCommand(),
		},
		// Exit codes are mapped in one place, exitCode; the cli package
		// must neither print errors nor exit.
		ExitErrHandler: func(*cli.Context, error) {},
		// At the top level, a flag the app does not take is a command's
		// flag given before the command ('lifeboat -v backup').
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError{flagFirst{err}}
		},
	}
	for _, cmd := range app.Commands {
		cmd.OnUsageError = func(c *cli.Context, err error, _ bool) error { return usageError{didYouMeanFlag(c.Command, err)} }
	}
	configure(app)
	addProfileFlags(app)
	return app
}

var errUnknownCommand = errors.New("unknown command")

// errFlagFirst is a command's flag given before the command.
var errFlagFirst = errors.New("flags go after the command")

// flagFirst is a top-level usage error: errFlagFirst, with the cli
// package's own message.
type flagFirst struct{ error }

func (e flagFirst) Is(target error) bool { return target == errFlagFirst }
func (e flagFirst) Unwrap() error        { return e.error }

// helpArgs turns 'lifeboat help CMD [SUB]' into 'lifeboat CMD [SUB]
// --help': the cli package's help command is hidden, and it printed the
// top-level help for every command.
func helpArgs(args []string) []string {
	if len(args) < 3 || args[1] != "help" {
		return args
	}
	return append(append([]string{args[0]}, args[2:]...), "--help")
}

// knownCommand refuses an unknown command before the cli package sees it:
// its own handling prints help and exits 0. It also refuses --version
// with a command after it, which the cli package would run as if
// --version were not there.
func knownCommand(app *cli.App, args []string) error {
	if len(args) < 2 || args[1] == "help" || app.Command(args[1]) != nil {
		return nil
	}
	if strings.HasPrefix(args[1], "-") {
		if (args[1] == "--version" || args[1] == "-version") && len(args) > 2 {
			return usageError{fmt.Errorf("--version takes no command or argument: %w", errFlagFirst)}
		}
		return nil
	}
	if s := closest(args[1], commandNames(app)); s != "" {
		return usageError{fmt.Errorf("%w %q (did you mean %s?)", errUnknownCommand, args[1], s)}
	}
	return usageError{fmt.Errorf("%w %q", errUnknownCommand, args[1])}
}
