// Package history answers questions across snapshots: what changed
// between two of them (Diff), and when a contact, event, to-do or file
// appeared, changed or vanished (Find). It reads trees and records, so it
// needs the identity.
package history

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// view is what one snapshot holds: files by path, and the records of its
// vCard and iCalendar files grouped by identity.
type view struct {
	files   map[string]format.Node
	records map[string]*Group
}

// Group is one contact, event, to-do or journal: the records that share an
// identity (pim.Record.Identity: a recurring event and its exceptions, or
// one card repeated in several files).
type Group struct {
	Key     string // pim.Record.Identity
	Kind    pim.RecordKind
	Name    string
	Path    string // the first file it came from
	Records []pim.Record
	// sig identifies the group's exact bytes, to tell changes cheaply:
	// the blob ids of its records, sorted, each once.
	sig []string
	// name is the records' pim.Record.Key, toks the field values of its
	// master (see tokens).
	name string
	toks map[string]bool
}

// parser parses vCard and iCalendar files once per content, however many
// snapshots hold them.
type parser struct {
	r     *repo.Repository
	cache map[string][]pim.Record
	sigs  map[string][]string
}

func newParser(r *repo.Repository) *parser {
	return &parser{r: r, cache: map[string][]pim.Record{}, sigs: map[string][]string{}}
}

func contentKey(ref format.Ref) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", ref.Level)
	for _, id := range ref.IDs {
		b.Write(id[:])
	}
	return b.String()
}

// records returns a file's records and, for each, a signature of its bytes.
func (p *parser) records(ctx context.Context, n format.Node) ([]pim.Record, []string, error) {
	key := contentKey(n.Content)
	if recs, ok := p.cache[key]; ok {
		return recs, p.sigs[key], nil
	}
	data, err := p.r.ReadFile(ctx, n)
	if err != nil {
		return nil, nil, err
	}
	var recs []pim.Record
	var sigs []string
	for _, pc := range pim.Split(pim.Kind(n.Kind), data) {
		if !isRecord(pc.Kind) {
			continue
		}
		b := data[pc.Off : pc.Off+pc.Len]
		rec, _ := pim.ParseRecord(pc.Kind, b) // a malformed record is still indexed as far as it reads
		recs = append(recs, rec)
		sigs = append(sigs, string(p.r.BlobID(b).String()))
	}
	p.cache[key], p.sigs[key] = recs, sigs
	return recs, sigs, nil
}

func isRecord(k pim.RecordKind) bool {
	return k == pim.RecContact || k == pim.RecEvent || k == pim.RecTodo || k == pim.RecJournal
}

func isPIM(n format.Node) bool {
	k := pim.Kind(n.Kind)
	return n.Type == format.NodeFile && (k == pim.KindVCard || k == pim.KindICal)
}

// load reads a snapshot's files and records.
func (p *parser) load(ctx context.Context, snap *format.Snapshot) (*view, error) {
	v := &view{files: map[string]format.Node{}, records: map[string]*Group{}}
	err := p.r.Walk(ctx, snap.Root.Content, func(rel string, n format.Node) error {
		if n.Type == format.NodeDir {
			return nil
		}
		v.files[rel] = n
		if !isPIM(n) {
			return nil
		}
		recs, sigs, err := p.records(ctx, n)
		if err != nil {
			return err
		}
		for i, rec := range recs {
			v.add(rel, rec, sigs[i])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, g := range v.records {
		sort.Strings(g.sig)
		g.sig = slices.Compact(g.sig)
	}
	return v, nil
}

func (v *view) add(rel string, rec pim.Record, sig string) {
	id := rec.Identity()
	g, ok := v.records[id]
	if !ok {
		g = &Group{Key: id, Kind: rec.Kind, Name: rec.Name, Path: rel, name: rec.Key}
		v.records[id] = g
	}
	if rec.RecurrenceID == "" && rec.Name != "" {
		g.Name = rec.Name
	}
	g.Records = append(g.Records, rec)
	g.sig = append(g.sig, sig)
}

// same reports whether two groups hold the same bytes.
func (g *Group) same(o *Group) bool {
	if len(g.sig) != len(o.sig) {
		return false
	}
	for i := range g.sig {
		if g.sig[i] != o.sig[i] {
			return false
		}
	}
	return true
}

// master is the record of a series without a RECURRENCE-ID (or the first).
func (g *Group) master() pim.Record {
	for _, r := range g.Records {
		if r.RecurrenceID == "" {
			return r
		}
	}
	return g.Records[0]
}

// KindName is how people call a record kind.
func KindName(k pim.RecordKind) string {
	switch k {
	case pim.RecContact:
		return "contact"
	case pim.RecEvent:
		return "event"
	case pim.RecTodo:
		return "to-do"
	case pim.RecJournal:
		return "journal"
	}
	return "record"
}
