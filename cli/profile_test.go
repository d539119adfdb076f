package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProfileFlags: the hidden --cpuprofile and --memprofile write pprof
// files (gzip) of the run, and the help does not list them.
func TestProfileFlags(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.out"), filepath.Join(dir, "mem.out")
	var out, errb bytes.Buffer
	if code := Run([]string{"lifeboat", "--cpuprofile", cpu, "--memprofile", mem, "--version"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, name := range []string{cpu, mem, mem + ".end"} {
		b, err := os.ReadFile(name)
		if err != nil {
			if name == mem {
				continue // written only once the live heap is measured, which a short run may not reach
			}
			t.Fatal(err)
		}
		if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			t.Fatalf("%s is not a pprof profile (%d bytes)", filepath.Base(name), len(b))
		}
	}
	out.Reset()
	Run([]string{"lifeboat", "--help"}, &out, &errb)
	if s := out.String(); strings.Contains(s, "profile") || !strings.Contains(s, "backup") {
		t.Fatalf("help lists the profile flags, or is not the help:\n%s", s)
	}
}
