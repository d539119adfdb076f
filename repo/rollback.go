package repo

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
)

// ErrRollback: the repository lost its newest snapshot: someone with
// access to the storage put back an older state, or deleted snapshots.
var ErrRollback = fmt.Errorf("the newest snapshot this machine saw is gone (rolled back?): %w", ErrDamaged)

// newestRecord is this machine's record of the newest snapshot it saw in
// a repository, kept in StateDir. Losing it only loses rollback detection.
type newestRecord struct {
	ID   format.ID `json:"id"`
	Time time.Time `json:"time"`
}

// newestPath is per repository and location: a mirror that is behind
// its primary (a disk that missed some backups) is not a rollback of the
// primary, and vice versa.
func (r *Repository) newestPath() string { return r.newestPathAt(r.st.Location()) }

func (r *Repository) newestPathAt(location string) string {
	loc := crypto.ObjectHash([]byte(location))
	return filepath.Join(r.stateDir, r.cfg.ID+"-"+format.ID(loc).String()[:16]+".newest")
}

// checkRollback compares the snapshots present with the record, then
// records the newest one present.
func (r *Repository) checkRollback(ids []format.ID, snaps []SnapshotInfo) error {
	var rec newestRecord
	if b, err := os.ReadFile(r.newestPath()); err == nil && json.Unmarshal(b, &rec) == nil && !rec.ID.IsZero() {
		present := false
		for _, id := range ids {
			present = present || id == rec.ID
		}
		newer := len(snaps) > 0 && !snaps[len(snaps)-1].Time.Before(rec.Time)
		if !present && !newer {
			return fmt.Errorf("snapshot %s of %s: %w", rec.ID.Short(), rec.Time.Format(time.RFC3339), ErrRollback)
		}
	}
	if len(snaps) > 0 {
		last := snaps[len(snaps)-1]
		r.recordNewest(last.ID, last.Time)
	}
	return nil
}

// recordNewest remembers a snapshot as the newest, unless a newer one is
// recorded. Failing to write the record is not an error.
func (r *Repository) recordNewest(id format.ID, t time.Time) {
	var rec newestRecord
	if b, err := os.ReadFile(r.newestPath()); err == nil && json.Unmarshal(b, &rec) == nil && rec.Time.After(t) {
		return
	}
	b, _ := json.Marshal(newestRecord{ID: id, Time: t})
	if os.MkdirAll(r.stateDir, 0o700) != nil {
		return
	}
	tmp := r.newestPath() + ".tmp"
	if os.WriteFile(tmp, b, 0o600) == nil {
		os.Rename(tmp, r.newestPath())
	}
}
