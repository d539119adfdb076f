package iphone_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
	"github.com/lifeboat-backup/lifeboat/source"
	"github.com/lifeboat-backup/lifeboat/source/sourcetest"
)

// suiteTime dates the suite's photos; a changed one is saved a second
// later, as the phone would.
var suiteTime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// phone is the device a harness backs up: its camera roll, and the
// backup folder it wrote last. Every backup run after the first is
// written apart and synced in as idevicebackup2 does it: a file whose
// bytes change is removed and written anew (a new inode, so that a reader
// holding the old one reads the old bytes to the end), a file the phone
// no longer has is removed, and Manifest.db is replaced likewise.
type phone struct {
	password []byte // nil for a plain backup
	parent   string // holds the device folder
	scratch  string // where later runs are written before the sync
	dir      string // the device folder
	roll     map[string]roll
	keys     map[string]iosgen.FileKey
	inPlace  bool // rewrite changed files in place (a copy tool), not anew
}

type roll struct {
	data  []byte
	mtime time.Time
}

// options are one backup run's: the same device, keybag and (through
// Keys) the same file keys for unchanged files, as an incremental backup
// keeps them.
func (p *phone) options() iosgen.Options {
	o := iosgen.Options{Password: p.password, Keys: p.keys, Rand: rand.NewChaCha8([32]byte{'l', 'b'})}
	for name, r := range p.roll {
		o.Files = append(o.Files, iosgen.File{Domain: iosgen.CameraRollDomain, RelativePath: "Media/DCIM/" + name, Data: r.data, ModTime: r.mtime})
	}
	return o
}

// first writes the backup in place.
func (p *phone) first(t *testing.T) {
	b, err := iosgen.Write(p.parent, p.options())
	if err != nil {
		t.Fatal(err)
	}
	p.dir, p.keys = b.Dir, b.Keys
}

// again runs a backup again: written apart, then synced in.
func (p *phone) again(t *testing.T) {
	stage, err := os.MkdirTemp(p.scratch, "run")
	if err != nil {
		t.Error(err)
		return
	}
	b, err := iosgen.Write(stage, p.options())
	if err != nil {
		t.Error(err)
		return
	}
	p.keys = b.Keys
	if err := syncDir(b.Dir, p.dir, p.inPlace); err != nil {
		t.Error(err)
	}
}

// syncDir makes live hold what staged holds, replacing only the files
// whose bytes differ: removed and written anew, or rewritten in place.
func syncDir(staged, live string, inPlace bool) error {
	keep := map[string]bool{}
	err := filepath.WalkDir(staged, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(staged, p)
		keep[rel] = true
		dst := filepath.Join(live, rel)
		newb, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, newb) {
			return nil
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if inPlace {
			return os.WriteFile(dst, newb, 0o644)
		}
		if err := os.Remove(dst); err != nil && !os.IsNotExist(err) {
			return err
		}
		return os.Rename(p, dst)
	})
	if err != nil {
		return err
	}
	return filepath.WalkDir(live, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(live, p)
		if !keep[rel] {
			return os.Remove(p)
		}
		return nil
	})
}

// diskPath is where the backup keeps a camera-roll file.
func (p *phone) diskPath(name string) string {
	id := iosgen.FileID(iosgen.CameraRollDomain, "Media/DCIM/"+name)
	return filepath.Join(p.dir, id[:2], id)
}

// harness backs up camera-roll items: each suite file is a photo at
// Media/DCIM/<name>, shown at DCIM/<name> beside the backup itself.
func harness(password []byte, inPlace bool) sourcetest.Harness {
	var p *phone
	return sourcetest.Harness{
		New: func(t *testing.T, files []sourcetest.File) source.Source {
			p = &phone{password: password, parent: t.TempDir(), scratch: t.TempDir(), roll: map[string]roll{}, inPlace: inPlace}
			for _, f := range files {
				p.roll[f.Name] = roll{data: f.Data, mtime: suiteTime}
			}
			p.first(t)
			s, err := source.Parse(p.dir, source.Options{IOSPassword: func() ([]byte, error) { return bytes.Clone(password), nil }})
			if err != nil {
				t.Fatal(err)
			}
			if s.Name() != p.dir {
				t.Fatalf("an iPhone backup's source is named %q, want its device folder %q", s.Name(), p.dir)
			}
			return s
		},
		Path: func(name string) string { return "DCIM/" + name },
		// Remove is the photo deleted on the phone, then a backup run.
		Remove: func(t *testing.T, name string) {
			delete(p.roll, name)
			p.again(t)
		},
		// Change is the photo edited on the phone, then a backup run.
		Change: func(t *testing.T, name string, data []byte) {
			p.roll[name] = roll{data: data, mtime: suiteTime.Add(time.Second)}
			p.again(t)
		},
		// Break cuts the photo's file on disk short: a backup copied off
		// a disk that filled up. Its plaintext cannot be given whole.
		Break: func(t *testing.T, name string) {
			fp := p.diskPath(name)
			fi, err := os.Stat(fp)
			if err == nil {
				err = os.Truncate(fp, fi.Size()-3)
			}
			if err != nil {
				t.Error(err)
			}
		},
		// Large is left out: iosgen holds each file's bytes in memory, so
		// that a 4 GiB camera-roll item would need 4 GiB of RAM (twice,
		// encrypted), and its Size lives in an MBFile plist inside
		// Manifest.db, which no test can patch without rewriting it. The
		// backup's own files go through source/folder, whose suite has
		// the large file.
		//
		// RawNames is false: iOS keeps camera-roll names on APFS, which
		// takes only valid UTF-8, and Manifest.db holds them as TEXT.
		//
		// Stable is false: the tree lists Manifest.db as it was at Open
		// but reads the files on disk as they are, so that a photo
		// deleted mid-walk must be named in the errors.
	}
}

// TestConformance runs the source suite on a plain and on an encrypted
// backup: the suite's files are camera-roll items, and every change is a
// backup run as idevicebackup2 makes it. The in-place runs rewrite a
// changed file over its old inode, as a copy tool would: a camera-roll
// item used to be stored half old, half new with no warning, its status
// being Manifest.db's rather than its file's.
func TestConformance(t *testing.T) {
	pw := []byte("suite password")
	t.Run("plain", func(t *testing.T) { sourcetest.Run(t, harness(nil, false)) })
	t.Run("encrypted", func(t *testing.T) { sourcetest.Run(t, harness(pw, false)) })
	t.Run("plain in place", func(t *testing.T) { sourcetest.Run(t, harness(nil, true)) })
	t.Run("encrypted in place", func(t *testing.T) { sourcetest.Run(t, harness(pw, true)) })
}
