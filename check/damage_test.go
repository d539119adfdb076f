package check_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/check"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
)

// TestFlippedByte flips one byte in every object of a repository in turn:
// check must name the object and exit with damage, with and without
// --read-data, and restore must never put wrong bytes under a final name.
func TestFlippedByte(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(testrepo.ModuleRoot(t), "testdata", "phone")
	res := e.Backup(t, src)
	pristine := snapshotFiles(t, e.Repo)
	if len(pristine) < 3 {
		t.Fatalf("only %d objects", len(pristine))
	}
	for _, name := range pristine {
		t.Run(strings.ReplaceAll(name, "/", "_")[:20], func(t *testing.T) {
			p := filepath.Join(e.Repo, filepath.FromSlash(name))
			orig, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(p, orig, 0o600)
			bad := bytes.Clone(orig)
			bad[len(bad)/2] ^= 0x40
			if err := os.WriteFile(p, bad, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, readData := range []bool{false, true} {
				access := repo.AccessNone
				if readData {
					access = repo.AccessRead
				}
				r := e.Open(t, access)
				rep, err := check.Run(context.Background(), r, check.Options{ReadData: readData})
				if !errors.Is(err, repo.ErrDamaged) {
					t.Errorf("check (read-data %v) = %v, want damage", readData, err)
				}
				if !strings.Contains(strings.Join(rep.Problems, "\n"), name) {
					t.Errorf("check (read-data %v) problems %q do not name %s", readData, rep.Problems, name)
				}
			}
			restoreNeverWrong(t, e, res.ID.String(), src)
		})
	}
}

// restoreNeverWrong restores a snapshot from a damaged repository: it may
// fail with damage, but every file it wrote must be right.
func restoreNeverWrong(t *testing.T, e *testrepo.Env, id, src string) {
	t.Helper()
	r, err := repo.Open(context.Background(), r0(e), e.Keys, repo.AccessRead)
	if err != nil {
		if !errors.Is(err, repo.ErrDamaged) {
			t.Fatalf("open: %v", err)
		}
		return
	}
	defer r.Close()
	snap, err := r.FindSnapshot(context.Background(), id)
	if err != nil {
		if errors.Is(err, repo.ErrDamaged) {
			return
		}
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	_, err = restore.Run(context.Background(), r, snap.Snapshot, restore.Options{Target: out})
	if err != nil && !errors.Is(err, repo.ErrDamaged) {
		t.Errorf("restore error %v, want damage", err)
	}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, werr error) error {
		if werr != nil || d.IsDir() {
			return werr
		}
		rel, _ := filepath.Rel(out, p)
		if strings.Contains(rel, ".lifeboat-restore-") {
			t.Errorf("temporary file left: %s", rel)
			return nil
		}
		want, _ := os.ReadFile(filepath.Join(src, rel))
		got, _ := os.ReadFile(p)
		if !bytes.Equal(got, want) {
			t.Errorf("%s restored with wrong bytes", rel)
		}
		return nil
	})
	if err == nil {
		testrepo.SameTree(t, src, out)
	}
}
