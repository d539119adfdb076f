package history

import (
	"sort"
	"strings"

	"github.com/lifeboat-backup/lifeboat/pim"
)

// Records without a UID have no identity of their own: within a snapshot
// they are told apart by their content (pim.Record.Identity), and across
// snapshots they are followed as a person would follow them, by how much
// of their content they share. match pairs the groups of two snapshots:
//
//  1. Groups of the same identity are one (a record with a UID, or one
//     without that did not change).
//  2. Of the rest, groups without a UID of one kind are paired by the
//     share of their field values they have in common (shared values over
//     the values of the smaller one, at least minShare), the most similar
//     pairs first. An edit of one field of a few keeps most of them.
//  3. What is left of one name (pim.Record.Key: FN and N for a contact,
//     SUMMARY and start for an event) is paired when the name is left
//     once on each side: the one "Anna Becker" whose details were rewritten.
//
// Everything else was added or removed.

// minShare is the least share of field values two versions of a record
// without a UID have in common.
const minShare = 0.5

// commonToken is how many groups a field value may be in and still be a
// hint of identity; VERSION:3.0 or a shared company name are in too many.
const commonToken = 16

// match returns, for each group key of cur, the key of prev it continues.
func match(prev, cur map[string]*Group) map[string]string {
	pairs := map[string]string{}
	var left, right []*Group
	for key, g := range cur {
		if _, ok := prev[key]; ok {
			pairs[key] = key
		} else if g.noUID() {
			right = append(right, g)
		}
	}
	for key, g := range prev {
		if _, ok := cur[key]; !ok && g.noUID() {
			left = append(left, g)
		}
	}
	if len(left) == 0 || len(right) == 0 {
		return pairs
	}
	sortGroups(left)
	sortGroups(right)
	taken := map[string]bool{}
	for _, c := range similar(left, right) {
		if taken[c.a.Key] || pairs[c.b.Key] != "" {
			continue
		}
		taken[c.a.Key] = true
		pairs[c.b.Key] = c.a.Key
	}
	byName := func(gs []*Group, skip func(*Group) bool) map[string][]*Group {
		m := map[string][]*Group{}
		for _, g := range gs {
			if !skip(g) {
				m[g.name] = append(m[g.name], g)
			}
		}
		return m
	}
	la := byName(left, func(g *Group) bool { return taken[g.Key] })
	rb := byName(right, func(g *Group) bool { return pairs[g.Key] != "" })
	for name, bs := range rb {
		if as := la[name]; len(as) == 1 && len(bs) == 1 {
			pairs[bs[0].Key] = as[0].Key
		}
	}
	return pairs
}

// candidate is a possible pairing of a previous group a with a current b.
type candidate struct {
	a, b  *Group
	share float64
}

// similar lists the pairs of left and right groups of one kind that share
// at least minShare of their field values, the most similar first (ties:
// same name first, then by key, so the outcome does not depend on map
// order). Field values in more than commonToken left groups are no hint.
func similar(left, right []*Group) []candidate {
	index := map[string][]*Group{}
	for _, a := range left {
		for t := range a.tokens() {
			index[t] = append(index[t], a)
		}
	}
	var out []candidate
	for _, b := range right {
		tb := b.tokens()
		seen := map[*Group]bool{}
		for t := range tb {
			as := index[t]
			if len(as) > commonToken {
				continue
			}
			for _, a := range as {
				if seen[a] || a.Kind != b.Kind {
					continue
				}
				seen[a] = true
				if s := share(a.tokens(), tb); s >= minShare {
					out = append(out, candidate{a, b, s})
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.share != y.share {
			return x.share > y.share
		}
		if sx, sy := x.a.name == x.b.name, y.a.name == y.b.name; sx != sy {
			return sx
		}
		if x.b.Key != y.b.Key {
			return x.b.Key < y.b.Key
		}
		return x.a.Key < y.a.Key
	})
	return out
}

// share is the part of the smaller token set that the other one holds.
func share(a, b map[string]bool) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return 0
	}
	n := 0
	for t := range a {
		if b[t] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// ignoredFields say nothing about who a record is.
var ignoredFields = map[string]bool{"VERSION": true, "PRODID": true}

// tokens are the field values of a group's master record, as
// "NAME\x00value" (parameters included).
func (g *Group) tokens() map[string]bool {
	if g.toks != nil {
		return g.toks
	}
	g.toks = map[string]bool{}
	for name, vals := range g.master().Fields {
		if ignoredFields[name] || pim.Volatile(name) {
			continue
		}
		for _, v := range vals {
			g.toks[name+"\x00"+v] = true
		}
	}
	return g.toks
}

// noUID reports whether the group's records have no UID.
func (g *Group) noUID() bool { return g.Records[0].UID == "" }

func sortGroups(gs []*Group) {
	sort.Slice(gs, func(i, j int) bool { return strings.Compare(gs[i].Key, gs[j].Key) < 0 })
}
