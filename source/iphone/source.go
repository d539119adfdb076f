// Package iphone is an iPhone backup folder (Finder's, iTunes' or
// idevicebackup2's) as a source: the backup itself, kept byte for byte so
// that it can be restored to a phone, and what lifeboat understood of it
// (contacts, calendars, reminders, the camera roll) as records and items
// of their own. An encrypted backup is opened with its password; its
// files are stored once, as their plaintext (see Tree.openRaw).
package iphone

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lifeboat-backup/lifeboat/source/folder"
	"github.com/lifeboat-backup/lifeboat/source/iphone/mbformat"
	"github.com/lifeboat-backup/lifeboat/source/iphone/mobilebackup"
)

// Errors a caller tells apart.
var (
	// ErrPasswordRequired is an encrypted backup with no password given.
	ErrPasswordRequired = mobilebackup.ErrPasswordRequired
	// ErrWrongPassword is a password that does not open the backup.
	ErrWrongPassword = mobilebackup.ErrWrongPassword
)

// Options are what opening a backup needs.
type Options struct {
	// Password gives an encrypted backup's password; it is called only
	// for one. Its bytes are cleared once the key is derived.
	Password func() ([]byte, error)
	// Detail, if set, reports what opening found (-v).
	Detail func(msg string)
}

// Source is one device's backup folder.
type Source struct {
	dir  string
	opts Options
}

// IsSource reports whether dir is one device's backup folder (it holds
// Manifest.db and Manifest.plist).
func IsSource(dir string) bool { return mobilebackup.IsBackup(dir) }

// Devices gives the device folders of dir when dir holds nothing else
// (Finder's MobileSync/Backup folder, one folder per device, dot files
// aside); else nil.
func Devices(dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var found []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		sub := filepath.Join(dir, e.Name())
		if !e.IsDir() || !IsSource(sub) {
			return nil
		}
		found = append(found, sub)
	}
	return found
}

// New is the backup in the device folder dir.
func New(dir string, opts Options) (*Source, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	return &Source{dir: abs, opts: opts}, nil
}

// Name is the device folder's absolute path.
func (s *Source) Name() string { return s.dir }

// Open opens the backup (unlocking an encrypted one), reads its manifest
// and renders what it understands. A wrong or missing password is
// ErrWrongPassword or ErrPasswordRequired; a backup whose manifest cannot
// be read is another error. A database it cannot understand is not an
// error: the tree names it (EntryErrors) and keeps the backup's files.
func (s *Source) Open(ctx context.Context) (*Tree, func(), error) {
	var pwErr error // the password file's own error: not the backup's
	password := s.opts.Password
	if password != nil {
		password = func() ([]byte, error) {
			p, err := s.opts.Password()
			pwErr = err
			return p, err
		}
	}
	b, err := mobilebackup.OpenContext(ctx, s.dir, password)
	if pwErr != nil {
		return nil, nil, passwordError{pwErr}
	}
	if err != nil {
		return nil, nil, err
	}
	disk, err := folder.Open(s.dir)
	if err != nil {
		b.Close()
		return nil, nil, err
	}
	t := newTree()
	t.b, t.disk, t.raw = b, disk, "backup/"+filepath.Base(s.dir)
	t.add("backup", &node{name: "backup", dir: true, mtime: epoch})
	t.nodes["backup"].kids = append(t.nodes["backup"].kids, filepath.Base(s.dir))
	checkStatus(t, s.dir)
	found, err := understand(ctx, t, b)
	if err != nil {
		b.Close()
		return nil, nil, err
	}
	t.done()
	if s.opts.Detail != nil {
		info := b.Info()
		kind := "plain"
		if info.Encrypted {
			kind = "encrypted"
		}
		s.opts.Detail(fmt.Sprintf("iPhone backup of %q (iOS %s, %s): %s", info.Manifest.Lockdown.DeviceName, info.Manifest.Lockdown.ProductVersion, kind, found))
	}
	return t, func() { b.Close() }, nil
}

// IsPasswordError reports whether err is a password that was wrong or
// missing, or that could not be read (Options.Password's own error).
func IsPasswordError(err error) bool {
	return errors.Is(err, ErrWrongPassword) || errors.Is(err, ErrPasswordRequired) || errors.As(err, new(passwordError))
}

// passwordError is Options.Password's error.
type passwordError struct{ err error }

func (e passwordError) Error() string { return "iPhone backup password: " + e.err.Error() }
func (e passwordError) Unwrap() error { return e.err }

// checkStatus notes a backup that Status.plist says was not finished (cut
// short by an unplugged phone): its files are kept all the same, and the
// run warns, so that the user makes a whole one.
func checkStatus(t *Tree, dir string) {
	f, err := os.Open(filepath.Join(dir, "Status.plist"))
	if err != nil {
		return // older backups may have none
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, mbformat.MaxPlist+1))
	if err != nil {
		t.fail("backup", fmt.Errorf("Status.plist: %w", err))
		return
	}
	st, err := mbformat.ParseStatus(data)
	if err != nil {
		t.fail("backup", err)
		return
	}
	if st.SnapshotState != "" && st.SnapshotState != "finished" {
		t.fail(t.raw, fmt.Errorf("the iPhone backup was not finished (Status.plist: SnapshotState %q): its files are kept, but make a whole backup again (idevicebackup2 backup, or Back Up Now in Finder)", st.SnapshotState))
	}
}
