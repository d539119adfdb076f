package cli

import (
	"path/filepath"
	"testing"
)

// TestFlagsDoNotLeakBetweenRuns: the cli package keeps parsed values in
// flag structs; a value from one in-process run (here from the
// environment) must not reach the next.
func TestFlagsDoNotLeakBetweenRuns(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, dir)
	t.Setenv("LIFEBOAT_MIRROR", "ftp://nowhere/x")
	if code, _ := lb(t, "init", "--repo", filepath.Join(dir, "a")); code != exitUsage {
		t.Fatalf("init with an unusable mirror: %d, want %d", code, exitUsage)
	}
	t.Setenv("LIFEBOAT_MIRROR", "")
	if code, e := lb(t, "init", "--repo", filepath.Join(dir, "b")); code != 0 {
		t.Fatalf("second run saw the first one's mirror: %d %s", code, e)
	}
}
