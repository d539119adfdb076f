package backup

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"

	"github.com/zeebo/blake3"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// collectionNames is this machine's record of the paths behind the
// collection keys of a source's last snapshot, in the local cache: the
// snapshot keeps only keyed hashes of paths (a write-key holder reads it),
// so that the alarm can still say which address book or calendar
// vanished. It is a convenience: without it the alarm counts records.
type collectionNames struct {
	path  string
	names map[string]string // key → path
}

func openCollectionNames(dir, repoID, source string) *collectionNames {
	if dir == "" {
		dir = repo.CacheDir()
	}
	sum := blake3.Sum256([]byte(source))
	c := &collectionNames{path: filepath.Join(dir, repoID, "collections", format.ID(sum).String()[:32])}
	if b, err := os.ReadFile(c.path); err == nil {
		_ = json.Unmarshal(b, &c.names) // a damaged file names nothing
	}
	return c
}

// vanished names the collections an alarm found vanished: by path when
// this machine knows it, or the previous snapshot kept paths, else by
// the number of its records.
func (c *collectionNames) vanished(a *format.Alarm, prev *repo.SnapshotInfo, pathKey func(string) string) []string {
	if a == nil {
		return nil
	}
	known := maps.Clone(c.names)
	if known == nil {
		known = map[string]string{}
	}
	for _, pc := range prev.Collections {
		if pc.Path != "" {
			known[pathKey(pc.Path)] = pc.Path
		}
	}
	var out []string
	for _, v := range a.Vanished {
		if name, ok := known[v.Key]; ok {
			out = append(out, name)
		} else {
			out = append(out, fmt.Sprintf("an address book or calendar of %d records", v.Records))
		}
	}
	return out
}

// save records the paths of this backup's collections (0600, in a 0700
// folder, like the file cache).
func (c *collectionNames) save(colls collections, pathKey func(string) string) error {
	names := map[string]string{}
	for p := range colls {
		names[pathKey(p)] = p
	}
	b, err := json.Marshal(names)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o700); err != nil {
		return err
	}
	tmp := c.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, c.path)
}
