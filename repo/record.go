package repo

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
)

// record is this machine's memory of one location of a repository: every
// snapshot it committed or saw there, and the highest catalog generation
// it saw there. It is kept per location: a mirror that missed some
// backups is behind, not rolled back. Losing it loses only what the
// catalog alone cannot tell (docs/SECURITY.md).
type record struct {
	Catalog   uint64                `json:"catalog"`
	Snapshots map[string]snapRecord `json:"snapshots"` // by hex id
	raw       []byte                // as read, so an unchanged record is not rewritten
}

// snapRecord is what a message about a gone snapshot names.
type snapRecord struct {
	Time   time.Time `json:"time"`
	Host   string    `json:"host,omitempty"`
	Source string    `json:"source,omitempty"`
}

func newRecord() *record { return &record{Snapshots: map[string]snapRecord{}} }

func (rec *record) add(id format.ID, s *format.Snapshot) {
	rec.Snapshots[id.String()] = snapRecord{Time: s.Time, Host: s.Host, Source: s.Source}
}

func (rec *record) get(id format.ID) (snapRecord, bool) {
	s, ok := rec.Snapshots[id.String()]
	return s, ok
}

func (rec *record) has(id format.ID) bool { _, ok := rec.Snapshots[id.String()]; return ok }

func (rec *record) remove(id format.ID) { delete(rec.Snapshots, id.String()) }

func (rec *record) ids() []format.ID {
	out := make([]format.ID, 0, len(rec.Snapshots))
	for k := range rec.Snapshots {
		if id, err := format.ParseID(k); err == nil {
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// statePath names this machine's files about one location.
func (r *Repository) statePath(location, ext string) string {
	loc := crypto.ObjectHash([]byte(location))
	return filepath.Join(r.stateDir, r.cfg.ID+"-"+format.ID(loc).String()[:16]+ext)
}

// loadRecord reads the record of a location; a missing or unreadable one
// is empty, except that the newest snapshot an older lifeboat recorded
// (ID-LOC.newest) is carried over.
func (r *Repository) loadRecord(location string) *record {
	rec := newRecord()
	if b, err := os.ReadFile(r.statePath(location, ".snapshots")); err == nil {
		if json.Unmarshal(b, rec) == nil && rec.Snapshots != nil {
			rec.raw = b
			return rec
		}
		rec = newRecord()
	}
	var old struct {
		ID   format.ID `json:"id"`
		Time time.Time `json:"time"`
	}
	if b, err := os.ReadFile(r.statePath(location, ".newest")); err == nil && json.Unmarshal(b, &old) == nil && !old.ID.IsZero() {
		rec.Snapshots[old.ID.String()] = snapRecord{Time: old.Time}
	}
	return rec
}

// saveRecord replaces the record of a location. Failing to write it is
// not an error: it only weakens detection.
func (r *Repository) saveRecord(location string, rec *record) {
	b, err := json.Marshal(rec)
	if err != nil || bytes.Equal(b, rec.raw) || os.MkdirAll(r.stateDir, 0o700) != nil {
		return
	}
	path := r.statePath(location, ".snapshots")
	tmp := path + ".tmp"
	if os.WriteFile(tmp, b, 0o600) == nil && os.Rename(tmp, path) == nil {
		rec.raw = b
	}
}
