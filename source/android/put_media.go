package android

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/lifeboat-backup/lifeboat/source/android/adb"
	"github.com/lifeboat-backup/lifeboat/source/android/content"
)

// scanBatch is how many files one shell command tells the media scanner of.
const scanBatch = 32

// mediaMode is what a pushed file's mode is (adb push gives 0644 too;
// the sdcard file system decides in the end).
const mediaMode fs.FileMode = 0o644

// putFiles pushes the files whose path the phone does not have, with their
// mtimes, and tells the media scanner of each so that the gallery shows
// them. A path the phone has is left alone: counted Present when its size
// is the same, Differ otherwise.
func putFiles(ctx context.Context, d *adb.Device, opts PutOptions, files []File, res *PutResult, pr *progress) error {
	s, err := d.Sync(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if s != nil {
			s.Close()
		}
	}()
	dirs := map[string]map[string]adb.Entry{} // folder → its listing
	dirErr := map[string]error{}              // folder → why it cannot be listed
	var pushed []string
	for _, f := range files {
		pr.step()
		if !safePath(f.Path) {
			res.Failed = append(res.Failed, fmt.Sprintf("%s: not a path under /sdcard", f.Path))
			continue
		}
		dir := path.Dir(f.Path)
		list, ok := dirs[dir]
		if !ok && dirErr[dir] == nil {
			if list, err = listing(s, storage+"/"+dir); err != nil {
				// A folder that is a file on the phone, a path adbd
				// refuses: this folder's files fail, not the others'.
				if fatal(ctx, err) {
					return err
				}
				dirErr[dir] = err
				if s, err = renew(ctx, d, s); err != nil {
					return err
				}
			} else {
				dirs[dir] = list
			}
		}
		if err := dirErr[dir]; err != nil {
			res.Failed = append(res.Failed, fmt.Sprintf("%s: %v", f.Path, err))
			continue
		}
		if e, ok := list[path.Base(f.Path)]; ok {
			if e.Mode.IsRegular() && e.Size == f.Size {
				res.Files.Present++
			} else {
				res.Files.Differ++
			}
			continue
		}
		res.Files.Added++
		if opts.DryRun {
			continue
		}
		if err := push(ctx, s, f); err != nil {
			if fatal(ctx, err) {
				return err
			}
			res.Files.Added--
			res.Failed = append(res.Failed, fmt.Sprintf("%s: %v", f.Path, err))
			// A failed SEND ends the sync session: start another.
			if s, err = renew(ctx, d, s); err != nil {
				return err
			}
			continue
		}
		e, err := s.Stat(storage + "/" + f.Path)
		if err != nil || e.Size != f.Size {
			res.Files.Added--
			res.Failed = append(res.Failed, fmt.Sprintf("%s: the phone did not keep the file as sent (%v)", f.Path, err))
			continue
		}
		list[path.Base(f.Path)] = e
		pushed = append(pushed, f.Path)
	}
	return scan(ctx, d, pushed)
}

// renew closes s and opens another sync connection; nil when it cannot.
func renew(ctx context.Context, d *adb.Device, s *adb.Sync) (*adb.Sync, error) {
	s.Close()
	return d.Sync(ctx)
}

// listing lists a folder by name; a folder the phone does not have is
// empty (SEND makes it).
func listing(s *adb.Sync, dir string) (map[string]adb.Entry, error) {
	list, err := s.List(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]adb.Entry{}, nil
	}
	if err != nil {
		return nil, err
	}
	m := make(map[string]adb.Entry, len(list))
	for _, e := range list {
		m[e.Name] = e
	}
	return m, nil
}

// push sends one file, streamed from the repository. It returns once the
// goroutine writing the file's bytes has ended too.
func push(ctx context.Context, s *adb.Sync, f File) error {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		pw.CloseWithError(f.Write(ctx, pw))
	}()
	err := s.Send(storage+"/"+f.Path, mediaMode, f.MTime, pr)
	pr.CloseWithError(errors.New("push ended"))
	<-done
	return err
}

// scan tells the media scanner of the pushed files, a batch per shell
// command: am broadcast of MEDIA_SCANNER_SCAN_FILE, which Android still
// honours for files under /sdcard (deprecated since API 29, unverified on
// Android 14).
func scan(ctx context.Context, d shell, files []string) error {
	for len(files) > 0 {
		n := min(len(files), scanBatch)
		var cmds []string
		for _, f := range files[:n] {
			u := (&url.URL{Scheme: "file", Path: storage + "/" + f}).String()
			cmds = append(cmds, "am broadcast -a android.intent.action.MEDIA_SCANNER_SCAN_FILE -d "+content.ShellQuote(u))
		}
		if _, err := d.Shell(ctx, strings.Join(cmds, "; ")); err != nil {
			return err
		}
		files = files[n:]
	}
	return nil
}

// safePath is a relative slash path with no empty, . or .. segment.
func safePath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if !safeSegment(seg) {
			return false
		}
	}
	return true
}
