// Package backup walks one source tree (source.Tree) and writes one
// snapshot of it: files cut into deduplicated blobs, vCard and iCalendar
// files at record boundaries, a file cache deciding what is read again.
package backup

import (
	"context"
	"errors"
	"fmt"
	"github.com/lifeboat-backup/lifeboat/source"
	"io/fs"
	"os"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/lifeboat-backup/lifeboat/chunker"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// Options configure one backup.
type Options struct {
	// Tree is the source to back up, opened (source.Source.Open).
	Tree source.Tree
	// Source, when Tree is nil, is a folder or single file on disk to back
	// up: a shorthand for the folder source.
	Source string
	// SourceName is recorded as the snapshot's source and finds the
	// previous snapshot; with Source it defaults to Source's absolute path.
	SourceName string
	// Host names this machine in the snapshot; empty means os.Hostname.
	Host string
	// Tags are stored in the snapshot.
	Tags []string
	// CacheDir holds the file metadata cache; empty means repo.CacheDir().
	CacheDir string
	// NoCache reads every file again.
	NoCache bool
	// Workers is the number of files processed at once; 0 means one per
	// CPU plus one, so that I/O overlaps hashing.
	Workers int
	// Now is the snapshot time; zero means time.Now.
	Now time.Time
	// Threshold is the mass-deletion alarm's; nil means DefaultThreshold.
	Threshold *Threshold
	// AcceptEmpty is the user's word that a source with no files is
	// meant to be empty: without it, a source that had files and has none
	// alarms, and so does every later backup of it while it stays empty.
	AcceptEmpty bool
	// BeforeCommit, when set, is called right before the index and the
	// snapshot are written; an error aborts the backup uncommitted. The
	// CLI checks its repository lock there.
	BeforeCommit func(context.Context) error
	// Progress, if set, is told about every file done and, from a quick
	// count alongside the backup, the source's total.
	Progress Progress
}

// Result is what a committed backup made.
type Result struct {
	ID       format.ID
	Snapshot *format.Snapshot
	// Errors are items that could not be read: they are missing from the
	// snapshot, and everything else was committed.
	Errors []ItemError
	// Changed are files that kept changing while they were read
	// (ErrChanged): they are stored as read last, which may mix old and
	// new bytes.
	Changed []ItemError
	// Warnings name files with records that were stored as they are but
	// could not be fully read (hostile or broken input is never skipped).
	Warnings []ItemError
	// Alarm is set when the source lost many records since its previous
	// snapshot (the snapshot is committed all the same).
	Alarm *format.Alarm
	// Vanished names the collections Alarm.Vanished lists, by path where
	// this machine knows it (see collectionNames).
	Vanished []string
	// Shrunk words Alarm.Shrunk with the files' paths (Kind), as this
	// backup read them.
	Shrunk []format.Drop
	// Rollback is set when the repository lost snapshots this machine saw
	// (repo.ErrRollback); the backup was committed all the same.
	Rollback error
	// Catalog is set when the catalog listing the new snapshot could not
	// be written (the snapshot is committed; the next backup lists it).
	Catalog error
}

// ItemError is one source item that could not be backed up.
type ItemError struct {
	Path string
	Err  error
}

func (e ItemError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }

// ErrSource is returned when the source itself cannot be read.
var ErrSource = source.ErrSource

// sourceError is ErrSource for the source name, with why (the cause
// without the path, which name already gives).
func sourceError(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: %w: %w", name, ErrSource, err)
}

// Run backs up opts.Source into r and commits one snapshot. It commits
// nothing if ctx is cancelled or any write to the repository fails.
func Run(ctx context.Context, r *repo.Repository, opts Options) (*Result, error) {
	tree, name := opts.Tree, opts.SourceName
	if tree == nil {
		src, err := source.Parse(opts.Source, source.Options{})
		if err != nil {
			return nil, err
		}
		t, release, err := src.Open(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		tree = t
		if name == "" {
			name = src.Name()
		}
	}
	if name == "" {
		return nil, errors.New("backup: a source tree needs a name")
	}
	fi, err := tree.Lstat(".")
	if err != nil {
		return nil, sourceError(name, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: %w: its root is not a folder", name, ErrSource)
	}
	b := newBackuper(ctx, r, opts, tree, name)
	defer b.cancel()
	defer b.cache.discard()
	stopCount := startCount(b.ctx, tree, opts.Progress)
	root, err := b.run(fi)
	if err != nil {
		stopCount(nil)
		return nil, err
	}
	if rep, ok := tree.(source.Reporter); ok {
		rep.EntryErrors(b.itemError)
	}
	b.mu.Lock()
	walked := [2]int64{int64(b.stats.Files), int64(b.stats.Bytes)}
	b.mu.Unlock()
	stopCount(&walked)
	snap := b.snapshot(root, opts)
	prev, rollback, err := previous(ctx, r, snap.Host, snap.Source)
	if err != nil {
		return nil, err
	}
	if prev != nil {
		snap.Parent = &prev.ID
	}
	t := DefaultThreshold
	if opts.Threshold != nil {
		t = *opts.Threshold
	}
	snap.Alarm = alarm(prev, b.comparable(prev, snap), t, r.Keys().PathKey, b.recordFiles(), opts.AcceptEmpty)
	names := openCollectionNames(opts.CacheDir, r.ID(), snap.Source)
	if opts.BeforeCommit != nil {
		if err := opts.BeforeCommit(ctx); err != nil {
			return nil, err
		}
	}
	id, err := b.sess.Commit(ctx, snap)
	if err != nil {
		return nil, err
	}
	if !opts.NoCache {
		// The cache only saves time: failing to write it is not an error.
		_ = b.cache.save(r.Index().Files())
	}
	vanished := names.vanished(snap.Alarm, prev, r.Keys().PathKey)
	// The names only make the alarm's words: failing to keep them is not
	// an error.
	_ = names.save(b.colls, r.Keys().PathKey)
	return &Result{ID: id, Snapshot: snap, Errors: b.itemErrors(), Changed: b.changes, Warnings: b.warns, Alarm: snap.Alarm,
		Vanished: vanished, Shrunk: shrunkFiles(snap.Alarm, b.recordFiles(), r.Keys().PathKey), Rollback: rollback, Catalog: r.CatalogError()}, nil
}

// backuper is the state of one backup run.
type backuper struct {
	ctx    context.Context
	cancel context.CancelFunc
	r      *repo.Repository
	tree   source.Tree
	name   string // the source's name, as snapshots record it
	sess   *repo.Session
	table  *chunker.Table
	params chunker.Params
	cache  *fileCache
	// cacheIndex is where the cache's entries are looked up, nil when
	// they are known to be indexed (fileCache.indexed).
	cacheIndex *repo.Index
	jobs       chan *fileJob
	// walkers holds the packers of the walks that may run beside the
	// walker's own, one per walk (see subdirs).
	walkers chan *repo.Packer
	linkMu  sync.Mutex // guards links and linkTaken
	// progress is Options.Progress, or nil.
	progress Progress
	// links numbers the inodes of files with several hard links, and
	// linkTaken the numbers given (linkID).
	links     map[inode]uint64
	linkTaken map[uint64]bool

	mu         sync.Mutex
	errs       []ItemError
	changes    []ItemError
	warns      []ItemError
	stats      format.SnapshotStats
	seen       map[ident]bool  // records counted (see people.go)
	records    format.Counts   // records as counted before People (see comparable)
	media      map[string]bool // media contents counted (see countMedia)
	mediaFiles uint64          // media files, as counted before DistinctMedia
	colls      collections
	files      map[string]uint32 // records per vCard/iCalendar file read
	first      error             // the first repository error; it aborts the run
	start      time.Time
	nWorkers   int
}

func newBackuper(ctx context.Context, r *repo.Repository, opts Options, tree source.Tree, name string) *backuper {
	ctx, cancel := context.WithCancel(ctx)
	c := r.Config().Chunker
	b := &backuper{ctx: ctx, cancel: cancel, r: r, tree: tree, name: name, sess: r.NewSession(), colls: collections{}, files: map[string]uint32{}, start: time.Now(), nWorkers: opts.Workers,
		links: map[inode]uint64{}, linkTaken: map[uint64]bool{},
		progress: opts.Progress,
		table:    chunker.NewTable(r.Keys().Chunker[:]),
		params:   chunker.Params{Min: c.Min, Avg: c.Avg, Max: c.Max},
	}
	b.cache = openCache(opts.CacheDir, r.ID(), name, opts.NoCache)
	if b.cacheIndex = r.Index(); b.cache.indexed(r.Index()) {
		b.cacheIndex = nil
	}
	return b
}

// run walks the source with a pool of file workers and returns the root.
func (b *backuper) run(fi fs.FileInfo) (format.Node, error) {
	n := b.workers()
	b.jobs = make(chan *fileJob, 4*n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.worker()
		}()
	}
	tp := b.sess.NewPacker(b.ctx)
	b.walkers = make(chan *repo.Packer, extraWalkers())
	var packers []*repo.Packer
	for range cap(b.walkers) {
		p := b.sess.NewPacker(b.ctx)
		packers = append(packers, p)
		b.walkers <- p
	}
	root, err := b.dir(tp, "", fi)
	close(b.jobs)
	wg.Wait()
	for _, p := range append(packers, tp) {
		if err == nil {
			err = p.Flush()
		}
		p.Abort()
	}
	if first := b.firstErr(); first != nil {
		// The walk saw only the cancel that the failure caused: the run
		// ends with the failure itself (a full disk is not an interrupt).
		err = first
	}
	if err == nil {
		err = b.ctx.Err()
	}
	return root, err
}

// extraWalkers is how many folders may be walked beside the walker's
// own: an unchanged file costs a stat and a cache lookup, so a re-run of
// many small files is bound by one core unless folders are listed in
// parallel.
func extraWalkers() int {
	return min(max(runtime.GOMAXPROCS(0)-1, 1), 7)
}

func (b *backuper) workers() int {
	if b.nWorkers > 0 {
		return b.nWorkers
	}
	return runtime.GOMAXPROCS(0) + 1
}

func (b *backuper) fail(err error) {
	b.mu.Lock()
	if b.first == nil {
		b.first = err
	}
	b.mu.Unlock()
	b.cancel()
}

func (b *backuper) firstErr() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.first
}

func (b *backuper) itemError(rel string, err error) {
	b.mu.Lock()
	b.errs = append(b.errs, ItemError{Path: rel, Err: err})
	b.stats.Errors++
	b.mu.Unlock()
}

// changed notes a file stored as it was read while it changed.
func (b *backuper) changed(rel string, err error) {
	b.mu.Lock()
	b.changes = append(b.changes, ItemError{Path: rel, Err: err})
	b.mu.Unlock()
}

// note notes a file stored without something: it is named, as for
// malformed records.
func (b *backuper) note(rel string, err error) {
	b.mu.Lock()
	b.warns = append(b.warns, ItemError{Path: rel, Err: err})
	b.mu.Unlock()
}

// warning notes a file with malformed records.
func (b *backuper) warning(rel string, n int) {
	b.mu.Lock()
	b.warns = append(b.warns, ItemError{Path: rel, Err: fmt.Errorf("%d record(s) could not be fully read; stored as they are", n)})
	b.stats.Malformed += uint64(n)
	b.mu.Unlock()
}

func (b *backuper) recordFiles() map[string]uint32 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.files
}

// itemErrors returns the items that failed, by path: folders are walked
// and files read in parallel, so the order they came in says nothing.
func (b *backuper) itemErrors() []ItemError {
	b.mu.Lock()
	defer b.mu.Unlock()
	errs := append([]ItemError(nil), b.errs...)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Path < errs[j].Path })
	return errs
}

func (b *backuper) snapshot(root format.Node, opts Options) *format.Snapshot {
	host := opts.Host
	if host == "" {
		host, _ = os.Hostname()
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	b.mu.Lock()
	stats := b.stats
	colls := b.colls
	b.mu.Unlock()
	stats.People, stats.DistinctMedia = true, true
	return &format.Snapshot{Time: now.UTC().Round(time.Millisecond), Host: host, Source: b.name,
		Tags: opts.Tags, Root: root, Stats: stats, Collections: colls.list(b.r.Keys().PathKey)}
}
