package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
	"github.com/lifeboat-backup/lifeboat/source/android"
)

// runRestoreAndroid puts a snapshot onto a phone: its contacts (every
// vCard of the snapshot: a phone's rendered cards, an export's
// contacts.vcf) and events through the providers, and, from a phone's
// snapshot, its photos and videos back into their folders. Nothing on
// the phone is deleted or changed.
func runRestoreAndroid(c *cli.Context, r *repo.Repository, snap repo.SnapshotInfo) error {
	serial, err := android.ParseSerial(c.String("to"))
	if err != nil {
		return usageError{fmt.Errorf("--to: %w", err)}
	}
	items, err := phoneItems(c.Context, r, snap, c.StringSlice("include"))
	if err != nil {
		return err
	}
	if len(items.Cards)+len(items.Calendars)+len(items.Files) == 0 {
		return usagef("snapshot %s holds no contacts, calendars or phone media to put onto a phone", snap.ID.Short())
	}
	d, err := android.Connect(c.Context, serial)
	if err != nil {
		if c.Context.Err() != nil {
			return c.Context.Err()
		}
		return fmt.Errorf("%s: %w", c.String("to"), err)
	}
	p := newPrinter(c)
	res, err := android.Put(c.Context, d, android.PutOptions{Account: c.String("account"), DryRun: c.Bool("dry-run")}, items)
	switch {
	case err == nil:
	case c.Context.Err() != nil:
		return c.Context.Err()
	case errors.Is(err, android.ErrAccount):
		return usageError{err}
	case errors.Is(err, android.ErrGone):
		return putGoneError{fmt.Errorf("%s%s: %w", android.Scheme, d.Serial, err)}
	default:
		return fmt.Errorf("%s%s: %w", android.Scheme, d.Serial, err)
	}
	reportPhonePut(p, c.Bool("dry-run"), android.Scheme+d.Serial, snap, res)
	if len(res.Failed) > 0 {
		return partialError{fmt.Sprintf("warning: %d item(s) not put onto the phone (see above)", len(res.Failed))}
	}
	return nil
}

// putGoneError is a phone unplugged during a restore onto it: part of
// the snapshot is there, and running the restore again adds the rest.
type putGoneError struct{ err error }

func (e putGoneError) Error() string { return e.err.Error() }
func (e putGoneError) Unwrap() error { return e.err }

// phoneItems reads what of a snapshot can go onto a phone. Media files go
// back only from a phone's own snapshot, where their paths are paths under
// /sdcard; a folder's photos have no place there.
func phoneItems(ctx context.Context, r *repo.Repository, snap repo.SnapshotInfo, include []string) (android.Items, error) {
	var items android.Items
	fromPhone := android.IsSource(snap.Source)
	err := r.Walk(ctx, snap.Root.Content, func(rel string, n format.Node) error {
		if n.Type != format.NodeFile || !restore.Included(include, rel) {
			return nil
		}
		top, _, _ := strings.Cut(rel, "/")
		switch {
		case pim.Kind(n.Kind) == pim.KindVCard:
			data, err := r.ReadFile(ctx, n)
			if err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
			for _, pc := range pim.Split(pim.KindVCard, data) {
				if pc.Kind == pim.RecContact {
					items.Cards = append(items.Cards, android.Record{From: rel, Data: data[pc.Off : pc.Off+pc.Len]})
				}
			}
		case pim.Kind(n.Kind) == pim.KindICal:
			data, err := r.ReadFile(ctx, n)
			if err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
			items.Calendars = append(items.Calendars, android.Record{From: rel, Data: data})
		case fromPhone && top != "contacts" && top != "calendars":
			node := n
			items.Files = append(items.Files, android.File{Path: rel, Size: int64(n.Size), MTime: n.MTime.Time(),
				Write: func(ctx context.Context, w io.Writer) error { return r.WriteFile(ctx, w, node) }})
		}
		return nil
	})
	return items, err
}

// reportPhonePut says what a restore onto a phone did.
func reportPhonePut(p *printer, dry bool, phone string, snap repo.SnapshotInfo, res *android.PutResult) {
	verb := "added"
	if dry {
		verb = "would add"
	}
	cal := ""
	if res.Calendar != "" {
		cal = fmt.Sprintf(" to calendar %q", res.Calendar)
	}
	p.human("%s snapshot %s onto %s:", map[bool]string{true: "would put", false: "put"}[dry], snap.ID.Short(), phone)
	p.human("  contacts: %d %s, %d already there", res.Contacts.Added, verb, res.Contacts.Present)
	p.human("  events: %d %s%s, %d already there", res.Events.Added, verb, cal, res.Events.Present)
	files := fmt.Sprintf("  photos and videos: %d %s, %d already there", res.Files.Added, verb, res.Files.Present)
	if res.Files.Differ > 0 {
		files += fmt.Sprintf(", %d left alone (the phone has another file at that path)", res.Files.Differ)
	}
	p.human("%s", files)
	if res.Todos > 0 {
		p.note("lifeboat: note: %s not put onto the phone: Android has no provider for them ('lifeboat export' writes them as .ics for a tasks app)", plural(res.Todos, "to-do"))
	}
	if len(res.Skipped) > 0 {
		p.note("lifeboat: note: not put onto the phone, since no provider column holds them: %s", strings.Join(res.Skipped, ", "))
	}
	for _, f := range res.Failed {
		p.warn("%s", f)
	}
	p.object(map[string]any{"phone": phone, "snapshot": snap.ID.String(), "dry_run": dry,
		"contacts": counts(res.Contacts), "events": counts(res.Events), "files": counts(res.Files),
		"todos": res.Todos, "skipped": res.Skipped, "failed": res.Failed, "calendar": res.Calendar})
}

func counts(c android.Count) map[string]int {
	return map[string]int{"added": c.Added, "present": c.Present, "differ": c.Differ}
}
