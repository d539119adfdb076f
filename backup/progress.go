package backup

import (
	"context"
	"io/fs"
	"sync"

	"github.com/lifeboat-backup/lifeboat/source"
)

// Progress is told how a backup advances, for a progress bar or a list of
// changed files. Its methods are called from the walker and from several
// workers at once: they must be safe for concurrent use and cheap (no
// blocking I/O). None is called after Run returns.
type Progress interface {
	// Total gives the regular files of the source and their bytes, from a
	// quick count made alongside the backup. It is called once, possibly
	// after some files are done; when the walk ends before the count, it is
	// called then with what the walk found, and never for a run that fails.
	Total(files, bytes int64)
	// File reports one regular file done.
	File(FileEvent)
}

// FileEvent is one regular file of the source, done.
type FileEvent struct {
	// Path is the file's slash-separated path in the source.
	Path string
	// Size is what the snapshot records (Snapshot.Stats.Bytes adds these
	// up); for a file that failed, the size it was listed with.
	Size   int64
	Status FileStatus
}

// FileStatus says what a backup did with a file.
type FileStatus uint8

const (
	// FileUnchanged: the cache vouched for it; it was not read.
	FileUnchanged FileStatus = iota
	// FileChanged: the last backup's cache had it with another size, time
	// or inode; it was read.
	FileChanged
	// FileNew: the cache did not have it (a new file, or no cache); it was
	// read.
	FileNew
	// FileFailed: it could not be read; Result.Errors says why.
	FileFailed
)

func (s FileStatus) String() string {
	switch s {
	case FileUnchanged:
		return "unchanged"
	case FileChanged:
		return "changed"
	case FileNew:
		return "new"
	case FileFailed:
		return "failed"
	}
	return "unknown"
}

// fileDone tells the Progress, if any, about one file.
func (b *backuper) fileDone(job *fileJob, status FileStatus) {
	size := job.fi.Size()
	if status != FileFailed {
		size = int64(job.res.node.Size)
	}
	b.report(job.rel, size, status)
}

// report tells the Progress, if any, about the file rel.
func (b *backuper) report(rel string, size int64, status FileStatus) {
	if b.progress != nil {
		b.progress.File(FileEvent{Path: rel, Size: size, Status: status})
	}
}

// startCount counts the source's regular files and bytes in the
// background, for Progress.Total. The returned function stops the count
// and waits for it, so that nothing calls the Progress after Run; given the
// totals of a walk that ended first, it reports those instead.
func startCount(ctx context.Context, t source.Tree, p Progress) (stop func(walked *[2]int64)) {
	if p == nil {
		return func(*[2]int64) {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var told bool
	wg.Add(1)
	go func() {
		defer wg.Done()
		files, bytes, err := count(ctx, t)
		if err == nil {
			p.Total(files, bytes)
			told = true
		}
	}()
	return func(walked *[2]int64) {
		cancel()
		wg.Wait()
		if !told && walked != nil {
			p.Total(walked[0], walked[1])
		}
	}
}

// count walks src as the backup does (symlinks not followed) and adds up
// its regular files. Entries it cannot read are skipped: the backup
// reports them.
func count(ctx context.Context, t source.Tree) (files, bytes int64, err error) {
	err = fs.WalkDir(treeFS{t}, ".", func(_ string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			files++
			bytes += fi.Size()
		}
		return nil
	})
	return files, bytes, err
}

// treeFS lets fs.WalkDir walk a source tree; only ReadDir is used.
type treeFS struct{ t source.Tree }

func (f treeFS) Open(name string) (fs.File, error) { return f.t.Open(name) }
func (f treeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return f.t.ReadDir(name)
}

func (f treeFS) Stat(name string) (fs.FileInfo, error) { return f.t.Lstat(name) }
