package cli

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/internal/target"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
	"github.com/lifeboat-backup/lifeboat/source/android"
	"github.com/lifeboat-backup/lifeboat/source/dav"
)

func restoreCommand() *cli.Command {
	return &cli.Command{
		Name:      "restore",
		Usage:     "write a snapshot's files back, byte for byte, with their times",
		ArgsUsage: "SNAPSHOT",
		Description: "SNAPSHOT is an id, an id prefix, latest:SOURCE, or latest: the newest snapshot of every\n" +
			"source, each restored into a folder of DIR named after its source (with one source, into DIR).",
		Flags: append(append(outputFlags(), keyFlags()...),
			&cli.StringFlag{Name: "to", Usage: "restore into `DIR` (must be empty or new), into a CardDAV/CalDAV collection (carddav+https://user@host/path/), or onto a phone (android:// or android://SERIAL)"},
			&cli.StringSliceFlag{Name: "include", Usage: "restore only paths matching `GLOB` (repeatable)"},
			&cli.BoolFlag{Name: "overwrite", Usage: "allow a non-empty target and replace files in it (records on a server too)"},
			&cli.BoolFlag{Name: "no-xattrs", EnvVars: []string{"LIFEBOAT_NO_XATTRS"}, Usage: "restore without extended attributes (for targets that refuse them)"},
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "with a CardDAV/CalDAV or phone target: show what would be put, change nothing"},
			&cli.StringFlag{Name: "account", Usage: "with a phone target: put contacts and events into the phone's account `NAME` (default: the phone's own, and a local calendar \"lifeboat\")"},
			&cli.StringFlag{Name: "name", Usage: "with a CardDAV/CalDAV target: the display `NAME` of a collection the restore creates (default: the one it had when backed up)"},
			davPasswordFileFlag(), mirrorFlag(),
		),
		Action: runRestore,
	}
}

func runRestore(c *cli.Context) error {
	defer holdMemory()()
	if c.NArg() != 1 {
		return usagef("restore needs exactly one SNAPSHOT (an id, a prefix, latest or latest:SOURCE)")
	}
	if c.String("to") == "" {
		return usagef("restore needs --to DIR")
	}
	toServer, toPhone := dav.IsSource(c.String("to")), android.IsSource(c.String("to"))
	if c.Bool("dry-run") && !toServer && !toPhone {
		return usagef("--dry-run works only with --to carddav+https://..., caldav+https://... or android://; 'lifeboat ls SNAPSHOT' shows what a restore into a folder writes")
	}
	if c.IsSet("account") && !toPhone {
		return usagef("--account works only with --to android://: it names the phone's account contacts and events go into")
	}
	if toPhone && c.Bool("overwrite") {
		return usagef("--overwrite does not apply to a phone: a restore onto a phone never changes or deletes what is there")
	}
	if c.IsSet("name") && !toServer {
		return usagef("--name works only with --to carddav+https://... or caldav+https://...: it names the collection a restore creates")
	}
	r, snaps, skipped, closeMirror, err := openSnapshotsSkipping(c, newPrinter(c))
	if err != nil {
		return err
	}
	defer r.Close()
	defer closeMirror()
	if err := readLock(c, newPrinter(c)); err != nil {
		return err
	}
	if (toServer || toPhone) && len(snaps) > 1 {
		return usagef("latest names the newest snapshots of %d sources; put one source at a time into a server or a phone with latest:SOURCE ('lifeboat status' lists them)", len(snaps))
	}
	// --include restores a part of what the same restore without it
	// writes, at the same paths: the layout (DIR/NAME for each source of
	// latest) follows the sources latest names, not those that match.
	named := snaps
	if snaps, err = withIncluded(c, r, snaps); err != nil {
		return err
	}
	p := newPrinter(c)
	partial := warnSkipped(p, skipped, snaps)
	if toServer {
		err = runRestoreDAV(c, r, snaps[0])
	} else if toPhone {
		err = runRestoreAndroid(c, r, snaps[0])
	} else if len(named) == 1 {
		err = restoreOne(c, p, r, snaps[0], c.String("to"))
	} else {
		err = restoreEach(c, p, r, snaps, named)
	}
	if err != nil {
		return err
	}
	return partial
}

// openSnapshotsSkipping resolves SNAPSHOT. "latest" means the newest
// snapshot of every source: restoring everything after losing the laptop
// and the phone must not depend on knowing the sources. For latest and
// latest:SOURCE it returns the errors of the snapshots that do not read
// (any of them may be newer than the ones picked).
//
// The mirror stands in for damaged data from the start (readFromMirror),
// so that a snapshot damaged here is read from there too; the returned
// function closes it.
func openSnapshotsSkipping(c *cli.Context, p *printer) (*repo.Repository, []repo.SnapshotInfo, []error, func(), error) {
	spec := c.Args().First()
	r, err := openRepo(c, repo.AccessRead)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	closeMirror := readFromMirror(c, p, r)
	fail := func(err error) (*repo.Repository, []repo.SnapshotInfo, []error, func(), error) {
		closeMirror()
		r.Close()
		return nil, nil, nil, nil, err
	}
	if spec != "latest" && !strings.HasPrefix(spec, "latest:") {
		snap, err := findSnapshot(c, r)
		if err != nil {
			return fail(err)
		}
		return r, []repo.SnapshotInfo{snap}, nil, closeMirror, nil
	}
	snaps, skipped, err := r.LatestReadable(c.Context, spec)
	switch {
	case errors.Is(err, repo.ErrAmbiguousSource):
		err = usageError{err}
	case errors.Is(err, repo.ErrNoSnapshot) || err == nil && len(snaps) == 0:
		err = usageError{fmt.Errorf("%s: %w", spec, repo.ErrNoSnapshot)}
	}
	if err == nil {
		snaps, err = skipEmpty(c, r, snaps)
	}
	if err != nil {
		return fail(err)
	}
	return r, snaps, skipped, closeMirror, nil
}

// warnSkipped names the snapshots that latest passed over because they do
// not read, and says which ones are used instead; the run (restore,
// export) then exits 3, since what it used may not be the newest.
func warnSkipped(p *printer, skipped []error, snaps []repo.SnapshotInfo) error {
	if len(skipped) == 0 {
		return nil
	}
	for _, e := range skipped {
		p.warn("%v", e)
	}
	for _, s := range snaps {
		p.warn("using snapshot %s of %s (%s), the newest that reads; a damaged one above may be newer",
			s.ID.Short(), s.Source, s.Time.Local().Format("2006-01-02 15:04"))
	}
	return partialError{fmt.Sprintf("warning: %s did not read; what was used may not be the newest: run 'lifeboat check'",
		plural(len(skipped), "snapshot"))}
}

// withIncluded keeps the snapshots that hold a path --include matches; a
// malformed glob, or one that matches nothing in any of them, is a usage
// error before anything is written.
func withIncluded(c *cli.Context, r *repo.Repository, snaps []repo.SnapshotInfo) ([]repo.SnapshotInfo, error) {
	var keep []repo.SnapshotInfo
	var noMatch error
	for _, s := range snaps {
		err := restore.CheckInclude(c.Context, r, s.Snapshot, c.StringSlice("include"))
		switch {
		case err == nil:
			keep = append(keep, s)
		case errors.Is(err, path.ErrBadPattern):
			return nil, usageError{err}
		case errors.Is(err, restore.ErrNoMatch):
			noMatch = fmt.Errorf("snapshot %s: %w", s.ID.Short(), err)
		default:
			return nil, err
		}
	}
	if len(keep) == 0 {
		if len(snaps) > 1 {
			noMatch = fmt.Errorf("%d snapshots: %w", len(snaps), restore.ErrNoMatch)
		}
		return nil, usageError{noMatch}
	}
	return keep, nil
}

// restoreOne restores one snapshot into dir.
func restoreOne(c *cli.Context, p *printer, r *repo.Repository, snap repo.SnapshotInfo, dir string) error {
	return restoreWith(c, p, r, snap, restore.Options{Target: dir})
}

// restoreWith restores one snapshot with opts (Target, perhaps Root) and
// the command's flags.
func restoreWith(c *cli.Context, p *printer, r *repo.Repository, snap repo.SnapshotInfo, opts restore.Options) error {
	dir := opts.Target
	opts.Include, opts.Overwrite, opts.NoXAttrs = c.StringSlice("include"), c.Bool("overwrite"), c.Bool("no-xattrs")
	var bar *fileBar
	if wantBar(p, c.App.ErrWriter) {
		st := snap.Stats
		if len(opts.Include) > 0 {
			st.Files, st.Bytes = 0, 0 // not known
		}
		bar = startBar(c.App.ErrWriter, "restore:", int64(st.Files), int64(st.Bytes))
		opts.Progress = func(size int64) { bar.add(1, size) }
	}
	res, err := restore.Run(c.Context, r, snap.Snapshot, opts)
	bar.stop()
	if res != nil {
		for _, f := range res.Failed {
			p.warn("not restored: %s: %v", f.Path, f.Err)
		}
		for _, w := range res.Warnings {
			p.warn("%s: %v", w.Path, w.Err)
		}
		p.object(map[string]any{"snapshot": snap.ID.String(), "source": snap.Source, "target": dir, "files": res.Files,
			"dirs": res.Dirs, "symlinks": res.Symlinks, "hardlinks": res.Links, "bytes": res.Bytes, "failed": len(res.Failed)})
		if err == nil {
			p.human("restored %s, %s (%s) from snapshot %s to %s", plural(res.Files, "file"),
				plural(res.Dirs, "folder"), bytesHuman(uint64(res.Bytes)), snap.ID.Short(), dir)
		}
	}
	if errors.Is(err, restore.ErrNotEmpty) || errors.Is(err, target.ErrNotFolder) {
		return usageError{err}
	}
	if err == nil && len(res.Warnings) > 0 {
		return partialError{"warning: restored, but the target could not keep everything as it was"}
	}
	return err
}
