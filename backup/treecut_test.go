package backup_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
)

// TestTreeCuts: a folder's tree blobs end after each entry whose name's
// keyed hash says so (about one in 8), wherever the entries' weight
// reaches 64 KiB, and nowhere else, whether the entries are files read,
// files the cache vouches for, symlinks or subfolders. Where a tree is
// cut is part of every tree id: a change would rewrite each folder's
// tree once, and one edited file would rewrite more than one small blob.
func TestTreeCuts(t *testing.T) {
	e := testrepo.New(t)
	src := t.TempDir()
	for i := range 300 {
		write(t, filepath.Join(src, fmt.Sprintf("%03d-%s.txt", i, strings.Repeat("n", i%200))), fmt.Sprint(i))
	}
	for i := range 20 {
		write(t, filepath.Join(src, fmt.Sprintf("%03d-sub", i*15), "f"), "in a subfolder")
	}
	// Long targets weigh about 4 KiB each: 16 in a row pass 64 KiB. Their
	// names are picked, with the repository's key, to be no boundary.
	key := e.Open(t, repo.AccessRead) // opened again after the backups, for their index
	for i, k := 0, 0; i < 40; k++ {
		name := fmt.Sprintf("%03d-zlink-%d", 300+i, k)
		if key.BlobID([]byte(name))[0]&7 == 0 {
			continue
		}
		target := strings.Repeat("t", 4000) + fmt.Sprint(i)
		if err := os.Symlink(target, filepath.Join(src, name)); err != nil {
			t.Fatal(err)
		}
		i++
	}
	first, rerun := e.Backup(t, src), e.Backup(t, src)
	r := e.Open(t, repo.AccessRead)
	ctx := context.Background()
	var refs []format.Ref
	for _, id := range []format.ID{first.ID, rerun.ID} {
		snap, err := r.LoadSnapshot(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, snap.Root.Content)
		ids, err := r.LoadRef(ctx, snap.Root.Content)
		if err != nil {
			t.Fatal(err)
		}
		entries, bigCuts := 0, 0
		for k, id := range ids {
			blob, err := r.LoadBlob(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			nodes, err := format.DecodeTree(blob)
			if err != nil {
				t.Fatal(err)
			}
			weight := 0
			for j := range nodes {
				n := &nodes[j]
				weight += len(n.Name) + len(n.Target) + 48 + 32*(len(n.Content.IDs)+len(n.Patch.IDs))
				named := r.BlobID([]byte(n.Name))[0]&7 == 0
				cut := named || weight >= 64<<10
				if end := j == len(nodes)-1; end && !cut && k < len(ids)-1 {
					t.Errorf("blob %d of %d ends after %q, which is no boundary (weight %d)", k, len(ids), n.Name, weight)
				} else if !end && cut {
					t.Errorf("blob %d goes on after %q, a boundary (weight %d, by name %v)", k, n.Name, weight, named)
				} else if end && !named && weight >= 64<<10 {
					bigCuts++
				}
			}
			entries += len(nodes)
		}
		if entries != 360 {
			t.Errorf("tree of %d entries, want 360", entries)
		}
		if bigCuts == 0 {
			t.Errorf("no blob was cut by weight: the test misses that rule")
		}
	}
	if !reflect.DeepEqual(refs[0], refs[1]) {
		t.Errorf("the re-run's tree %v is not the first backup's %v", refs[1], refs[0])
	}
}
