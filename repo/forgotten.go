package repo

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"

	"github.com/lifeboat-backup/lifeboat/format"
)

// Forgotten tells this machine's rollback record of each location that
// the snapshots removed were removed on purpose ('forget --source S
// --all' removes a source's newest snapshot, which may be the newest of
// the repository). A record naming one of them is dropped; the next
// listing of that location records its newest snapshot again.
func (r *Repository) Forgotten(locations []string, removed map[format.ID]bool) error {
	for _, loc := range locations {
		p := r.newestPathAt(loc)
		b, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		var rec newestRecord
		if json.Unmarshal(b, &rec) == nil && !removed[rec.ID] {
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
