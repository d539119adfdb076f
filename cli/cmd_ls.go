package cli

import (
	"context"
	"io/fs"
	"path"
	"strings"

	"github.com/urfave/cli/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

func lsCommand() *cli.Command {
	return &cli.Command{
		Name:      "ls",
		Usage:     "list what a snapshot holds",
		ArgsUsage: "SNAPSHOT [PATH]",
		Flags:     append(outputFlags(), keyFlags()...),
		Action:    runLs,
	}
}

func runLs(c *cli.Context) error {
	if c.NArg() < 1 || c.NArg() > 2 {
		return usagef("ls needs SNAPSHOT and at most one PATH")
	}
	r, snap, err := openSnapshot(c)
	if err != nil {
		return err
	}
	defer r.Close()
	prefix := norm.NFC.String(strings.Trim(path.Clean("/"+c.Args().Get(1)), "/"))
	if err := r.CheckTree(c.Context, snap.Root.Content); err != nil {
		return err
	}
	p := newPrinter(c)
	n, err := listDir(c.Context, r, p, snap.Root.Content, "", prefix)
	if err != nil {
		return err
	}
	others := otherLatest(c, r, snap)
	if n == 0 && prefix != "" {
		return noPathError(c, r, snap, others, prefix)
	}
	p.object(map[string]any{"snapshot": snap.ID.String(), "entries": n})
	if len(others) > 0 {
		var specs []string
		among := append([]repo.SnapshotInfo{snap}, others...)
		for _, o := range others {
			specs = append(specs, latestSpec(o, among))
		}
		p.note("lifeboat: note: latest is the newest snapshot of all, here of %s; the other sources: %s",
			snap.Source, strings.Join(specs, ", "))
	}
	return nil
}

// listDir prints every entry below dir whose path is prefix (NFC) or inside
// it, and returns how many it printed. Paths are compared in NFC, so a name
// typed on Linux finds one a Mac wrote in NFD; they print as stored.
func listDir(ctx context.Context, r *repo.Repository, p *printer, ref format.Ref, rel, prefix string) (int, error) {
	nodes, err := r.LoadDir(ctx, ref)
	if err != nil {
		return 0, err
	}
	printed := 0
	for _, n := range nodes {
		if err := ctx.Err(); err != nil {
			return printed, err
		}
		crel := path.Join(rel, n.Name)
		nrel := norm.NFC.String(crel)
		inside := prefix == "" || nrel == prefix || strings.HasPrefix(nrel, prefix+"/")
		onWay := strings.HasPrefix(prefix, nrel+"/")
		if !inside && !onWay {
			continue
		}
		if inside {
			printNode(p, n, crel)
			printed++
		}
		if n.Type == format.NodeDir {
			below, err := listDir(ctx, r, p, n.Content, crel, prefix)
			printed += below
			if err != nil {
				return printed, err
			}
		}
	}
	return printed, nil
}

func printNode(p *printer, n format.Node, rel string) {
	mode := fs.FileMode(n.Mode) & fs.ModePerm
	kind := "file"
	switch n.Type {
	case format.NodeDir:
		mode |= fs.ModeDir
		kind = "dir"
	case format.NodeSymlink:
		mode |= fs.ModeSymlink
		kind = "symlink"
	}
	mt := n.MTime.Time()
	p.object(map[string]any{"path": rel, "type": kind, "mode": uint32(n.Mode), "mtime": mt,
		"size": n.Size, "contacts": n.Counts.Contacts, "events": n.Counts.Events, "todos": n.Counts.Todos,
		"target": n.Target})
	line := mode.String() + " " + mt.Local().Format("2006-01-02 15:04") + " " + padLeft(bytesHuman(n.Size), 10) + "  " + rel
	if n.Type == format.NodeSymlink {
		line += " -> " + n.Target
	}
	p.human("%s", line)
}

func padLeft(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat(" ", n-len(s)) + s
}
