package main

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
	"github.com/lifeboat-backup/lifeboat/source/dav"
)

// runRestoreDAV puts a snapshot's contacts (or events and to-dos) into
// a CardDAV (CalDAV) collection: every vCard (iCalendar) file of the
// snapshot, from a phone export or from a server, cut into one resource
// per record. Nothing on the server is deleted; records already there
// with the same bytes are skipped.
func runRestoreDAV(c *cli.Context, r *repo.Repository, snap repo.SnapshotInfo) error {
	target, err := dav.ParseSource(c.String("to"))
	if err != nil {
		return usageError{fmt.Errorf("--to: %w", err)}
	}
	password, err := davPassword(c)
	if err != nil {
		return err
	}
	recs, err := davRecords(c, r, snap, target.Kind)
	if err != nil {
		return err
	}
	p := newPrinter(c)
	if len(recs) == 0 {
		return usagef("snapshot %s holds no %s records to put into %s", snap.ID.Short(), kindWord(target.Kind), target.Name)
	}
	res, err := dav.Put(c.Context, dav.PutOptions{Target: target, Password: password,
		Overwrite: c.Bool("overwrite"), DryRun: c.Bool("dry-run")}, recs)
	switch {
	case err == nil:
	case c.Context.Err() != nil:
		return c.Context.Err()
	case errors.Is(err, dav.ErrAuth), errors.Is(err, dav.ErrNotCollection):
		return usageError{fmt.Errorf("%s: %w", target.Name, err)}
	default:
		return fmt.Errorf("%s: %w", target.Name, err)
	}
	reportPut(p, c.Bool("dry-run"), target, snap, res)
	if len(res.Refused) > 0 || len(res.Differ) > 0 {
		return partialError{fmt.Sprintf("warning: %d record(s) not put into %s (see above)", len(res.Refused)+len(res.Differ), target.Name)}
	}
	return nil
}

func kindWord(kind string) string {
	if kind == dav.CardDAV {
		return "contact"
	}
	return "calendar"
}

// davRecords reads the snapshot's record files of kind, as resources
// with unique names. A record with the name and content of one already
// taken (the same card in two address books of the account, such as one
// restored into before) goes once.
func davRecords(c *cli.Context, r *repo.Repository, snap repo.SnapshotInfo, kind string) ([]dav.Record, error) {
	var out []dav.Record
	taken := map[string][]byte{}
	err := r.Walk(c.Context, snap.Root.Content, func(rel string, n format.Node) error {
		if n.Type != format.NodeFile || !restore.Included(c.StringSlice("include"), rel) {
			return nil
		}
		if path.Base(rel) == dav.StateFile {
			return nil
		}
		data, err := r.ReadFile(c.Context, n)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		for _, rec := range dav.Split(kind, path.Base(rel), data) {
			if prev, ok := taken[rec.Name]; ok && dav.SameContent(prev, rec.Data) {
				continue
			}
			name := rec.Name
			for i := 2; isTaken(taken, name); i++ {
				ext := path.Ext(rec.Name)
				name = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(rec.Name, ext), i, ext)
			}
			taken[name] = rec.Data
			out = append(out, dav.Record{Name: name, Data: rec.Data})
		}
		return nil
	})
	return out, err
}

func isTaken(taken map[string][]byte, name string) bool {
	_, ok := taken[name]
	return ok
}

func reportPut(p *printer, dry bool, target *dav.Account, snap repo.SnapshotInfo, res *dav.PutResult) {
	would := ""
	if dry {
		would = "would "
	}
	switch {
	case res.CreatedCollection && dry:
		p.human("would create the collection %s", target.URL.Redacted())
	case res.CreatedCollection:
		p.human("created the collection %s", target.URL.Redacted())
	}
	for _, n := range res.Created {
		p.detail("%sput      %s", would, n)
	}
	for _, n := range res.Replaced {
		p.detail("%sreplace  %s", would, n)
	}
	for _, n := range res.Differ {
		p.warn("%s differs on the server; left alone (--overwrite replaces it)", n)
	}
	for _, n := range res.Refused {
		p.warn("the server refused %s", n)
	}
	if dry {
		p.human("%s: %d to put, %d to replace, %d already there, %d to leave alone (snapshot %s; dry run, nothing changed)",
			target.Name, len(res.Created), len(res.Replaced), len(res.Same), len(res.Differ), snap.ID.Short())
	} else {
		p.human("%s: %d put, %d replaced, %d already there, %d left alone, %d refused (snapshot %s)",
			target.Name, len(res.Created), len(res.Replaced), len(res.Same), len(res.Differ), len(res.Refused), snap.ID.Short())
	}
	p.object(map[string]any{"summary": true, "command": "restore", "target": target.Name, "dry_run": dry,
		"created_collection": res.CreatedCollection, "put": len(res.Created), "replaced": len(res.Replaced),
		"same": len(res.Same), "differ": nonNil(res.Differ), "refused": nonNil(res.Refused)})
}
