// Command lifeboat keeps a person's contacts, calendars, to-dos and photos
// in encrypted, deduplicated, versioned snapshots, in two places the person
// controls. This file is wiring only: the command layer is package cli.
package main

import (
	"os"

	"github.com/lifeboat-backup/lifeboat/cli"
)

// version is set by a release build with -ldflags "-X main.version=...".
var version string

func main() {
	cli.Version = version
	os.Exit(cli.Run(os.Args, os.Stdout, os.Stderr))
}
