package history

import "github.com/lifeboat-backup/lifeboat/pim"

// Follower numbers the records of successive snapshots as Find follows
// them (see match): records are grouped by pim.Record.Identity, and a
// group keeps its number while it changes (an edited contact without a
// UID, whose identity changed with it), and takes it up again when it
// comes back after it vanished. Two people who share a name have two
// numbers. It is for callers that read snapshots themselves (the web
// view's histories).
type Follower struct {
	t tracker
}

// Follow takes the records of the next snapshot (oldest first) and
// returns the number of each of its groups, by identity.
func (f *Follower) Follow(recs []pim.Record) map[string]int {
	v := &view{records: map[string]*Group{}}
	for _, rec := range recs {
		v.add("", rec, "")
	}
	return f.t.follow(v)
}

// GroupFields compares two versions of one record group (the records that
// share an identity: a series and its exceptions, or one card): the
// master field by field (pim.Diff), and the exceptions by RECURRENCE-ID,
// named "exception "+RECURRENCE-ID. Volatile fields do not count.
func GroupFields(a, b []pim.Record) []pim.FieldChange {
	if len(a) == 0 || len(b) == 0 {
		return nil
	}
	return groupFields(&Group{Records: a}, &Group{Records: b})
}
