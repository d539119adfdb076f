package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestLockClockOffSameHost (issue 11, item 10): a second backup on the
// same machine that sees the running backup's lock an hour and a half old
// (its clock is off by that much) exits 11 instead of taking the lock
// over, and the first one commits. Staleness here is decided by the pid.
func TestLockClockOffSameHost(t *testing.T) {
	_, repo, src := lockSetup(t)
	locks := filepath.Join(repo, "locks")
	a := startLB(t, nil, "backup", "--repo", repo, "--no-cache", src)
	waitFor(t, "the first backup's lock", func() bool { return countFiles(locks) > 0 })
	ents, _ := os.ReadDir(locks)
	if len(ents) != 1 {
		t.Fatalf("%d locks", len(ents))
	}
	name := filepath.Join(locks, ents[0].Name())
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]any
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatal(err)
	}
	old := time.Now().UTC().Add(-90 * time.Minute).Format(time.RFC3339Nano)
	info["created"], info["refreshed"] = old, old
	b, _ = json.Marshal(info)
	if err := os.WriteFile(name, b, 0o600); err != nil {
		t.Fatal(err)
	}
	second := startLB(t, nil, "backup", "--repo", repo, "--no-cache", src).wait()
	a.wait()
	if a.code != 0 || second.code != exitLocked {
		t.Fatalf("exit codes %d and %d, want 0 and 11\n%s\n%s", a.code, second.code, a.stderr.String(), second.stderr.String())
	}
	if n := countFiles(filepath.Join(repo, "snapshots")); n != 1 {
		t.Errorf("%d snapshots, want the first backup's one", n)
	}
}
