package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/lifeboat-backup/lifeboat/repo"
)

func snapshotsCommand() *cli.Command {
	return &cli.Command{
		Name:   "snapshots",
		Usage:  "list snapshots (needs no identity)",
		Flags:  append(outputFlags(), keyFlags()...),
		Action: runSnapshots,
	}
}

func runSnapshots(c *cli.Context) error {
	r, err := openRepo(c, repo.AccessMeta)
	if err != nil {
		return err
	}
	defer r.Close()
	if c.NArg() > 0 {
		return usagef("snapshots takes no arguments")
	}
	all, damaged, err := r.Snapshots(c.Context)
	p := newPrinter(c)
	for _, d := range damaged {
		p.warn("%v", d)
	}
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(p.w, 0, 0, 2, ' ', tabwriter.AlignRight)
	if !p.json && !p.quiet {
		fmt.Fprintln(tw, "id\ttime\thost\tsource\tcontacts\tevents\tto-dos\tphotos\tfiles\tadded\t\t")
	}
	for _, s := range all {
		st := s.Stats
		p.object(map[string]any{"id": s.ID.String(), "time": s.Time, "host": s.Host, "source": s.Source,
			"tags": nonNil(s.Tags), "files": st.Files, "contacts": st.Contacts, "events": st.Events,
			"todos": st.Todos, "media": st.Media, "total_bytes": st.Bytes, "added_bytes": st.BytesAdded, "alarm": s.Alarm})
		if !p.json && !p.quiet {
			mark := ""
			if s.Alarm != nil {
				mark = "alarm: drop since " + s.Alarm.Previous.Short()
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t\n", s.ID.Short(),
				s.Time.Local().Format("2006-01-02 15:04:05"), clean(s.Host), clean(s.Source), st.Contacts,
				st.Events, st.Todos, st.Media, st.Files, bytesHuman(st.BytesAdded), mark)
		}
	}
	tw.Flush()
	p.object(map[string]any{"snapshots": len(all), "damaged": len(damaged)})
	p.human("%s", plural(len(all), "snapshot"))
	if len(damaged) > 0 {
		return fmt.Errorf("%s damaged: %w", plural(len(damaged), "snapshot"), repo.ErrDamaged)
	}
	return nil
}
