package restore

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/directio"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// file restores one file into its folder dir: write under a temporary
// name, verify, set mode and time, make durable, rename. Every step names
// the file relative to dir, or goes through the open file itself.
func (w *writer) file(dir *folder, rel string, n format.Node) {
	if err := checkName(n.Name); err != nil {
		w.fail(rel, err)
		return
	}
	tmp := tempName()
	written, err := w.writeTemp(dir, tmp, rel, n)
	if err == nil && uint64(written) != n.Size {
		// The content list decides what is written; a node whose size
		// disagrees with it is forged or damaged.
		err = fmt.Errorf("the snapshot says %d bytes, its content holds %d: %w", n.Size, written, repo.ErrDamaged)
	}
	if err == nil {
		err = w.place(dir, tmp, rel, n)
	}
	if err != nil {
		dir.root.Remove(tmp)
		w.fail(rel, err)
		return
	}
	w.mu.Lock()
	w.res.Files++
	w.res.Bytes += written
	w.mu.Unlock()
	if w.opts.Progress != nil {
		w.opts.Progress(written)
	}
}

func (w *writer) writeTemp(dir *folder, tmp, rel string, n format.Node) (int64, error) {
	f, err := dir.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	cw := &countingWriter{w: f, f: f}
	var sw *sparseWriter
	var dw *directio.Writer
	switch {
	case n.Sparse:
		sw = &sparseWriter{f: f}
		cw.w = sw
	case n.Size >= directMin:
		dw = directio.NewWriter(f, directWrite)
		defer dw.Release()
		cw.w, cw.f = dw, nil // written past the page cache: no writeback to start
	}
	err = w.r.WriteFile(w.ctx, cw, n)
	if err == nil && sw != nil {
		err = sw.close()
	}
	if err == nil && dw != nil {
		err = dw.Flush()
	}
	if err == nil && len(n.XAttrs) > 0 && !w.opts.NoXAttrs {
		err = setXAttrs(f, n.XAttrs, rel, &w.refused)
	}
	if err == nil && fdTimes {
		// On the open file: no name is looked up again.
		err = w.fileAttrs(f, rel, n)
	}
	if err == nil {
		// Durable before it takes its name: after a crash a restored
		// file is either whole or absent, never empty under its name.
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return cw.n, err
}

// fileAttrs gives an open file its mode and times.
func (w *writer) fileAttrs(f *os.File, rel string, n format.Node) error {
	if err := f.Chmod(fs.FileMode(n.Mode) & fs.ModePerm); err != nil {
		return err
	}
	if err := setFileTime(f, n.MTime); errors.Is(err, ErrNotKept) {
		w.warn(rel, err)
	} else if err != nil {
		return err
	}
	return nil
}

// directMin is the size from which a restored file is written past the
// page cache (directio): a photo or video restored after a phone reset
// is not read back soon, and it is fsynced before it takes its name, so
// the copy into the page cache was system time spent for nothing.
// Smaller files (contacts, calendars) go through the page cache.
const directMin = 128 << 10

// directWrite is the size of each of those writes, a buffer held per
// file being written (16 at once). Restoring 2 GiB of photos on the
// benchmark VM, 8 rounds in rotating order, after the blob buffers were
// reused: 256 KiB took 2.7-4.8 s (median 3.6) and 65-67 MiB, 512 KiB
// 2.4-3.3 s (2.9) and 69-70 MiB, 1 MiB 2.6-3.3 s (2.9) and 76-80 MiB.
// Through the page cache it took 4.8-5.6 s.
const directWrite = 512 << 10

// countingWriter counts what a file is given and, once it has been given
// plenty, has the system start writing it to disk (startWriteback), so
// that the fsync at its end waits for less.
type countingWriter struct {
	w       io.Writer
	f       *os.File // nil: no writeback to start
	n       int64
	flushed int64 // bytes handed to startWriteback
}

// maxWrite is the most one write(2) of a restored file is given. A blob
// can be several MiB; on this project's machines (Linux 6.18, ext4) writes
// of 256 KiB and more into memory the kernel has just freed cost far more
// system time in large-folio copies. Restoring 2 GiB of photos took 3.3-6.6
// s of system time in blob-sized writes and 1.9-4.4 s in 128 KiB ones (7
// interleaved pairs, every one faster), 2.2-2.6 s in 32 KiB ones. See
// docs/BENCHMARKS.md. (Files from directMin up now skip the page cache
// where they can; this holds for the others.)
const maxWrite = 128 << 10

func (c *countingWriter) Write(p []byte) (int, error) {
	n := 0
	var err error
	for len(p) > 0 && err == nil {
		k := min(len(p), maxWrite)
		var m int
		m, err = c.w.Write(p[:k])
		n += m
		p = p[k:]
	}
	c.n += int64(n)
	if c.f != nil && c.n-c.flushed >= writebackChunk {
		startWriteback(c.f, c.flushed, c.n-c.flushed)
		c.flushed = c.n
	}
	return n, err
}

// place gives the written file its mode and times where the open file
// could not take them, and its name.
func (w *writer) place(dir *folder, tmp, rel string, n format.Node) error {
	if !fdTimes {
		if err := dir.root.Chmod(tmp, fs.FileMode(n.Mode)&fs.ModePerm); err != nil {
			return err
		}
		if err := setTime(dir.root, tmp, n.MTime); errors.Is(err, ErrNotKept) {
			w.warn(rel, err)
		} else if err != nil {
			return err
		}
	}
	if !w.opts.Overwrite {
		if _, err := dir.root.Lstat(n.Name); err == nil {
			return fmt.Errorf("exists: %w", fs.ErrExist)
		}
	}
	return dir.root.Rename(tmp, n.Name)
}

func randomSuffix() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// included reports whether a file or symlink at rel is to be restored.
func (w *writer) included(rel string) bool { return Included(w.opts.Include, rel) }

// Included reports whether the path rel matches the --include globs: a
// glob matches the path or any folder above it, and a glob without a
// slash matches the base name anywhere. No globs include everything.
// Globs and paths are compared in NFC: a name a Mac wrote in NFD matches
// the same name typed on Linux.
func Included(include []string, rel string) bool {
	if len(include) == 0 {
		return true
	}
	rel = norm.NFC.String(rel)
	for _, pat := range include {
		pat = norm.NFC.String(pat)
		for p := rel; p != "." && p != "/"; p = path.Dir(p) {
			if ok, _ := path.Match(pat, p); ok {
				return true
			}
		}
		if ok, _ := path.Match(pat, path.Base(rel)); ok && !containsSlash(pat) {
			return true
		}
	}
	return false
}

// mayContain reports whether a folder is to be created: with includes,
// only folders on the way to or inside an included path. Folders are
// created when a pattern could match below them.
func (w *writer) mayContain(rel string) bool {
	if len(w.opts.Include) == 0 || w.included(rel) {
		return true
	}
	for _, pat := range w.opts.Include {
		if !containsSlash(pat) {
			return true // a base-name pattern may match anywhere below
		}
		if prefixMatch(pat, rel) {
			return true
		}
	}
	return false
}

// prefixMatch reports whether rel's components match the first components
// of pat.
func prefixMatch(pat, rel string) bool {
	pp, rp := splitPath(norm.NFC.String(pat)), splitPath(norm.NFC.String(rel))
	if len(rp) > len(pp) {
		return false
	}
	for i := range rp {
		if ok, _ := path.Match(pp[i], rp[i]); !ok {
			return false
		}
	}
	return true
}

func splitPath(p string) []string {
	var out []string
	for _, s := range splitSlash(p) {
		if s != "" && s != "." {
			out = append(out, s)
		}
	}
	return out
}

func splitSlash(p string) []string { return strings.Split(p, "/") }
func containsSlash(s string) bool  { return strings.Contains(s, "/") }
