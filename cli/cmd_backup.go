package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/lock"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/source"
	"github.com/lifeboat-backup/lifeboat/source/archive"
	"github.com/lifeboat-backup/lifeboat/source/iphone"
	"github.com/lifeboat-backup/lifeboat/store"
)

func backupCommand() *cli.Command {
	return &cli.Command{
		Name:      "backup",
		Usage:     "back up each source (a folder, a single file, a .zip/.tar/.tgz archive, a CardDAV/CalDAV account or an Android phone) as one snapshot",
		ArgsUsage: "[SOURCE...]",
		Description: "Backup needs only the repository's public recipients and this machine's write key:\n" +
			"it never loads the identity. Without --repo, the default repository is created on first use.\n" +
			"Without SOURCE, backs up the sources of the config file (docs/config.md).\n" +
			"An archive is read without unpacking; the parts of one Google Takeout given together\n" +
			"(takeout-...-001.zip takeout-...-002.zip) are one source, named by their shared prefix.",
		Flags: append(outputFlags(),
			&cli.StringFlag{Name: "host", EnvVars: []string{"LIFEBOAT_HOST"}, Usage: "host `NAME` stored in the snapshot"},
			&cli.StringSliceFlag{Name: "tag", EnvVars: []string{"LIFEBOAT_TAG"}, Usage: "add `TAG` to the snapshot (repeatable)"},
			&cli.BoolFlag{Name: "no-cache", EnvVars: []string{"LIFEBOAT_NO_CACHE"}, Usage: "read every file again"},
			&cli.Float64Flag{Name: "alarm-threshold", EnvVars: []string{"LIFEBOAT_ALARM_THRESHOLD"}, Value: backup.DefaultThreshold.Percent,
				Usage: "alarm (exit 4) when contacts, events, to-dos or photos drop by more than `PERCENT`"},
			&cli.Uint64Flag{Name: "alarm-min", EnvVars: []string{"LIFEBOAT_ALARM_MIN"}, Value: backup.DefaultThreshold.Min,
				Usage: "... and by more than `N` items"},
			&cli.BoolFlag{Name: "accept-empty", EnvVars: []string{"LIFEBOAT_ACCEPT_EMPTY"},
				Usage: "a source that had files and has none now is meant to be empty: no alarm (exit 4) for it"},
			mirrorFlag(), mirrorTimeoutFlag(), davPasswordFileFlag(), iosPasswordFileFlag(),
			&cli.StringSliceFlag{Name: "android-media", EnvVars: []string{"LIFEBOAT_ANDROID_MEDIA"},
				Usage: "with android://: back up `FOLDER` under /sdcard (repeatable; default DCIM, Pictures, Movies and messenger media)"},
		),
		Action: runBackup,
	}
}

func runBackup(c *cli.Context) error {
	defer holdMemory()()
	sources, err := backupSources(c)
	if err != nil {
		return err
	}
	p := newPrinter(c)
	if err := ensureDefaultRepo(c, p); err != nil {
		return err
	}
	r, err := openRepo(c, repo.AccessWrite)
	if err != nil {
		return err
	}
	defer r.Close()
	lk, err := lockRepo(c, lock.Write)
	if err != nil {
		return err
	}
	defer lk.Release()
	t := backup.Threshold{Percent: c.Float64("alarm-threshold"), Min: c.Uint64("alarm-min")}
	if t.Percent < 0 || t.Percent > 100 {
		return usagef("--alarm-threshold must be a percentage between 0 and 100")
	}
	if m := c.String("mirror"); m != "" {
		if err := store.CheckLocation(m); err != nil {
			return usagef("--mirror: %v", err)
		}
	}
	failed, pwFailed, partial, alarms, committed := 0, 0, 0, 0, 0
	var lastErr error
	// Parts of one export (a Takeout's -001.zip, -002.zip) are one source.
	// A folder of iPhone backups is one source per device.
	groups := archive.Group(source.Expand(sources))
	for _, parts := range groups {
		src := strings.Join(parts, " ")
		s, tree, release, err := openSource(c, p, parts)
		var res *backup.Result
		if err == nil {
			prog := newBackupProgress(p, c.App.ErrWriter, s.Name())
			res, err = backup.Run(c.Context, r, backup.Options{Tree: tree, SourceName: s.Name(), Host: c.String("host"),
				Tags: c.StringSlice("tag"), NoCache: c.Bool("no-cache"), Threshold: &t, AcceptEmpty: acceptEmpty(c, src, s.Name()), BeforeCommit: lk.Check, Now: testClock(),
				Progress: prog.options()})
			prog.stop()
			release()
		}
		// A source that cannot be read, or an iPhone backup whose password
		// is wrong or missing, fails alone: the other sources go on.
		sourceOnly := errors.Is(err, backup.ErrSource) || iphone.IsPasswordError(err)
		if err != nil && !sourceOnly && c.Context.Err() == nil {
			if lerr := lk.Check(c.Context); errors.Is(lerr, lock.ErrLost) {
				// A run stopped past its lock's expiry finds its temporary
				// files removed by the run that took over: that is the
				// cause, not the failed write.
				err = lerr
			}
		}
		if err != nil {
			if c.Context.Err() != nil || !sourceOnly {
				if committed > 0 {
					// Exit 1 and 130 promise that nothing was committed.
					p.warn("%s: %v", src, err)
					return partialError{fmt.Sprintf("warning: %s committed, then the backup of %s stopped", plural(committed, "snapshot"), src)}
				}
				return err
			}
			failed++
			lastErr = err
			if iphone.IsPasswordError(err) {
				pwFailed++
			}
			if len(groups) > 1 { // one source: the error says it
				p.warn("%v: nothing committed for this source", err)
				if h := hint(err); h != "" && iphone.IsPasswordError(err) {
					p.note("lifeboat: hint: %s", h)
				}
			}
			continue
		}
		for _, ie := range res.Errors {
			p.warn("%s: %v", ie.Path, ie.Err)
		}
		for _, ch := range res.Changed {
			p.warn("%s: %v", ch.Path, ch.Err)
		}
		for _, w := range res.Warnings {
			p.note("lifeboat: note: %s: %v", w.Path, w.Err)
		}
		if res.Rollback != nil {
			p.warn("%v; run 'lifeboat check'", res.Rollback)
		}
		if res.Catalog != nil {
			p.warn("the snapshot is committed, but not the catalog that lists it (the next backup writes one): %v", res.Catalog)
		}
		if len(res.Errors) > 0 || len(res.Changed) > 0 || res.Rollback != nil || res.Catalog != nil {
			partial++
		}
		committed++
		recordSnapshot(c, res.ID.String(), res.Snapshot.Stats)
		reportBackup(p, res)
		if res.Alarm != nil {
			alarms++
			reportAlarm(p, res)
		}
	}
	mirrorErr := pushMirror(c, p)
	if err := c.Context.Err(); err != nil {
		if committed == 0 {
			return err
		}
		return partialError{fmt.Sprintf("warning: interrupted after %s committed; a mirror catches up at 'lifeboat sync' or the next backup", plural(committed, "snapshot"))}
	}
	switch {
	case alarms > 0:
		if alarms == 1 {
			return alarmError{"alarm: 1 source lost many records; its snapshot was committed and the one before the drop is kept"}
		}
		return alarmError{fmt.Sprintf("alarm: %d sources lost many records; their snapshots were committed and the ones before the drop are kept", alarms)}
	case failed == 1 && len(groups) == 1:
		return fmt.Errorf("nothing backed up: %w", lastErr)
	case failed == len(groups) && pwFailed == failed:
		return fmt.Errorf("no source could be backed up: %w", lastErr)
	case failed == len(groups):
		return fmt.Errorf("no source could be backed up: %w", backup.ErrSource)
	case failed > 0 || partial > 0:
		return partialError{fmt.Sprintf("warning: %s failed, %s incomplete; the rest was committed",
			plural(failed, "source"), plural(partial, "snapshot"))}
	}
	return mirrorErr
}

// ensureDefaultRepo creates the default repository on first use, so that
// 'lifeboat backup FOLDER' works on a fresh machine.
func ensureDefaultRepo(c *cli.Context, p *printer) error {
	loc, isDefault := repoLocation(c)
	if !isDefault {
		return nil
	}
	st, err := openStore(c)
	if err != nil {
		return err
	}
	if _, err := st.Stat(c.Context, "config"); !errors.Is(err, store.ErrNotFound) {
		return nil // there is one, or Open will say what is wrong
	}
	res, err := repo.Init(c.Context, st, repo.InitOptions{IdentityFile: repo.DefaultIdentityFile()})
	if errors.Is(err, repo.ErrExists) {
		// Another first run is creating it this moment: use that one.
		return waitForConfig(c, st, err)
	}
	if err != nil {
		return err
	}
	p.note("lifeboat: created the default repository %s", loc)
	// As init does, so that later commands (and cron) find the repository,
	// its identity and the mirror given here.
	if file, keys := writeInitConfig(c, p, loc, res); file != "" {
		p.note("lifeboat: wrote the config file %s (%s)", file, strings.Join(keys, ", "))
	}
	if res.NewIdentity {
		// A warning, so that even --quiet (cron) shows it once.
		p.warn("new identity %s: keep a copy off this machine, or nothing can be restored", res.IdentityFile)
	}
	return nil
}

// testClock is the snapshot time for tests of a wrong clock
// (LIFEBOAT_TEST_CLOCK_OFFSET=87600h: ten years ahead); not a user
// setting. Zero means now.
func testClock() time.Time {
	if d, err := time.ParseDuration(os.Getenv("LIFEBOAT_TEST_CLOCK_OFFSET")); err == nil && d != 0 {
		return time.Now().Add(d)
	}
	return time.Time{}
}

// waitForConfig waits up to 10 seconds for a repository that another run
// is creating to get its config, and returns initErr if it does not.
func waitForConfig(c *cli.Context, st store.Store, initErr error) error {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if _, err := st.Stat(c.Context, "config"); err == nil {
			return nil
		}
		select {
		case <-c.Context.Done():
			return c.Context.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return initErr
}

func reportBackup(p *printer, res *backup.Result) {
	s := res.Snapshot
	st := s.Stats
	p.object(map[string]any{"snapshot": res.ID.String(), "source": s.Source, "time": s.Time,
		"files": st.Files, "dirs": st.Dirs, "contacts": st.Contacts, "events": st.Events,
		"todos": st.Todos, "journals": st.Journals, "media": st.Media, "other": st.Other,
		"read_bytes": st.BytesRead, "total_bytes": st.Bytes, "added_bytes": st.BytesAdded,
		"errors": len(res.Errors), "changed_files": len(res.Changed), "malformed_records": st.Malformed, "alarm": res.Alarm, "vanished": res.Vanished})
	p.human("snapshot %s of %s", res.ID.Short(), s.Source)
	media := plural(int(st.Media), "photo/video")
	if st.Media != 1 {
		media = fmt.Sprintf("%d photos/videos", st.Media)
	}
	p.human("  %s, %s, %s, %s, %s", plural(int(st.Contacts), "contact"), plural(int(st.Events), "event"),
		plural(int(st.Todos), "to-do"), media, plural(int(st.Other), "other file"))
	p.human("  %s in %s, %s read, %s added", bytesHuman(st.Bytes), plural(int(st.Files), "file"),
		bytesHuman(st.BytesRead), bytesHuman(st.BytesAdded))
}

// reportAlarm names what dropped, on stderr, even with --quiet.
func reportAlarm(p *printer, res *backup.Result) {
	a := res.Alarm
	src := res.Snapshot.Source
	if a.Empty {
		p.alarm("%s: the source holds no file, and snapshot %s had some (is the phone or disk mounted?)", src, a.Previous.Short())
		p.alarm("every backup of %s alarms while it stays empty; if it is meant to be empty, back it up once with --accept-empty", src)
	}
	for _, d := range a.Drops {
		p.alarm("%s: %s %d → %d since snapshot %s", src, d.Kind, d.Before, d.After, a.Previous.Short())
	}
	for _, d := range res.Shrunk {
		p.alarm("%s: %s holds %s, down from %d since snapshot %s", src, d.Kind, plural(int(d.After), "record"), d.Before, a.Previous.Short())
	}
	for _, v := range res.Vanished {
		p.alarm("%s: %s vanished since snapshot %s", src, v, a.Previous.Short())
	}
	p.alarm("snapshot %s was committed; %s, the last one before the drop, will not be removed by retention",
		res.ID.Short(), a.Previous.Short())
}

// acceptEmpty reports whether the user said that src may be empty: with
// --accept-empty, or by naming it in the config's backup.accept_empty.
func acceptEmpty(c *cli.Context, src, dir string) bool {
	if c.Bool("accept-empty") {
		return true
	}
	cfg := loadedConfig(c)
	if cfg == nil {
		return false
	}
	abs, _ := filepath.Abs(dir)
	for _, s := range cfg.settings {
		if s.key != "backup.accept_empty" {
			continue
		}
		for _, v := range s.values {
			if v == src || v == abs || repo.MatchSource(src, v) {
				return true
			}
		}
	}
	return false
}
