package restore_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
)

// TestSymlinkAtFileNameReplaced: with --overwrite, a symlink planted in a
// target folder under a file's name, pointing outside, is replaced by the
// restored file; nothing is written through it. Without --overwrite the
// restore is refused and the symlink left alone.
func TestSymlinkAtFileNameReplaced(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(testrepo.ModuleRoot(t), "testdata", "phone")
	res := e.Backup(t, src)
	want, err := os.ReadFile(filepath.Join(src, "Contacts", "family.vcf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, overwrite := range []bool{true, false} {
		outside := filepath.Join(t.TempDir(), "victim")
		if err := os.WriteFile(outside, []byte("keep me\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		target := t.TempDir()
		if err := os.Mkdir(filepath.Join(target, "Contacts"), 0o755); err != nil {
			t.Fatal(err)
		}
		planted := filepath.Join(target, "Contacts", "family.vcf")
		if err := os.Symlink(outside, planted); err != nil {
			t.Fatal(err)
		}
		r := e.Open(t, repo.AccessRead)
		_, err := restore.Run(context.Background(), r, res.Snapshot, restore.Options{Target: target, Overwrite: overwrite})
		if got, _ := os.ReadFile(outside); string(got) != "keep me\n" {
			t.Errorf("overwrite=%v: the file outside was written through the symlink: %q", overwrite, got)
		}
		fi, lerr := os.Lstat(planted)
		switch {
		case lerr != nil:
			t.Errorf("overwrite=%v: %v", overwrite, lerr)
		case overwrite:
			got, _ := os.ReadFile(planted)
			if err != nil || !fi.Mode().IsRegular() || !bytes.Equal(got, want) {
				t.Errorf("overwrite: restore = %v, %s is %v holding %d bytes; want the snapshot's file", err, planted, fi.Mode(), len(got))
			}
		default:
			if err == nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Errorf("no overwrite: restore = %v and the symlink is %v; want it refused and left", err, fi.Mode())
			}
		}
		// The folder's other files are restored.
		if _, err := os.Stat(filepath.Join(target, "Contacts", "contacts.vcf")); overwrite && err != nil {
			t.Errorf("overwrite: the rest of the folder: %v", err)
		}
	}
}
