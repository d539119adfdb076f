package cli

import (
	"errors"
	"fmt"
	"strings"

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
		msg := fmt.Sprintf("the mirror %s holds no repository (not plugged in?); only the primary was checked", m.Location())
		if err != nil {
			p.warn("%s", msg)
			return err
		}
		return partialError{"warning: " + msg}
	}
	if merr != nil && !errors.Is(merr, check.ErrProblems) {
		// The mirror could not be read: comparing would fail the same way.
		merr = mirrorError{m.Location(), merr}
		if err != nil {
			p.warn("%v; only the primary was checked", merr)
			return err
		}
		return merr
	}
	if err != nil && !errors.Is(err, check.ErrProblems) {
		return err
	}
	n, derr := compareLocations(c, p, st, m)
	if derr != nil {
		return derr
	}
	return twoLocations(st, m, err != nil, merr != nil, n)
}

// twoLocations is the one error of a check of both locations: which
// have problems and how many objects one has and the other lacks.
func twoLocations(a, b store.Store, aBad, bBad bool, differ int) error {
	var msg []string
	switch {
	case aBad && bBad:
		msg = append(msg, "both locations have damaged or missing data")
	case aBad:
		msg = append(msg, a.Location()+" has damaged or missing data")
	case bBad:
		msg = append(msg, b.Location()+" has damaged or missing data")
	}
	if differ > 0 {
		msg = append(msg, "the two locations differ by "+plural(differ, "object"))
	}
	if len(msg) == 0 {
		return nil
	}
	return locationsError{strings.Join(msg, "; ")}
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
	if tc, ok := st.(store.TempCleaner); ok {
		if lo, lerr := tc.Leftovers(c.Context, 0); lerr == nil && lo.Files > 0 {
			p.note("lifeboat: note: %stmp/ holds %s (%s) left by interrupted runs, not a problem; %s", prefix,
				plural(lo.Files, "temporary file"), bytesHuman(uint64(lo.Bytes)), leftoverNote)
		}
	}
	p.object(map[string]any{"location": st.Location(), "objects": rep.Objects, "bytes": rep.Bytes,
		"snapshots": rep.Snapshots, "blobs": rep.Blobs, "problems": nonNil(rep.Problems),
		"read_data": c.Bool("read-data"), "keyless": rep.Keyless, "stale": nonNil(rep.Stale)})
	if len(rep.Stale) > 0 {
		p.human("%s%s named by an index file from before a prune are gone, and their blobs are in other packs (nothing is lost; the next prune removes the old index file)",
			prefix, plural(len(rep.Stale), "pack"))
	}
	switch {
	case err != nil:
	case rep.Keyless:
		p.human("%sno problems: %s (%s) match their names", prefix, plural(rep.Objects, "object"), bytesHuman(uint64(rep.Bytes)))
		p.human("(no write key on this machine: the index and snapshots were not opened)")
	default:
		read := ""
		if c.Bool("read-data") {
			read = ", each decrypted and verified"
		}
		p.human("%sno problems: %s (%s), %s, %s%s", prefix, plural(rep.Objects, "object"),
			bytesHuman(uint64(rep.Bytes)), plural(rep.Snapshots, "snapshot"), plural(rep.Blobs, "blob"), read)
	}
	return err
}

// locationsError: one location has damage, or lacks objects the other
// has; sync repairs that.
type locationsError struct{ msg string }

func (e locationsError) Error() string        { return e.msg }
func (e locationsError) Is(target error) bool { return target == repo.ErrDamaged }

// compareLocations reports objects that one location has and the other
// lacks, and returns how many.
func compareLocations(c *cli.Context, p *printer, a, b store.Store) (int, error) {
	diff, err := mirror.Compare(c.Context, a, b)
	if err != nil {
		return 0, err
	}
	for _, d := range diff {
		p.warn("%s", d)
	}
	return len(diff), nil
}
