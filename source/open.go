package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lifeboat-backup/lifeboat/source/android"
	"github.com/lifeboat-backup/lifeboat/source/archive"
	"github.com/lifeboat-backup/lifeboat/source/dav"
	"github.com/lifeboat-backup/lifeboat/source/folder"
	"github.com/lifeboat-backup/lifeboat/source/iphone"
)

// Options are what opening some kinds of source needs. The caller fills
// them once; a source uses only its own.
type Options struct {
	// Password returns a CardDAV/CalDAV account's password; nil or ""
	// sends no credentials. It is called only for such a source.
	Password func() (string, error)
	// StagingRoot holds the local mirrors of CardDAV/CalDAV accounts.
	StagingRoot string
	// Note, if set, tells the user something while a source opens (that
	// another run holds the account and this one waits).
	Note func(msg string)
	// Detail, if set, reports what opening did (-v).
	Detail func(msg string)
	// Media are the folders under a phone's /sdcard to back up; nil
	// means android.DefaultMedia.
	Media []string
	// IOSPassword gives an encrypted iPhone backup's password; it is
	// called only for one.
	IOSPassword func() ([]byte, error)
}

// Parse picks the source an argument names: a CardDAV/CalDAV account
// (carddav+https://..., caldav+...), a phone (android://[SERIAL]), a
// regular file named like an archive (.zip, .tar, .tgz, .tar.gz), an
// iPhone backup's device folder (holding Manifest.db and Manifest.plist),
// or else a folder or single file. Its only I/O is a stat of a name like an
// archive's and of the two manifest files; a malformed account URL is
// dav.ErrURL, a malformed phone address android.ErrURL.
func Parse(arg string, opts Options) (Source, error) {
	if android.IsSource(arg) {
		s, err := android.New(arg, android.Options{Media: opts.Media, Note: opts.Note, Detail: opts.Detail})
		if err != nil {
			return nil, err
		}
		return phoneSource{s}, nil
	}
	if dav.IsSource(arg) {
		acct, err := dav.ParseSource(arg)
		if err != nil {
			return nil, err
		}
		return &davSource{arg: arg, name: acct.Name, opts: opts}, nil
	}
	if archive.IsArchive(arg) {
		if fi, err := os.Stat(arg); err == nil && fi.Mode().IsRegular() {
			return newArchive([]string{arg})
		}
	}
	if iphone.IsSource(arg) {
		s, err := iphone.New(arg, iphone.Options{Password: opts.IOSPassword, Detail: opts.Detail})
		if err != nil {
			return nil, err
		}
		return iphoneSource{s: s, arg: arg}, nil
	}
	abs, err := filepath.Abs(arg)
	if err != nil {
		return nil, err
	}
	return folderSource{arg: arg, path: abs}, nil
}

// Expand gives the arguments with each folder of iPhone backups (Finder's
// MobileSync/Backup, one folder per device and nothing else) replaced by
// its device folders: each device is a source of its own.
func Expand(args []string) []string {
	var out []string
	for _, a := range args {
		if devs := iphone.Devices(a); len(devs) > 0 && !iphone.IsSource(a) {
			out = append(out, devs...)
			continue
		}
		out = append(out, a)
	}
	return out
}

// iphoneSource is one device's iPhone backup folder.
type iphoneSource struct {
	s   *iphone.Source
	arg string
}

func (s iphoneSource) Name() string { return s.s.Name() }

// Open unlocks and reads the backup. A wrong or missing password is
// returned as it is (the caller asks again, or says so: nothing is
// committed); a backup that cannot be read is ErrSource.
func (s iphoneSource) Open(ctx context.Context) (Tree, func(), error) {
	t, release, err := s.s.Open(ctx)
	switch {
	case err == nil:
		return t, release, nil
	case ctx.Err() != nil:
		return nil, nil, ctx.Err()
	case iphone.IsPasswordError(err):
		return nil, nil, fmt.Errorf("%s: %w", s.arg, err)
	}
	return nil, nil, fmt.Errorf("%s: %w: %w", s.arg, ErrSource, err)
}

// ParseParts picks the source of one of archive.Group's groups: an
// argument alone is Parse's; several are the parts of one export (a
// Google Takeout split into -001.zip, -002.zip, ...) read as one tree
// named by their prefix.
func ParseParts(args []string, opts Options) (Source, error) {
	switch len(args) {
	case 0:
		return nil, errors.New("no source given")
	case 1:
		return Parse(args[0], opts)
	}
	return newArchive(args)
}

func newArchive(args []string) (Source, error) {
	s, err := archive.New(archive.Prefix(args), args...)
	if err != nil {
		return nil, err
	}
	return archiveSource{s: s, arg: strings.Join(args, " ")}, nil
}

// archiveSource is an archive, or the parts of one export.
type archiveSource struct {
	s   *archive.Source
	arg string
}

func (a archiveSource) Name() string { return a.s.Name() }

// Open indexes the archives; one that cannot be read is ErrSource.
func (a archiveSource) Open(ctx context.Context) (Tree, func(), error) {
	t, release, err := a.s.Open(ctx)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, nil, fmt.Errorf("%s: %w: %w", a.arg, ErrSource, err)
	}
	return t, release, nil
}

// folderSource is a folder, or a single file, on disk.
type folderSource struct{ arg, path string }

func (s folderSource) Name() string { return s.path }

func (s folderSource) Open(context.Context) (Tree, func(), error) {
	t, err := folder.Open(s.path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, nil, fmt.Errorf("%s: %w: %w", s.arg, ErrSource, err)
	}
	return t, func() {}, nil
}

// davSource is a CardDAV/CalDAV account, pulled into its staging folder
// (which keeps sync tokens and ETags between runs) and read from there.
type davSource struct {
	arg, name string
	opts      Options
}

func (s *davSource) Name() string { return s.name }

// Open syncs the account's staging folder and holds it until release. A
// refused password or URL is dav.ErrAuth or dav.ErrURL; a server that
// fails is ErrSource.
func (s *davSource) Open(ctx context.Context) (Tree, func(), error) {
	var password string
	if s.opts.Password != nil {
		p, err := s.opts.Password()
		if err != nil {
			return nil, nil, err
		}
		password = p
	}
	waiting := func() {
		if s.opts.Note != nil {
			s.opts.Note(fmt.Sprintf("%s: waiting for another run that is backing up this account", s.arg))
		}
	}
	res, err := dav.Sync(ctx, dav.Options{Source: s.arg, Password: password, StagingRoot: s.opts.StagingRoot, Waiting: waiting})
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return nil, nil, ctx.Err()
	case errors.Is(err, dav.ErrAuth), errors.Is(err, dav.ErrURL):
		return nil, nil, fmt.Errorf("%s: %w", s.arg, err)
	default:
		return nil, nil, fmt.Errorf("%s: %w: %w", s.arg, ErrSource, err)
	}
	if s.opts.Detail != nil {
		s.opts.Detail(fmt.Sprintf("%s: %s, %s downloaded, %d removed", res.Name, plural(res.Collections, "collection"), plural(res.Fetched, "resource"), res.Deleted))
	}
	t, err := folder.Open(res.Dir)
	if err != nil {
		res.Release()
		return nil, nil, fmt.Errorf("%s: %w: staging folder: %w", s.arg, ErrSource, err)
	}
	return t, res.Release, nil
}

// Compile-time checks: the folder tree is a Tree, an archive's a Reporter.
var (
	_ XAttrTree = (*folder.Tree)(nil)
	_ Reporter  = (*archive.Tree)(nil)
	_ Tree      = (*archive.Tree)(nil)
	_ Reporter  = (*iphone.Tree)(nil)
	_ Tree      = (*iphone.Tree)(nil)
)

// plural is "1 thing" or "n things".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
