package restore_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
)

// TestOverwriteSweepsLeftovers: a restore killed in the middle leaves
// temporary files; the next restore into the same target (--overwrite)
// removes them and nothing else.
func TestOverwriteSweepsLeftovers(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(testrepo.ModuleRoot(t), "testdata", "phone")
	res := e.Backup(t, src)
	target := filepath.Join(t.TempDir(), "out")
	leftovers := []string{".lifeboat-restore-0123456789abcdef", "DCIM/Camera/.lifeboat-restore-fedcba9876543210"}
	kept := []string{".lifeboat-restore-notes", ".lifeboat-restore-0123456789ABCDEF", "DCIM/.lifeboat-restore-00112233445566778"}
	for _, f := range append(leftovers, kept...) {
		os.MkdirAll(filepath.Join(target, filepath.Dir(f)), 0o700)
		if err := os.WriteFile(filepath.Join(target, f), []byte("half a photo"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// A folder with a temporary name is no file restore wrote.
	os.Mkdir(filepath.Join(target, ".lifeboat-restore-aaaaaaaaaaaaaaaa"), 0o700)
	kept = append(kept, ".lifeboat-restore-aaaaaaaaaaaaaaaa")

	r := e.Open(t, repo.AccessRead)
	if _, err := restore.Run(context.Background(), r, res.Snapshot, restore.Options{Target: target, Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	for _, f := range leftovers {
		if _, err := os.Lstat(filepath.Join(target, f)); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", f, err)
		}
	}
	for _, f := range kept {
		if _, err := os.Lstat(filepath.Join(target, f)); err != nil {
			t.Errorf("%s was removed: %v", f, err)
		}
	}
	// And the restore itself is whole.
	testrepo.SameBytes(t, src, target)
}
