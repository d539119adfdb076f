package restore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/restore"
)

// hostileSnapshot commits a snapshot whose root tree holds nodes, written
// without the checks backup applies, as a malicious writer would.
func hostileSnapshot(t *testing.T, e *testrepo.Env, nodes []format.Node) *format.Snapshot {
	t.Helper()
	ctx := context.Background()
	r := e.Open(t, repo.AccessWrite)
	sess := r.NewSession()
	p := sess.NewPacker(ctx)
	data := []byte("pwned\n")
	id := r.BlobID(data)
	if _, err := p.Add(format.BlobData, id, data, false); err != nil {
		t.Fatal(err)
	}
	for i := range nodes {
		if nodes[i].Type == format.NodeFile {
			nodes[i].Content, nodes[i].Size = format.Ref{IDs: []format.ID{id}}, uint64(len(data))
		}
	}
	tree := format.EncodeTree(nodes)
	tid := r.BlobID(tree)
	if _, err := p.Add(format.BlobTree, tid, tree, false); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	snap := &format.Snapshot{Time: time.Now(), Source: "/hostile",
		Root: format.Node{Type: format.NodeDir, Mode: 0o755, Content: format.Ref{IDs: []format.ID{tid}}}}
	if _, err := sess.Commit(ctx, snap); err != nil {
		t.Fatal(err)
	}
	return snap
}

// TestHostileNamesStayInside: names that try to leave the target are
// refused as damage and nothing is written outside it.
func TestHostileNamesStayInside(t *testing.T) {
	for _, name := range []string{"../evil", "..", "/tmp/evil-abs", "a/../../evil", "."} {
		t.Run(name, func(t *testing.T) {
			e := testrepo.New(t)
			snap := hostileSnapshot(t, e, []format.Node{{Name: name, Type: format.NodeFile, Mode: 0o644}})
			parent := t.TempDir()
			target := filepath.Join(parent, "target")
			r := e.Open(t, repo.AccessRead)
			_, err := restore.Run(context.Background(), r, snap, restore.Options{Target: target})
			if !errors.Is(err, repo.ErrDamaged) {
				t.Errorf("restore = %v, want damage", err)
			}
			// The damage is found before the target is made, so there is
			// nothing at all, or the target alone.
			entries, _ := os.ReadDir(parent)
			if len(entries) > 1 || len(entries) == 1 && entries[0].Name() != "target" {
				t.Errorf("restore wrote beside its target: %v", entries)
			}
			if _, err := os.Stat("/tmp/evil-abs"); err == nil {
				t.Error("restore wrote an absolute path")
			}
		})
	}
}

// TestSymlinkInTargetNotFollowed: with --overwrite into a folder where a
// symlink points outside, restore refuses to write through it.
func TestSymlinkInTargetNotFollowed(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(testrepo.ModuleRoot(t), "testdata", "phone")
	res := e.Backup(t, src)
	outside := t.TempDir()
	target := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(target, "Contacts")); err != nil {
		t.Fatal(err)
	}
	r := e.Open(t, repo.AccessRead)
	_, err := restore.Run(context.Background(), r, res.Snapshot, restore.Options{Target: target, Overwrite: true})
	if err == nil {
		t.Error("restore through a planted symlink succeeded")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("restore wrote through the symlink: %v", entries)
	}
	// Everything not under the symlink is restored.
	if _, err := os.Stat(filepath.Join(target, "Calendar", "personal.ics")); err != nil {
		t.Errorf("the rest was not restored: %v", err)
	}
}

// TestRestoredSymlinkNotFollowed: a snapshot may hold a symlink pointing
// outside (it is the user's data); restore creates it but writes nothing
// through it.
func TestRestoredSymlinkNotFollowed(t *testing.T) {
	e := testrepo.New(t)
	outside := t.TempDir()
	snap := hostileSnapshot(t, e, []format.Node{
		{Name: "a", Type: format.NodeSymlink, Target: outside, MTime: format.NanoTime(1_500_000_000_123_456_789)},
		{Name: "b", Type: format.NodeFile, Mode: 0o644},
	})
	target := filepath.Join(t.TempDir(), "t")
	r := e.Open(t, repo.AccessRead)
	if _, err := restore.Run(context.Background(), r, snap, restore.Options{Target: target}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.Readlink(filepath.Join(target, "a")); got != outside {
		t.Errorf("symlink target %q, want %q", got, outside)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("restore wrote outside: %v", entries)
	}
	// The link gets its own time; its target keeps its own.
	if fi, err := os.Lstat(filepath.Join(target, "a")); err != nil || fi.ModTime().UnixNano() != 1_500_000_000_123_456_789 {
		t.Errorf("symlink mtime: %v %v", fi.ModTime(), err)
	}
	if fi, _ := os.Stat(outside); fi.ModTime().Unix() == 1_500_000_000 {
		t.Error("the symlink's time was set on its target")
	}
}
