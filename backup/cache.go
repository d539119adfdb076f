package backup

import (
	"encoding/gob"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/zeebo/blake3"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// fileCache remembers, per source, each file's metadata and the node the
// last backup made of it, so that an unchanged file is not read again.
// Losing it costs time, never correctness: an entry is used only when the
// file's size, mtime, ctime and inode match and every blob it names is
// still in the repository's index.
type fileCache struct {
	path string
	old  map[string]cacheEntry
	mu   sync.Mutex
	new  map[string]cacheEntry
}

type cacheEntry struct {
	Size, MTime, CTime int64
	Ino                uint64
	Node               []byte // format.EncodeNode
	IDs                []format.ID
}

// cacheVersion changes whenever cacheEntry or the node encoding does.
const cacheVersion = "v1"

func openCache(dir, repoID, src string, disabled bool) *fileCache {
	if dir == "" {
		dir = repo.CacheDir()
	}
	sum := blake3.Sum256([]byte(src))
	c := &fileCache{
		path: filepath.Join(dir, repoID, "files-"+cacheVersion, format.ID(sum).String()[:32]),
		old:  map[string]cacheEntry{}, new: map[string]cacheEntry{},
	}
	if !disabled {
		c.load()
	}
	return c
}

func (c *fileCache) load() {
	f, err := os.Open(c.path)
	if err != nil {
		return
	}
	defer f.Close()
	var m map[string]cacheEntry
	if gob.NewDecoder(f).Decode(&m) == nil {
		c.old = m
	}
}

func statKey(fi fs.FileInfo) (ctime int64, ino uint64) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ctim.Nano(), st.Ino
	}
	return 0, 0
}

// lookup returns the cached result for an unchanged file.
func (c *fileCache) lookup(rel string, fi fs.FileInfo, ix *repo.Index) (fileResult, bool) {
	e, ok := c.old[rel]
	if !ok {
		return fileResult{}, false
	}
	ctime, ino := statKey(fi)
	if e.Size != fi.Size() || e.MTime != fi.ModTime().UnixNano() || e.CTime != ctime || e.Ino != ino {
		return fileResult{}, false
	}
	for _, id := range e.IDs {
		if !ix.Has(id) {
			return fileResult{}, false
		}
	}
	n, err := format.DecodeNode(e.Node)
	if err != nil {
		return fileResult{}, false
	}
	n.Name, n.Mode = fi.Name(), uint32(fi.Mode().Perm())
	return fileResult{node: n, ids: e.IDs}, true
}

// keep records a file for the next run.
func (c *fileCache) keep(rel string, fi fs.FileInfo, res fileResult) {
	ctime, ino := statKey(fi)
	e := cacheEntry{Size: fi.Size(), MTime: fi.ModTime().UnixNano(), CTime: ctime, Ino: ino,
		Node: format.EncodeNode(&res.node), IDs: res.ids}
	c.mu.Lock()
	c.new[rel] = e
	c.mu.Unlock()
}

// save writes the cache atomically, readable by the user only.
func (c *fileCache) save() error {
	if err := os.MkdirAll(filepath.Dir(c.path), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(c.path), ".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	c.mu.Lock()
	err = gob.NewEncoder(f).Encode(c.new)
	c.mu.Unlock()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), c.path)
}
