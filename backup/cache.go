package backup

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/zeebo/blake3"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/source"
)

// fileCache remembers, per source, each file's metadata and the node the
// last backup made of it, so that an unchanged file is not read again.
// Losing it costs time, never correctness: an entry is used only when the
// file's size, mtime, ctime and inode match and every blob it names is
// still in the repository's index. The cache names the index files the
// repository had when it was written; while every one of them is still
// there, its blobs are (see repo.Index.HasFiles), and the entries are
// not looked up one by one (a tenth of an unchanged re-run's CPU).
//
// The file holds one record per folder and, at its end, a table of where
// each folder's record is. A backup reads a folder's record when it enters
// the folder and drops it when it leaves, so memory does not grow with
// the number of files; the new cache is written the same way, folder by
// folder, into a temporary file that replaces the old one after commit.
type fileCache struct {
	path string
	old  *os.File
	dirs folderTable // folder → record in old, sorted
	// indexFiles are the repository's index files when old was written
	// (nil if it does not say).
	indexFiles []string

	mu      sync.Mutex // guards the new cache: out, w, buf, outDirs, outSize
	out     *os.File   // the new cache being written, or nil
	w       *bufio.Writer
	buf     []byte
	outDirs folderTable
	outSize int64
}

type span struct{ Off, Len int64 }

// cacheEntry is one file of a folder record.
type cacheEntry struct {
	Name               string
	Size, MTime, CTime int64
	Ino                uint64
	Node               []byte // format.EncodeNode
	IDs                []format.ID
	Recs               []ident   // the identities of its records, for the counts
	Cut                cut       // nameBoundary of Name
	Memo               []recMemo // what its records parsed to (readRecords)
}

// cacheMagic starts a cache file; it changes with the layout.
const cacheMagic = "lifeboat files cache v7\n"

func openCache(dir, repoID, src string, disabled bool) *fileCache {
	if dir == "" {
		dir = repo.CacheDir()
	}
	sum := blake3.Sum256([]byte(src))
	c := &fileCache{path: filepath.Join(dir, repoID, "files-v2", format.ID(sum).String()[:32])}
	if !disabled {
		c.load()
		c.create()
	}
	return c
}

// load opens the old cache and reads its table of folders.
func (c *fileCache) load() {
	f, err := os.Open(c.path)
	if err != nil {
		return
	}
	dirs, files, err := readTable(f)
	if err != nil {
		f.Close()
		return
	}
	c.old, c.dirs, c.indexFiles = f, dirs, files
}

func readTable(f *os.File) (folderTable, []string, error) {
	fi, err := f.Stat()
	if err != nil || fi.Size() < int64(len(cacheMagic))+8 {
		return folderTable{}, nil, errors.New("short cache")
	}
	head := make([]byte, len(cacheMagic))
	tail := make([]byte, 8)
	if _, err := f.ReadAt(head, 0); err != nil || string(head) != cacheMagic {
		return folderTable{}, nil, errors.New("not a cache")
	}
	if _, err := f.ReadAt(tail, fi.Size()-8); err != nil {
		return folderTable{}, nil, err
	}
	off := int64(binary.LittleEndian.Uint64(tail))
	if off < int64(len(cacheMagic)) || off > fi.Size()-8 {
		return folderTable{}, nil, errors.New("bad cache table")
	}
	table := make([]byte, fi.Size()-8-off)
	if _, err := f.ReadAt(table, off); err != nil {
		return folderTable{}, nil, err
	}
	return decodeTable(table)
}

// indexed reports whether every blob the old cache names is known to be
// in ix without looking each one up: the cache names the index files of
// when it was written, and ix still holds all of them.
func (c *fileCache) indexed(ix *repo.Index) bool {
	return len(c.indexFiles) > 0 && ix.HasFiles(c.indexFiles)
}

// folder returns the old entries of one folder.
func (c *fileCache) folder(rel string) *oldFolder {
	sp, ok := c.dirs.get(rel)
	if !ok || c.old == nil {
		return nil
	}
	b := make([]byte, sp.Len)
	if _, err := c.old.ReadAt(b, sp.Off); err != nil {
		return nil
	}
	entries, err := decodeEntries(b)
	if err != nil {
		return nil
	}
	return &oldFolder{entries: entries}
}

// oldFolder is one folder's entries in the old cache, looked up by name.
// They were written in the order of the folder's listing, and a walk asks
// for them in that order again, so a cursor finds each without a map; the
// first name out of step (a file added or gone) builds the map.
type oldFolder struct {
	entries []cacheEntry
	next    int
	byName  map[string]*cacheEntry
}

// get returns the entry of name, or nil. A nil folder has none.
func (f *oldFolder) get(name string) *cacheEntry {
	if f == nil {
		return nil
	}
	if f.byName == nil {
		if f.next < len(f.entries) && f.entries[f.next].Name == name {
			f.next++
			return &f.entries[f.next-1]
		}
		f.byName = make(map[string]*cacheEntry, len(f.entries))
		for i := range f.entries {
			f.byName[f.entries[i].Name] = &f.entries[i]
		}
	}
	return f.byName[name]
}

// lookup returns the cached result for an unchanged file, given its old
// entry (nil when there is none). ix is where the entry's blobs are
// looked up, nil when they are known to be indexed (fileCache.indexed).
func lookup(e *cacheEntry, fi fs.FileInfo, ix *repo.Index) (fileResult, bool) {
	if e == nil {
		return fileResult{}, false
	}
	ctime, ino := statKey(fi)
	if e.Size != fi.Size() || e.MTime != fi.ModTime().UnixNano() || e.CTime != ctime || e.Ino != ino {
		return fileResult{}, false
	}
	if ix != nil {
		for _, id := range e.IDs {
			if !ix.Has(id) {
				return fileResult{}, false
			}
		}
	}
	n, err := format.DecodeNode(e.Node)
	if err != nil {
		return fileResult{}, false
	}
	n.Name, n.Mode = fi.Name(), uint32(fi.Mode().Perm())
	c := e.Cut
	if c != cutNo && c != cutYes {
		c = cutUnknown
	}
	return fileResult{node: n, ids: e.IDs, recs: e.Recs, enc: e.Node, cut: c, memo: e.Memo}, true
}

// racy reports whether a file changed so close to the start of the backup
// that a later change within the same timestamp tick could go unseen (the
// "racy timestamp" problem): such files are not cached, so the next
// backup reads them again. Only coarse timestamps (whole seconds, as on
// FAT, exFAT and many phone mounts) are racy; a nanosecond ctime changes
// with every write.
func racy(fi fs.FileInfo, start time.Time) bool {
	ctime, _ := statKey(fi)
	if fi.ModTime().Nanosecond() != 0 || ctime%int64(time.Second) != 0 {
		return false
	}
	limit := start.Add(-2 * time.Second)
	return !fi.ModTime().Before(limit) || !time.Unix(0, ctime).Before(limit)
}

func newEntry(fi fs.FileInfo, res fileResult) cacheEntry {
	ctime, ino := statKey(fi)
	enc := res.enc
	if enc == nil {
		enc = format.EncodeNode(&res.node)
	}
	return cacheEntry{Name: fi.Name(), Size: fi.Size(), MTime: fi.ModTime().UnixNano(), CTime: ctime, Ino: ino,
		Node: enc, IDs: res.ids, Recs: res.recs, Cut: res.cut, Memo: res.memo}
}

func (c *fileCache) create() {
	if err := os.MkdirAll(filepath.Dir(c.path), 0o700); err != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(c.path), ".tmp-")
	if err != nil {
		return
	}
	if _, err := f.WriteString(cacheMagic); err != nil {
		f.Close()
		os.Remove(f.Name())
		return
	}
	c.out, c.w, c.outDirs, c.outSize = f, bufio.NewWriterSize(f, 256<<10), folderTable{}, int64(len(cacheMagic))
}

// treesEntry is the name of the entry in a folder's record that holds,
// as its IDs, the blobs of the folder's own tree (no file has an empty
// name; a cache reader before it was added finds no file by it). While
// the cache's blobs are known to be stored, a re-run that builds the same
// tree assumes them (repo.Packer.Assume) instead of loading the index.
const treesEntry = ""

// keepFolder appends one folder's entries, and the blobs of its tree, to
// the new cache. The walks of several folders call it at once.
func (c *fileCache) keepFolder(rel string, entries []cacheEntry, trees []format.ID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.out == nil {
		return
	}
	if len(trees) > 0 {
		entries = append(entries, cacheEntry{Name: treesEntry, IDs: trees})
	}
	if len(entries) == 0 {
		return
	}
	c.buf = appendEntries(c.buf[:0], entries)
	if _, err := c.w.Write(c.buf); err != nil {
		c.discard()
		return
	}
	if !c.outDirs.add([]byte(rel), span{c.outSize, int64(len(c.buf))}) {
		c.discard()
		return
	}
	c.outSize += int64(len(c.buf))
}

// save finishes the new cache and puts it in place of the old one.
// indexFiles are the repository's index files once the backup committed:
// every blob the new cache names is listed in one of them.
func (c *fileCache) save(indexFiles []string) error {
	if c.out == nil {
		return nil
	}
	defer c.discard()
	buf := appendTable(nil, &c.outDirs, indexFiles)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(c.outSize))
	if _, err := c.w.Write(buf); err != nil {
		return err
	}
	if err := c.w.Flush(); err != nil {
		return err
	}
	if err := c.out.Close(); err != nil {
		return err
	}
	return os.Rename(c.out.Name(), c.path)
}

// discard drops the new cache and closes the old one.
func (c *fileCache) discard() {
	if c.out != nil {
		c.out.Close()
		os.Remove(c.out.Name())
		c.out = nil
	}
	if c.old != nil {
		c.old.Close()
		c.old = nil
	}
}

// statKey is what tells a file rewritten with its old size and mtime from
// an unchanged one: a disk file's inode change time and number, or the
// version a source gives a file with no date of its own.
func statKey(fi fs.FileInfo) (ctime int64, ino uint64) {
	if v, ok := fi.Sys().(source.Versioned); ok {
		return 0, v.Version()
	}
	return osStatKey(fi)
}
