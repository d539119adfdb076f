package main

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/check"
	"github.com/lifeboat-backup/lifeboat/mirror"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:  "check",
		Usage: "verify that every object is present and matches its name",
		Description: "Without keys, check hashes every object. With this machine's write key it also\n" +
			"checks the index and snapshots. --read-data (needs the identity) decrypts every blob\n" +
			"and walks every snapshot.",
		Flags: append(append(outputFlags(), keyFlags()...), mirrorFlag(),
			&cli.BoolFlag{Name: "read-data", Usage: "also decrypt and verify every blob (needs the identity)"}),
		Action: runCheck,
	}
}

func runCheck(c *cli.Context) error {
	access := repo.AccessNone
	if c.Bool("read-data") {
		access = repo.AccessRead
	}
	m, err := openMirror(c)
	if err != nil {
		return err
	}
	st, err := openStore(c)
	if err != nil {
		return err
	}
	p := newPrinter(c)
	if m == nil {
		return checkOne(c, p, st, access, "")
	}
	err = checkOne(c, p, st, access, st.Location()+": ")
	merr := checkOne(c, p, m, access, m.Location()+": ")
	if errors.Is(merr, repo.ErrNoRepo) {
		p.warn("mirror %s: %v", m.Location(), merr)
		if err != nil {
			return err
		}
		return partialError{fmt.Sprintf("warning: the mirror %s holds no repository (not plugged in?); only the primary was checked", m.Location())}
	}
	derr := compareLocations(c, p, st, m)
	return errors.Join(err, merr, derr)
}

// checkOne checks one location and prints its report.
// prefix names the location in messages when there are two.
func checkOne(c *cli.Context, p *printer, st store.Store, access repo.Access, prefix string) error {
	r, err := repo.Open(c.Context, st, keysFrom(c), access)
	if err != nil {
		return err
	}
	defer r.Close()
	rep, err := check.Run(c.Context, r, check.Options{ReadData: c.Bool("read-data")})
	for _, prob := range rep.Problems {
		p.warn("%s%s", prefix, prob)
	}
	p.object(map[string]any{"location": st.Location(), "objects": rep.Objects, "bytes": rep.Bytes,
		"snapshots": rep.Snapshots, "blobs": rep.Blobs, "problems": nonNil(rep.Problems),
		"read_data": c.Bool("read-data"), "keyless": rep.Keyless})
	switch {
	case err != nil:
	case rep.Keyless:
		p.human("%sno problems: %s (%s) match their names", prefix, plural(rep.Objects, "object"), bytesHuman(uint64(rep.Bytes)))
		p.human("(no write key on this machine: the index and snapshots were not opened)")
	default:
		p.human("%sno problems: %s (%s), %s, %s", prefix, plural(rep.Objects, "object"),
			bytesHuman(uint64(rep.Bytes)), plural(rep.Snapshots, "snapshot"), plural(rep.Blobs, "blob"))
	}
	return err
}

// errLocationsDiffer: one location lacks objects the other has.
var errLocationsDiffer = fmt.Errorf("%w", repo.ErrDamaged)

// compareLocations reports objects that one location has and the other
// lacks.
func compareLocations(c *cli.Context, p *printer, a, b store.Store) error {
	diff, err := mirror.Compare(c.Context, a, b)
	if err != nil {
		return err
	}
	for _, d := range diff {
		p.warn("%s", d)
	}
	if len(diff) > 0 {
		return fmt.Errorf("the two locations differ by %s: %w", plural(len(diff), "object"), errLocationsDiffer)
	}
	return nil
}
