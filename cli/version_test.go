package cli

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersionFrom: without -ldflags, --version says what the go command
// stamped (was always "dev").
func TestVersionFrom(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "c5238bb477d1b763387c79285a9dfcfe7cef373d"},
		{Key: "vcs.time", Value: "2026-12-01T22:17:48Z"}, {Key: "vcs.modified", Value: "false"}}
	dirty := append(append([]debug.BuildSetting(nil), vcs[:3]...), debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	for _, tc := range []struct {
		name, stamped string
		bi            *debug.BuildInfo
		want          string
	}{
		{"-ldflags wins", "v1.2.0", &debug.BuildInfo{Main: debug.Module{Version: "v1.1.0"}, Settings: vcs}, "v1.2.0"},
		{"go install module@version", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.1.0"}}, "v1.1.0"},
		{"go build in a checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201221748-c5238bb477d1"}, Settings: vcs},
			"v0.0.0-20261201221748-c5238bb477d1 (c5238bb477d1, 2026-12-01T22:17:48Z)"},
		{"uncommitted changes", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: dirty},
			"dev (c5238bb477d1, modified, 2026-12-01T22:17:48Z)"},
		{"no build info", "", nil, "dev"},
		{"no VCS", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := versionFrom(tc.stamped, tc.bi); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestReleaseBuild runs release/build.sh for this machine's platform: the
// binary is static (no program interpreter, so no libc needed), prints
// the version it was given, and SHA256SUMS lists it.
func TestReleaseBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lifeboat (-short)")
	}
	out := t.TempDir()
	cmd := exec.Command("sh", "../release/build.sh", "-o", out, "v0.0.0-test")
	cmd.Env = append(os.Environ(), "LIFEBOAT_RELEASE_TARGETS="+runtime.GOOS+"/"+runtime.GOARCH)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("release/build.sh: %v\n%s", err, b)
	}
	bin := filepath.Join(out, "lifeboat-v0.0.0-test-"+runtime.GOOS+"-"+runtime.GOARCH)
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	v, err := exec.Command(bin, "--version").Output()
	if err != nil || strings.TrimSpace(string(v)) != "lifeboat version v0.0.0-test" {
		t.Fatalf("%s --version: %q, %v", bin, v, err)
	}
	if runtime.GOOS == "linux" {
		f, err := elf.Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("%s has a program interpreter: not a static binary", bin)
			}
		}
	}
	sums, err := os.ReadFile(filepath.Join(out, "SHA256SUMS"))
	if err != nil || !strings.Contains(string(sums), filepath.Base(bin)) {
		t.Errorf("SHA256SUMS: %q, %v", sums, err)
	}
}
