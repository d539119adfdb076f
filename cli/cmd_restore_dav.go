package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
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
	recs, name, err := davRecords(c, r, snap, target.Kind)
	if err != nil {
		return err
	}
	p := newPrinter(c)
	if len(recs) == 0 {
		return usagef("snapshot %s holds no %s records to put into %s", snap.ID.Short(), kindWord(target.Kind), target.Name)
	}
	if c.IsSet("name") {
		name = c.String("name")
	}
	if strings.TrimSpace(name) == "" {
		name = dav.DefaultDisplayName
	}
	prog := newPutProgress(p, c.App.ErrWriter, target.Name, len(recs))
	res, err := dav.Put(c.Context, dav.PutOptions{Target: target, Password: password, DisplayName: name,
		Overwrite: c.Bool("overwrite"), DryRun: c.Bool("dry-run"), Progress: prog.callback()}, recs)
	prog.stop()
	switch {
	case err == nil:
	case c.Context.Err() != nil:
		return c.Context.Err()
	case errors.Is(err, dav.ErrAuth), errors.Is(err, dav.ErrNotCollection):
		return usageError{fmt.Errorf("%s: %w", target.Name, err)}
	default:
		return fmt.Errorf("%s: %w", target.Name, err)
	}
	reportPut(p, c.Bool("dry-run"), target, name, snap, res)
	if n := len(res.Refused) + len(res.Differ) + len(res.Missing); n > 0 {
		return partialError{fmt.Sprintf("warning: %d record(s) not put into %s (see above)", n, target.Name)}
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
// restored into before) goes once. It returns too the display name the
// records' collection had on the server (see collectionName).
func davRecords(c *cli.Context, r *repo.Repository, snap repo.SnapshotInfo, kind string) ([]dav.Record, string, error) {
	var out []dav.Record
	taken := map[string][]byte{}
	names, from := map[string]string{}, map[string]bool{}
	err := r.Walk(c.Context, snap.Root.Content, func(rel string, n format.Node) error {
		if n.Type != format.NodeFile || !restore.Included(c.StringSlice("include"), rel) {
			return nil
		}
		if path.Base(rel) == dav.StateFile {
			if name, ok := stateName(c, r, n, kind); ok {
				names[path.Dir(rel)] = name
			}
			return nil
		}
		if pim.Kind(n.Kind) != pim.KindVCard && pim.Kind(n.Kind) != pim.KindICal {
			return nil // photos, and an iPhone backup's own files, hold no records to put
		}
		data, err := r.ReadFile(c.Context, n)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		recs := dav.Split(kind, path.Base(rel), data)
		if len(recs) > 0 {
			from[path.Dir(rel)] = true
		}
		for _, rec := range recs {
			if prev, ok := taken[rec.Name]; ok && dav.SameContent(prev, rec.Data) {
				continue
			}
			name := rec.Name
			for i := 2; isTaken(taken, name); i++ {
				ext := path.Ext(rec.Name)
				name = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(rec.Name, ext), i, ext)
			}
			taken[name] = rec.Data
			out = append(out, dav.Record{Name: name, Data: rec.Data, Earlier: rec.Earlier})
		}
		return nil
	})
	return out, collectionName(names, from), err
}

// stateName reads a collection folder's display name from its
// dav.StateFile, when the file describes a collection of kind.
func stateName(c *cli.Context, r *repo.Repository, n format.Node, kind string) (string, bool) {
	if n.Size > 1<<20 {
		return "", false // a state file this large is not lifeboat's
	}
	data, err := r.ReadFile(c.Context, n)
	if err != nil {
		return "", false // the records' own reads report damage
	}
	var st dav.CollectionState
	want := map[string]string{dav.CardDAV: "addressbook", dav.CalDAV: "calendar"}[kind]
	if json.Unmarshal(data, &st) != nil || st.Type != want {
		return "", false
	}
	return strings.TrimSpace(st.DisplayName), true
}

// collectionName is the display name of the collection the records come
// from (names: by folder, from its dav.StateFile; from: the folders that
// gave records), when they all come from one, or from several of one
// name; else "" (dav.Put names it DefaultDisplayName).
func collectionName(names map[string]string, from map[string]bool) string {
	name := ""
	for dir := range from {
		n := names[dir]
		if n == "" || (name != "" && n != name) {
			return ""
		}
		name = n
	}
	return name
}

func isTaken(taken map[string][]byte, name string) bool {
	_, ok := taken[name]
	return ok
}

func reportPut(p *printer, dry bool, target *dav.Account, name string, snap repo.SnapshotInfo, res *dav.PutResult) {
	would := ""
	if dry {
		would = "would "
	}
	switch {
	case res.CreatedCollection && dry:
		p.human("would create the collection %s, named %q", target.URL.Redacted(), name)
	case res.CreatedCollection:
		p.human("created the collection %s, named %q", target.URL.Redacted(), name)
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
	for _, n := range res.Missing {
		p.warn("%s is not on the server after the restore, though it answered that it stored it", n)
	}
	if dry {
		p.human("%s: %d to put, %d to replace, %d already there, %d to leave alone (snapshot %s; dry run, nothing changed)",
			target.Name, len(res.Created), len(res.Replaced), len(res.Same), len(res.Differ), snap.ID.Short())
	} else {
		missing := ""
		if len(res.Missing) > 0 {
			missing = fmt.Sprintf(", %d missing", len(res.Missing))
		}
		p.human("%s: %d put, %d replaced, %d already there, %d left alone, %d refused%s (snapshot %s)",
			target.Name, len(res.Created), len(res.Replaced), len(res.Same), len(res.Differ), len(res.Refused), missing, snap.ID.Short())
	}
	p.object(map[string]any{"summary": true, "command": "restore", "target": target.Name, "dry_run": dry,
		"created_collection": res.CreatedCollection, "put": len(res.Created), "replaced": len(res.Replaced),
		"same": len(res.Same), "differ": nonNil(res.Differ), "refused": nonNil(res.Refused), "missing": nonNil(res.Missing)})
}
