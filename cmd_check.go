package main

import (
	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/check"
	"github.com/lifeboat-backup/lifeboat/repo"
)

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:  "check",
		Usage: "verify that every object is present and matches its name",
		Description: "Without keys, check hashes every object. With this machine's write key it also\n" +
			"checks the index and snapshots. --read-data (needs the identity) decrypts every blob\n" +
			"and walks every snapshot.",
		Flags: append(append(outputFlags(), keyFlags()...),
			&cli.BoolFlag{Name: "read-data", Usage: "also decrypt and verify every blob (needs the identity)"}),
		Action: runCheck,
	}
}

func runCheck(c *cli.Context) error {
	access := repo.AccessNone
	if c.Bool("read-data") {
		access = repo.AccessRead
	}
	r, err := openRepo(c, access)
	if err != nil {
		return err
	}
	defer r.Close()
	rep, err := check.Run(c.Context, r, check.Options{ReadData: c.Bool("read-data")})
	p := newPrinter(c)
	for _, prob := range rep.Problems {
		p.warn("%s", prob)
	}
	p.object(map[string]any{"objects": rep.Objects, "bytes": rep.Bytes, "snapshots": rep.Snapshots,
		"blobs": rep.Blobs, "problems": nonNil(rep.Problems), "read_data": c.Bool("read-data"), "keyless": rep.Keyless})
	switch {
	case err != nil:
	case rep.Keyless:
		p.human("no problems: %s (%s) match their names", plural(rep.Objects, "object"), bytesHuman(uint64(rep.Bytes)))
		p.human("(no write key on this machine: the index and snapshots were not opened)")
	default:
		p.human("no problems: %s (%s), %s, %s", plural(rep.Objects, "object"), bytesHuman(uint64(rep.Bytes)),
			plural(rep.Snapshots, "snapshot"), plural(rep.Blobs, "blob"))
	}
	return err
}
