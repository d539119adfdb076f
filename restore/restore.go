// Package restore writes a snapshot's tree back to a folder.
//
// Every write goes through an os.Root opened on the target, or on one of
// its folders (each opened once, through the target's), so no name in a
// snapshot (.., absolute paths, symlinks planted in the target) can make
// restore write outside it. A file is written under a temporary name,
// checked blob by blob against the keyed hashes that name its data, given
// its mode and times, fsynced, and renamed to its final name only when
// complete.
package restore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sync"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/target"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// Options configure a restore.
type Options struct {
	// Target is the folder to restore into; it must be empty or missing
	// unless Overwrite is set.
	Target string
	// Root, when set, is the target already opened (and prepared, see
	// target.PrepareIn): restore writes through it and Target only names
	// it. RootCreated says the folder was made for this restore.
	Root        *os.Root
	RootCreated bool
	// Include limits the restore to paths matching any of these globs
	// (path.Match syntax, matched against the path in the snapshot, any of
	// its parent folders, or, for a pattern without "/", its base name).
	Include []string
	// Overwrite allows a non-empty target and replaces existing files.
	Overwrite bool
	// Workers is the number of files written at once; 0 means
	// DefaultWorkers.
	Workers int
	// NoXAttrs restores without extended attributes, for targets that
	// refuse them.
	NoXAttrs bool
	// Progress, if set, is called with the size of each file restored,
	// from several goroutines at once; it must be cheap. It is not called
	// after Run returns.
	Progress func(size int64)
}

// Result is what a restore wrote.
type Result struct {
	Files, Dirs, Symlinks int
	// Links counts the files restored as hard links to another.
	Links int
	Bytes int64
	// Failed are items not restored; Damaged is set when any failed
	// because repository data is damaged or missing.
	Failed []ItemError
	// Warnings are items restored without something the target cannot
	// hold (ErrNotKept): a time outside its range, extended attributes.
	Warnings []ItemError
}

// ItemError is one item that was not restored.
type ItemError struct {
	Path string
	Err  error
}

func (e ItemError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }

// DefaultWorkers is how many files a restore writes at once. Each file's
// fsync waits for the disk, not the CPU: with many in flight the
// filesystem commits their journal entries together and the CPUs decrypt
// the next files meanwhile (10,000 files of 10 KB, each fsynced: 9 s with
// 3 at once, 4.3 s with 16, on a 2-core machine). A worker holds about
// one blob (1 MiB on average) at a time.
const DefaultWorkers = 16

// ErrNotEmpty is returned for a non-empty target without Overwrite.
var ErrNotEmpty = target.ErrNotEmpty

// Run restores snap into opts.Target. It returns an error wrapping
// repo.ErrDamaged if any file could not be restored because of damage;
// every other file is still restored.
func Run(ctx context.Context, r *repo.Repository, snap *format.Snapshot, opts Options) (*Result, error) {
	// Before anything is written: a forged tree that names the same
	// folders over and over would fill the disk.
	if err := r.CheckTree(ctx, snap.Root.Content); err != nil {
		return nil, err
	}
	root, created := opts.Root, opts.RootCreated
	if root == nil {
		var err error
		if created, err = target.Prepare(opts.Target, opts.Overwrite); err != nil {
			return nil, err
		}
		if root, err = os.OpenRoot(opts.Target); err != nil {
			return nil, err
		}
		defer root.Close()
	}
	w := newWriter(ctx, r, root, opts)
	if created {
		// A folder restore made takes the source folder's mode and time.
		w.dirs = append(w.dirs, dirTimes{".", snap.Root.Mode, snap.Root.MTime, nil})
	}
	walkErr := w.walk(snap.Root, ".")
	w.finish()
	if walkErr != nil {
		return w.res, walkErr
	}
	if err := ctx.Err(); err != nil {
		return w.res, err
	}
	for _, f := range w.res.Failed {
		if errors.Is(f.Err, repo.ErrDamaged) {
			return w.res, fmt.Errorf("%d item(s) not restored: %w", len(w.res.Failed), repo.ErrDamaged)
		}
	}
	if len(w.res.Failed) > 0 {
		return w.res, fmt.Errorf("%d item(s) not restored: %w", len(w.res.Failed), w.res.Failed[0].Err)
	}
	return w.res, nil
}

type dirTimes struct {
	rel    string
	mode   uint32
	mtime  format.Time
	xattrs []format.XAttr
}

// writer is the state of one restore.
type writer struct {
	ctx  context.Context
	r    *repo.Repository
	root *os.Root
	opts Options
	jobs chan fileJob
	wg   sync.WaitGroup

	mu    sync.Mutex
	res   *Result
	dirs  []dirTimes
	links []linkJob
	// firstLink is the path of the first file of each hard-linked inode
	// (format.Node.Link), and hardLinks the files to link to it.
	firstLink map[uint64]string
	hardLinks []hardLink
	refused   xattrRefusals
	// pending are folders on the way to the entry being walked that
	// --include has not needed yet, outermost first.
	pending []dirTimes
}

type fileJob struct {
	rel  string
	node format.Node
	dir  *folder // rel's folder, held for the job
}

type linkJob struct {
	rel, target string
	mtime       format.Time
}

func newWriter(ctx context.Context, r *repo.Repository, root *os.Root, opts Options) *writer {
	n := opts.Workers
	if n <= 0 {
		n = DefaultWorkers
	}
	w := &writer{ctx: ctx, r: r, root: root, opts: opts, jobs: make(chan fileJob, 4*n), res: &Result{},
		firstLink: map[uint64]string{}}
	for range n {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for j := range w.jobs {
				if ctx.Err() == nil {
					w.file(j.dir, j.rel, j.node)
				}
				j.dir.release()
			}
		}()
	}
	return w
}

// warn notes an item restored without something the target cannot hold.
func (w *writer) warn(rel string, err error) {
	w.mu.Lock()
	w.res.Warnings = append(w.res.Warnings, ItemError{Path: rel, Err: err})
	w.mu.Unlock()
}

func (w *writer) fail(rel string, err error) {
	w.mu.Lock()
	w.res.Failed = append(w.res.Failed, ItemError{Path: rel, Err: err})
	w.mu.Unlock()
}

// walk restores a directory's entries; rel is its path in the snapshot.
func (w *writer) walk(dir format.Node, rel string) error {
	nodes, err := w.r.LoadDir(w.ctx, dir.Content)
	if err != nil {
		if rel == "." {
			return err
		}
		w.fail(rel, err)
		return nil
	}
	if w.opts.Overwrite {
		w.sweep(rel)
	}
	// The folder is opened when its first file is to be written: with
	// --include it may be made only then, or never.
	var fo *folder
	defer func() {
		if fo != nil {
			fo.release()
		}
	}()
	for _, n := range nodes {
		if w.ctx.Err() != nil {
			return w.ctx.Err()
		}
		crel := path.Join(rel, n.Name)
		if err := w.entry(n, crel, rel, &fo); err != nil {
			return err
		}
	}
	return nil
}

// entry restores one entry of the folder dir, whose handle *fo the walk
// of dir opens on its first file.
func (w *writer) entry(n format.Node, rel, dir string, fo **folder) error {
	switch n.Type {
	case format.NodeDir:
		if !w.mayContain(rel) {
			return nil
		}
		d := dirTimes{rel, n.Mode, n.MTime, n.XAttrs}
		if !w.included(rel) {
			// With --include, a folder that may hold a match is made
			// only once something inside it is restored.
			w.pending = append(w.pending, d)
			err := w.walk(n, rel)
			if k := len(w.pending); k > 0 && w.pending[k-1].rel == rel {
				w.pending = w.pending[:k-1]
			}
			return err
		}
		if !w.makePending() || !w.makeDir(d) {
			return nil
		}
		return w.walk(n, rel)
	case format.NodeFile:
		if !w.included(rel) || !w.makePending() {
			return nil
		}
		if n.Link != 0 {
			if first, ok := w.firstLink[n.Link]; ok {
				w.hardLinks = append(w.hardLinks, hardLink{rel, first, n})
				return nil
			}
			w.firstLink[n.Link] = rel
		}
		if *fo == nil {
			f, err := w.openFolder(dir)
			if err != nil {
				w.fail(rel, err)
				return nil
			}
			*fo = f
		}
		(*fo).hold()
		w.jobs <- fileJob{rel, n, *fo}
	case format.NodeSymlink:
		if w.included(rel) && w.makePending() {
			w.links = append(w.links, linkJob{rel, n.Target, n.MTime})
		}
	}
	return nil
}

// makePending makes the folders on the way to an entry to be restored
// that --include left unmade, outermost first; false if one fails.
func (w *writer) makePending() bool {
	for len(w.pending) > 0 {
		d := w.pending[0]
		w.pending = w.pending[1:]
		if !w.makeDir(d) {
			w.pending = nil
			return false
		}
	}
	return true
}

// makeDir makes one folder (its mode and time are set at the end), or
// reports it failed.
func (w *writer) makeDir(d dirTimes) bool {
	if err := w.mkdir(d.rel); err != nil {
		w.fail(d.rel, err)
		return false
	}
	w.mu.Lock()
	w.dirs = append(w.dirs, d)
	w.res.Dirs++
	w.mu.Unlock()
	return true
}

func (w *writer) mkdir(rel string) error {
	err := w.root.Mkdir(rel, 0o700)
	if errors.Is(err, fs.ErrExist) && w.opts.Overwrite {
		fi, serr := w.root.Lstat(rel)
		if serr == nil && fi.IsDir() {
			return nil
		}
		if serr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symlink in the target, and restore never writes through one: remove it, or restore into an empty folder", rel)
		}
		if serr == nil {
			return fmt.Errorf("%s is a file in the target where the snapshot has a folder: remove it, or restore into an empty folder", rel)
		}
	}
	return err
}

// finish waits for the files, then makes symlinks and sets folder modes
// and times, deepest first, so writing files does not disturb them.
func (w *writer) finish() {
	close(w.jobs)
	w.wg.Wait()
	w.linkFiles()
	for _, l := range w.links {
		if w.opts.Overwrite {
			w.root.Remove(l.rel)
		}
		if err := w.root.Symlink(l.target, l.rel); err != nil {
			w.fail(l.rel, err)
			continue
		}
		if err := setTime(w.root, l.rel, l.mtime); errors.Is(err, ErrNotKept) {
			w.warn(l.rel, err)
		} // other errors: best effort, a link's own time is cosmetic
		w.res.Symlinks++
	}
	for i := len(w.dirs) - 1; i >= 0; i-- {
		d := w.dirs[i]
		w.dirXAttrs(d) // before the mode, which may forbid writing
		w.root.Chmod(d.rel, fs.FileMode(d.mode)&fs.ModePerm)
		if err := setTime(w.root, d.rel, d.mtime); errors.Is(err, ErrNotKept) {
			w.warn(d.rel, err)
		}
	}
	if r := w.refused.warning(); r != nil {
		w.res.Warnings = append(w.res.Warnings, *r)
	}
}

// dirXAttrs gives a folder its extended attributes.
func (w *writer) dirXAttrs(d dirTimes) {
	if len(d.xattrs) == 0 || w.opts.NoXAttrs {
		return
	}
	f, err := w.root.Open(d.rel)
	if err == nil {
		err = setXAttrs(f, d.xattrs, d.rel, &w.refused)
		f.Close()
	}
	if err != nil {
		w.warn(d.rel, err)
	}
}
