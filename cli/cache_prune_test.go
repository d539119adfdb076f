package cli

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
)

// TestCacheAfterPrune: the file cache names the index files it was
// written against and trusts its entries' blobs only while all of them
// are there. Once the only snapshot is forgotten and pruned, the next
// backup of the same, unchanged files finds them gone, reads every file
// again and commits a whole snapshot (check --read-data, restore). A
// cache trusted without that test would commit a snapshot of pruned data
// here. An unchanged run after it reads nothing: the trust is kept.
func TestCacheAfterPrune(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, src := filepath.Join(dir, "repo"), filepath.Join(dir, "src")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	bigSource(t, src, 3, 100<<10)
	backup := func() (id string, read int64) {
		t.Helper()
		code, out, e := lbOut(t, "backup", "--repo", repo, "--json", src)
		var r struct {
			Snapshot  string
			ReadBytes int64 `json:"read_bytes"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
			t.Fatalf("backup: %d %s%s", code, out, e)
		}
		return r.Snapshot, r.ReadBytes
	}
	_, read := backup()
	if read != 300<<10 {
		t.Fatalf("first backup read %d bytes", read)
	}
	if code, e := lb(t, "forget", "--repo", repo, "--source", src, "--all", "--yes", "--prune"); code != 0 {
		t.Fatalf("forget --prune: %d %s", code, e)
	}
	second, read := backup()
	if read != 300<<10 {
		t.Errorf("backup after the prune read %d bytes, want all %d: the cache's blobs are gone", read, 300<<10)
	}
	if code, e := lb(t, "check", "--repo", repo, "--read-data"); code != 0 {
		t.Fatalf("check after the prune and a backup: %d %s", code, e)
	}
	out := filepath.Join(dir, "out")
	if code, e := lb(t, "restore", second, "--repo", repo, "--to", out); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	testrepo.SameBytes(t, src, out)
	if _, read := backup(); read != 0 {
		t.Errorf("unchanged backup read %d bytes", read)
	}
}
