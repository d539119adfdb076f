package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProfileFlags: --cpuprofile and --memprofile before a command write
// their profiles, and the help does not list them.
func TestProfileFlags(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	if code, e := lb(t, "--cpuprofile", cpu, "--memprofile", mem, "init", "--repo", filepath.Join(dir, "repo")); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	for _, p := range []string{cpu, mem} {
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v, %v", p, fi, err)
		}
	}
	var out, errb bytes.Buffer
	Run([]string{"lifeboat", "--help"}, &out, &errb)
	if strings.Contains(out.String()+errb.String(), "profile") || out.Len() == 0 {
		t.Errorf("the help lists the profile flags, or nothing:\n%s", out.String())
	}
}
