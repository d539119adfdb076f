package cli

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/history"
	"github.com/lifeboat-backup/lifeboat/repo"
)

func findCommand() *cli.Command {
	return &cli.Command{
		Name:      "find",
		Usage:     "which snapshots hold a contact, event, to-do or file, and when it changed or vanished",
		ArgsUsage: "QUERY",
		Description: "QUERY matches a contact's or event's name, a phone number (digits only are compared),\n" +
			"an e-mail address, or part of a file's path, case-insensitively.",
		Flags: append(append(outputFlags(), keyFlags()...),
			&cli.StringFlag{Name: "source", Usage: "search only the snapshots of `SOURCE` (path or base name)"}),
		Action: runFind,
	}
}

func runFind(c *cli.Context) error {
	if c.NArg() != 1 || strings.TrimSpace(c.Args().First()) == "" {
		return usagef("find needs one QUERY")
	}
	r, err := openRepo(c, repo.AccessRead)
	if err != nil {
		return err
	}
	defer r.Close()
	all, _, err := r.Snapshots(c.Context)
	if err != nil {
		return err
	}
	if src := c.String("source"); src != "" {
		var keep []repo.SnapshotInfo
		for _, s := range all {
			if repo.MatchSource(s.Source, src) {
				keep = append(keep, s)
			}
		}
		all = keep
	}
	hits, err := history.Find(c.Context, r, all, c.Args().First())
	if err != nil {
		return err
	}
	p := newPrinter(c)
	for _, h := range hits {
		p.object(h)
		p.human("%s", describeHit(h))
	}
	p.object(map[string]any{"query": c.Args().First(), "hits": len(hits), "snapshots": len(all)})
	if len(hits) == 0 {
		p.human("nothing matches %q in %s", c.Args().First(), plural(len(all), "snapshot"))
	}
	return nil
}

// describeHit says a hit's story in one line:
// "contact Mom (Contacts/contacts.vcf): present until 2026-11-20 08:00, gone since 2026-11-21 09:00",
// "photo DCIM/IMG_1.jpg (phone, taken 2025-06-14 10:15): first seen ...".
func describeHit(h history.Hit) string {
	const layout = "2006-01-02 15:04"
	var parts []string
	for i, e := range h.Events {
		when := e.Time.Local().Format(layout) + " (" + e.Snapshot.Short() + ")"
		switch e.Op {
		case "appeared":
			if i == 0 {
				parts = append(parts, "first seen "+when)
			} else {
				parts = append(parts, "back "+when)
			}
		case "changed":
			parts = append(parts, "changed "+when)
		case "vanished":
			parts = append(parts, "gone since "+when)
		}
	}
	if h.Present {
		parts = append(parts, "present in the newest snapshot")
	}
	where := h.Path
	if h.What == "file" || h.What == "photo" {
		where = baseName(h.Source)
	}
	if p := h.Phrase(); p != "" {
		where += ", " + p
	}
	return h.What + " " + h.Name + " (" + where + "): " + strings.Join(parts, ", ")
}
