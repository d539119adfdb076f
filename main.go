// Command lifeboat keeps a person's contacts, calendars, to-dos and photos
// in encrypted, deduplicated, versioned snapshots. This file only wires
// the command line; each cmd_*.go reads its flags into options and calls
// one function of backup, restore, check or repo.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app := newApp(stdout, stderr)
	err := app.RunContext(ctx, interspersed(app, args))
	if err != nil {
		printError(stderr, err)
	}
	return exitCode(err)
}

func newApp(stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:    "lifeboat",
		Usage:   "keep your phone's contacts, calendars and photos safe on your own disks",
		Version: version,
		Writer:  stdout, ErrWriter: stderr,
		HideHelpCommand: true,
		Commands: []*cli.Command{
			initCommand(), backupCommand(), snapshotsCommand(), lsCommand(),
			restoreCommand(), checkCommand(),
		},
		// Exit codes are mapped in one place, exitCode; the cli package
		// must neither print errors nor exit.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageError{err}
		},
		CommandNotFound: func(c *cli.Context, name string) {
			fmt.Fprintf(stderr, "lifeboat: error: unknown command %q\nlifeboat: hint: run 'lifeboat --help' for the commands\n", name)
		},
	}
}
