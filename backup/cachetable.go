package backup

import (
	"bytes"
	"math"
	"slices"
)

// folderTable maps a folder's path to its record in a cache file. The
// paths are one byte slice and the spans another, sorted by path once
// read, so that a table holds no pointer a folder: a map[string]span cost
// about 90 bytes and a string for the collector to mark per folder, 4,000
// folders twice over (the old cache's table and the new one's) in every
// run.
type folderTable struct {
	names []byte
	ents  []tableEnt
}

type tableEnt struct {
	off, n uint32 // the path: names[off : off+n]
	sp     span
}

// add records the span of folder rel. A table whose paths would pass
// 4 GiB refuses it; the caller drops the cache, as for a failed write.
func (t *folderTable) add(rel []byte, sp span) bool {
	if uint64(len(t.names))+uint64(len(rel)) > math.MaxUint32 {
		return false
	}
	t.ents = append(t.ents, tableEnt{uint32(len(t.names)), uint32(len(rel)), sp})
	t.names = append(t.names, rel...)
	return true
}

func (t *folderTable) name(e *tableEnt) []byte { return t.names[e.off : e.off+e.n] }

func (t *folderTable) len() int { return len(t.ents) }

// sort orders the table by path, for get.
func (t *folderTable) sort() {
	slices.SortStableFunc(t.ents, func(a, b tableEnt) int { return bytes.Compare(t.name(&a), t.name(&b)) })
}

// get returns the span of folder rel in a sorted table. Of two records
// of one path (no cache this code writes has them) it returns the last.
func (t *folderTable) get(rel string) (span, bool) {
	key := []byte(rel) // once, not at each comparison
	i, found := slices.BinarySearchFunc(t.ents, key, func(e tableEnt, key []byte) int {
		return bytes.Compare(t.name(&e), key)
	})
	if !found {
		return span{}, false
	}
	for i+1 < len(t.ents) && string(t.name(&t.ents[i+1])) == rel {
		i++
	}
	return t.ents[i].sp, true
}
