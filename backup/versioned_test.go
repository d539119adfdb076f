package backup_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/source"
	"github.com/lifeboat-backup/lifeboat/source/sourcetest"
)

// versionedTree gives every regular file a source.Versioned Sys made from
// its bytes, as a phone's rendered contacts have: same size, same mtime,
// only the version tells an edit.
type versionedTree struct {
	source.Tree
	ver map[string]uint64
}

type versionedInfo struct {
	fs.FileInfo
	v uint64
}

func (i versionedInfo) Sys() any {
	if i.Mode().IsRegular() {
		return version(i.v)
	}
	return i.FileInfo.Sys()
}
func (i versionedInfo) Info() (fs.FileInfo, error) { return i, nil }
func (i versionedInfo) Type() fs.FileMode          { return i.Mode().Type() }

type version uint64

func (v version) Version() uint64 { return uint64(v) }

func (t versionedTree) wrap(name string, fi fs.FileInfo) versionedInfo {
	return versionedInfo{fi, t.ver[name]}
}

func (t versionedTree) Lstat(name string) (fs.FileInfo, error) {
	fi, err := t.Tree.Lstat(name)
	if err != nil {
		return nil, err
	}
	return t.wrap(name, fi), nil
}

func (t versionedTree) ReadDir(name string) ([]fs.DirEntry, error) {
	list, err := t.Tree.ReadDir(name)
	out := make([]fs.DirEntry, len(list))
	for i, e := range list {
		fi, ierr := e.Info()
		if ierr != nil {
			return nil, ierr
		}
		p := e.Name()
		if name != "." {
			p = name + "/" + e.Name()
		}
		out[i] = t.wrap(p, fi)
	}
	return out, err
}

func (t versionedTree) Open(name string) (fs.File, error) {
	f, err := t.Tree.Open(name)
	if err != nil {
		return nil, err
	}
	return versionedFile{f, t, name}, nil
}

// versionedFile's Stat carries the version too, as a phone's rendered
// file does: the cache keeps the status the file had when read.
type versionedFile struct {
	fs.File
	t    versionedTree
	name string
}

func (f versionedFile) Stat() (fs.FileInfo, error) {
	fi, err := f.File.Stat()
	if err != nil {
		return nil, err
	}
	return f.t.wrap(f.name, fi), nil
}

// TestVersionedFileCache: a file rendered from rows, edited to bytes of the
// same size with the same mtime, is read again because its version
// changed; with the old version it is taken from the cache.
func TestVersionedFileCache(t *testing.T) {
	at := time.Unix(0, 0)
	e := testrepo.New(t)
	run := func(card string, v uint64) *backup.Result {
		mem := sourcetest.NewMemTree("mem:phone", at)
		mem.Dir(".", 0o755, at)
		mem.Dir("contacts", 0o755, at)
		mem.File("contacts/a.vcf", []byte(card), 0o644, at)
		tree, release, err := mem.Source().Open(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		r := e.Open(t, repo.AccessWrite)
		res, err := backup.Run(context.Background(), r, backup.Options{Tree: versionedTree{tree, map[string]uint64{"contacts/a.vcf": v}},
			SourceName: "mem:phone", CacheDir: e.CacheDir})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	const a, b = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nTEL:+1555001\r\nEND:VCARD\r\n", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nTEL:+1555002\r\nEND:VCARD\r\n"
	run(a, 1)
	if res := run(a, 1); res.Snapshot.Stats.BytesRead != 0 {
		t.Errorf("same version: %d bytes read, want 0 (cached)", res.Snapshot.Stats.BytesRead)
	}
	res := run(b, 2)
	if res.Snapshot.Stats.BytesRead != uint64(len(b)) {
		t.Errorf("new version, same size and mtime: %d bytes read, want %d", res.Snapshot.Stats.BytesRead, len(b))
	}
	out := e.Restore(t, res.ID)
	if got, _ := os.ReadFile(filepath.Join(out, "contacts", "a.vcf")); !bytes.Equal(got, []byte(b)) {
		t.Errorf("restored %q, want the edited card", got)
	}
}

// goneTree fails every open after the first with source.ErrSource, as a
// phone unplugged mid-backup does.
type goneTree struct {
	source.Tree
	opened *int
}

func (t goneTree) Open(name string) (fs.File, error) {
	if *t.opened++; *t.opened > 1 {
		// As source/phone.go wraps it: ErrSource around a PathError.
		return nil, fmt.Errorf("%w: %w", source.ErrSource, &fs.PathError{Op: "open", Path: name, Err: errors.New("the phone was disconnected")})
	}
	return t.Tree.Open(name)
}

// TestSourceGoneCommitsNothing: a read error that is source.ErrSource ends
// the backup with that error and commits nothing, where another read error
// would leave the file out of a committed snapshot.
func TestSourceGoneCommitsNothing(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	mem := sourcetest.NewMemTree("mem:phone", at)
	mem.Dir(".", 0o755, at)
	mem.Dir("DCIM", 0o755, at)
	for i := range 5 {
		mem.File(fmt.Sprintf("DCIM/IMG_%d.jpg", i), []byte{0xff, 0xd8, byte(i)}, 0o644, at)
	}
	tree, release, err := mem.Source().Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	e := testrepo.New(t)
	r := e.Open(t, repo.AccessWrite)
	n := 0
	_, err = backup.Run(context.Background(), r, backup.Options{Tree: goneTree{tree, &n}, SourceName: "mem:phone", CacheDir: e.CacheDir, Workers: 1})
	if !errors.Is(err, source.ErrSource) {
		t.Fatalf("backup with the source gone: %v, want source.ErrSource", err)
	}
	snaps, _, err := e.Open(t, repo.AccessWrite).Snapshots(context.Background())
	if err != nil || len(snaps) != 0 {
		t.Errorf("%d snapshots committed (%v), want none", len(snaps), err)
	}
}
