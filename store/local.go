package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/lifeboat-backup/lifeboat/internal/directio"
)

// Local is a store in a directory of the local file system. Objects are
// written to tmp/, fsynced, renamed into place, and the directory fsynced.
type Local struct {
	root string
}

var (
	_ Store    = (*Local)(nil)
	_ NewSaver = (*Local)(nil)
)

// tmpDir holds objects being written. It is not part of the namespace.
const tmpDir = "tmp"

// NewLocal returns a store rooted at dir. Writing needs the directory to
// exist: MakeRoot creates it, which only init does.
func NewLocal(dir string) *Local { return &Local{root: filepath.Clean(dir)} }

// MakeRoot creates the store's directory.
func (l *Local) MakeRoot() error { return os.MkdirAll(l.root, 0o700) }

// Location returns the directory.
func (l *Local) Location() string { return l.root }

// path is name's place in the file system, once no folder on the way
// there below the root is a symlink.
func (l *Local) path(name string) (string, error) {
	if err := CheckName(name); err != nil {
		return "", fmt.Errorf("%q: %w", name, err)
	}
	if err := l.noLinks(path.Dir(name)); err != nil {
		return "", err
	}
	return filepath.Join(l.root, filepath.FromSlash(name)), nil
}

// ErrSymlink is a folder inside a local repository that is a symlink: a
// local store never follows one, so no object is read from or written to
// outside the repository (a snapshots/ replaced by a link elsewhere). The
// repository's own folder may be a symlink.
var ErrSymlink = errors.New("is a symlink inside the repository; lifeboat never follows one there")

// noLinks fails with ErrSymlink when dir (a slash path below the root, or
// ".") or a folder above it below the root is a symlink.
func (l *Local) noLinks(dir string) error {
	if dir == "." || dir == "" {
		return nil
	}
	p := l.root
	for _, c := range strings.Split(dir, "/") {
		p = filepath.Join(p, c)
		fi, err := os.Lstat(p)
		if err != nil {
			return nil // missing: made by mkdirs, or not found later
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s %w", p, ErrSymlink)
		}
	}
	return nil
}

// Create starts a new object in tmp/.
func (l *Local) Create(ctx context.Context) (Writer, error) {
	return l.create(ctx, directWrite)
}

// create makes a writer whose writes past the page cache are of at most
// size bytes (rounded up to a block): an object known to be small does
// not hold a buffer of directWrite bytes, which the writers' pool keeps
// for the rest of the run (a lock file's 1 MiB was a fifth of an
// unchanged re-run's live heap).
func (l *Local) create(ctx context.Context, size int) (*localWriter, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dir := filepath.Join(l.root, tmpDir)
	if err := l.noLinks(tmpDir); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "obj-")
	if errors.Is(err, fs.ErrNotExist) {
		// Only tmp/ is made here, never the root: a repository on a disk
		// that was unplugged must not be recreated on the mount point.
		if err = os.Mkdir(dir, 0o700); err == nil || errors.Is(err, fs.ErrExist) {
			f, err = os.CreateTemp(dir, "obj-")
		}
	}
	if err != nil {
		return nil, err
	}
	return &localWriter{l: l, f: f, w: directio.NewWriter(f, size)}, nil
}

// directWrite is the size of each write of an object past the page
// cache: 1 MiB, the fastest size under 4 MiB on the benchmark VM's disk,
// held once per pack being written.
const directWrite = 1 << 20

// localWriter writes past the page cache where it can (directio): a
// backup's packs are not read back soon, and each is fsynced anyway.
type localWriter struct {
	l    *Local
	f    *os.File
	w    *directio.Writer
	done bool
}

func (w *localWriter) Write(p []byte) (int, error) { return w.w.Write(p) }

// AvailableBuffer lets an encrypting writer seal straight into the
// aligned buffer (directio.Writer.AvailableBuffer).
func (w *localWriter) AvailableBuffer() []byte { return w.w.AvailableBuffer() }

func (w *localWriter) Commit(name string) error { return w.commit(name, false) }

// commit makes the object durable and gives it its name: renamed over
// whatever has the name, or with excl linked under it, which fails with
// ErrTaken when the name exists.
func (w *localWriter) commit(name string, excl bool) error {
	dst, err := w.l.path(name)
	if err != nil {
		return err
	}
	if err := w.w.Flush(); err != nil {
		return err
	}
	if err := w.f.Sync(); err != nil {
		return err
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	dir := filepath.Dir(dst)
	if err := w.l.mkdirs(dir); err != nil {
		return err
	}
	if excl {
		if err := renameNew(w.f.Name(), dst); errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s: %w", name, ErrTaken)
		} else if err != nil {
			return err
		}
	} else if err := os.Rename(w.f.Name(), dst); err != nil {
		return err
	}
	w.done = true
	return syncDir(dir)
}

// SaveNew stores data under name unless the name is taken (ErrTaken).
func (l *Local) SaveNew(ctx context.Context, name string, data []byte) error {
	return l.save(ctx, name, data, true)
}

// Put stores data under name (store.Save), through a writer sized to it.
func (l *Local) Put(ctx context.Context, name string, data []byte) error {
	return l.save(ctx, name, data, false)
}

func (l *Local) save(ctx context.Context, name string, data []byte, excl bool) error {
	w, err := l.create(ctx, min(len(data), directWrite))
	if err != nil {
		return err
	}
	defer w.Abort()
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.commit(name, excl)
}

// mkdirs creates dir and any missing parents below the root, fsyncing the
// parent of each folder it creates, so a crash cannot lose a folder that
// holds a committed object.
func (l *Local) mkdirs(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	var missing []string
	for d := dir; d != l.root && d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, d := range missing {
		if err := syncDir(filepath.Dir(d)); err != nil {
			return err
		}
	}
	return nil
}

func (w *localWriter) Abort() {
	if !w.done {
		w.w.Release()
		w.f.Close() // may be closed already by a failed commit
		os.Remove(w.f.Name())
		w.done = true
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

type localObject struct {
	*os.File
	size int64
}

func (o localObject) Size() int64 { return o.size }

// Open opens an object for range reads.
func (l *Local) Open(ctx context.Context, name string) (Object, error) {
	p, err := l.path(name)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p, os.O_RDONLY|oNoFollow, 0)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s %w", p, ErrSymlink)
	}
	if err != nil {
		return nil, notFound(name, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	return localObject{f, fi.Size()}, nil
}

// Load reads a whole object.
func (l *Local) Load(ctx context.Context, name string) ([]byte, error) {
	o, err := l.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer o.Close()
	b := make([]byte, o.Size())
	if _, err := o.ReadAt(b, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b, nil
}

// Stat returns an object's size.
func (l *Local) Stat(ctx context.Context, name string) (int64, error) {
	p, err := l.path(name)
	if err != nil {
		return 0, err
	}
	fi, err := os.Lstat(p)
	if err != nil {
		return 0, notFound(name, err)
	}
	if !fi.Mode().IsRegular() {
		return 0, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	return fi.Size(), nil
}

// Remove deletes an object.
func (l *Local) Remove(ctx context.Context, name string) error {
	p, err := l.path(name)
	if err != nil {
		return err
	}
	fi, err := os.Lstat(p)
	if err != nil {
		return notFound(name, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	return notFound(name, os.Remove(p))
}

// List walks dir; a missing dir lists nothing.
func (l *Local) List(ctx context.Context, dir string, fn func(string, int64) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := l.path(dir)
	if err != nil {
		return err
	}
	if err := l.noLinks(dir); err != nil {
		return err
	}
	err = filepath.WalkDir(p, func(fp string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				if fp == p {
					return fs.SkipAll
				}
				return nil // removed while listing
			}
			return err
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed while listing
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(l.root, fp)
		return fn(path.Clean(filepath.ToSlash(rel)), fi.Size())
	})
	return err
}

func notFound(name string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	return err
}
