package cli

import (
	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/lock"
	"github.com/lifeboat-backup/lifeboat/repo"
)

func pruneCommand() *cli.Command {
	return &cli.Command{
		Name:  "prune",
		Usage: "remove the data no snapshot references, in both locations",
		Description: "Reads every snapshot's trees (it needs the identity), writes a new index of the packs\n" +
			"still in use, then removes the old index files and the unused packs, in the repository and\n" +
			"its mirror. Every step leaves a repository that check passes; an interrupted prune is\n" +
			"finished by running it again. It holds the repository's exclusive lock: a backup that\n" +
			"runs meanwhile exits 11, and one whose lock went stale (a laptop asleep) never commits.",
		Flags:  append(append(outputFlags(), keyFlags()...), mirrorFlag()),
		Action: runPrune,
	}
}

func runPrune(c *cli.Context) error {
	if c.NArg() > 0 {
		return usagef("prune takes no arguments")
	}
	l, err := lockBoth(c, lock.Prune, true)
	if err != nil {
		return err
	}
	defer l.release()
	r, err := openRepo(c, repo.AccessRead)
	if err != nil {
		return err
	}
	defer r.Close()
	return pruneLocations(c, newPrinter(c), l, r)
}
