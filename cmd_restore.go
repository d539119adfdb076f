package main

import (
	"errors"
	"fmt"
	"path"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/dav"
	"github.com/lifeboat-backup/lifeboat/internal/target"
	"github.com/lifeboat-backup/lifeboat/restore"
)

func restoreCommand() *cli.Command {
	return &cli.Command{
		Name:      "restore",
		Usage:     "write a snapshot's files back, byte for byte, with their times",
		ArgsUsage: "SNAPSHOT",
		Flags: append(append(outputFlags(), keyFlags()...),
			&cli.StringFlag{Name: "to", Usage: "restore into `DIR` (must be empty or new), or into a CardDAV/CalDAV collection: carddav+https://user@host/path/"},
			&cli.StringSliceFlag{Name: "include", Usage: "restore only paths matching `GLOB` (repeatable)"},
			&cli.BoolFlag{Name: "overwrite", Usage: "allow a non-empty target and replace files in it (records on a server too)"},
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "with a CardDAV/CalDAV target: show what would be put, change nothing"},
			davPasswordFileFlag(),
		),
		Action: runRestore,
	}
}

func runRestore(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("restore needs exactly one SNAPSHOT (an id, a prefix, latest or latest:SOURCE)")
	}
	if c.String("to") == "" {
		return usagef("restore needs --to DIR")
	}
	if c.Bool("dry-run") && !dav.IsSource(c.String("to")) {
		return usagef("--dry-run works only with --to carddav+https://... or caldav+https://...; 'lifeboat ls SNAPSHOT' shows what a restore into a folder writes")
	}
	r, snap, err := openSnapshot(c)
	if err != nil {
		return err
	}
	if err := readLock(c, newPrinter(c)); err != nil {
		r.Close()
		return err
	}
	defer r.Close()
	if err := restore.CheckInclude(c.Context, r, snap.Snapshot, c.StringSlice("include")); err != nil {
		if errors.Is(err, path.ErrBadPattern) || errors.Is(err, restore.ErrNoMatch) {
			return usageError{fmt.Errorf("snapshot %s: %w", snap.ID.Short(), err)}
		}
		return err
	}
	if dav.IsSource(c.String("to")) {
		return runRestoreDAV(c, r, snap)
	}
	p := newPrinter(c)
	opts := restore.Options{Target: c.String("to"), Include: c.StringSlice("include"), Overwrite: c.Bool("overwrite")}
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
		p.object(map[string]any{"snapshot": snap.ID.String(), "target": c.String("to"), "files": res.Files,
			"dirs": res.Dirs, "symlinks": res.Symlinks, "bytes": res.Bytes, "failed": len(res.Failed)})
		if err == nil {
			p.human("restored %s, %s (%s) from snapshot %s to %s", plural(res.Files, "file"),
				plural(res.Dirs, "folder"), bytesHuman(uint64(res.Bytes)), snap.ID.Short(), c.String("to"))
		}
	}
	if errors.Is(err, restore.ErrNotEmpty) || errors.Is(err, target.ErrNotFolder) {
		return usageError{err}
	}
	return err
}
