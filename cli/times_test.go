package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// setMTime dates path (a symlink itself, not its target) to t, exactly.
func setMTime(t *testing.T, path string, tm time.Time) {
	t.Helper()
	ts := unix.Timespec{Sec: tm.Unix(), Nsec: int64(tm.Nanosecond())}
	if err := unix.UtimesNanoAt(unix.AT_FDCWD, path, []unix.Timespec{ts, ts}, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		t.Fatal(err)
	}
}

func mtimeOf(t *testing.T, path string) time.Time {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		t.Fatal(err)
	}
	return time.Unix(st.Mtim.Sec, st.Mtim.Nsec).UTC()
}

// TestTimesOutsideNanoseconds: a file dated 2300 (past the int64
// nanoseconds that end in 2262), one dated 1901 and a folder and a symlink
// dated 2400 are listed and restored with their times to the nanosecond
// (2300 was listed as 1715-06-13 and restored as 1901-12-13, exit 0).
func TestTimesOutsideNanoseconds(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, src := filepath.Join(dir, "repo"), filepath.Join(dir, "src")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	times := map[string]time.Time{
		"future.txt":      time.Date(2300, 1, 1, 0, 0, 0, 123456789, time.UTC),
		"old.txt":         time.Date(1901, 12, 14, 1, 2, 3, 5, time.UTC),
		"later/link":      time.Date(2400, 6, 1, 0, 0, 0, 1, time.UTC),
		"later":           time.Date(2400, 2, 29, 12, 0, 0, 999999999, time.UTC),
		"later/notes.txt": time.Date(2262, 4, 12, 0, 0, 0, 0, time.UTC),
	}
	os.MkdirAll(filepath.Join(src, "later"), 0o755)
	for _, f := range []string{"future.txt", "old.txt", "later/notes.txt"} {
		os.WriteFile(filepath.Join(src, f), []byte(f), 0o644)
	}
	os.Symlink("notes.txt", filepath.Join(src, "later", "link"))
	for _, f := range []string{"future.txt", "old.txt", "later/notes.txt", "later/link", "later"} {
		setMTime(t, filepath.Join(src, f), times[f])
		if got := mtimeOf(t, filepath.Join(src, f)); !got.Equal(times[f]) {
			t.Skipf("this filesystem does not hold %v (it gave %v)", times[f], got)
		}
	}
	if code, e := lb(t, "backup", "--repo", repo, src); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	var out, errb strings.Builder
	if code := Run([]string{"lifeboat", "ls", "--repo", repo, "--json", "latest"}, &out, &errb); code != 0 {
		t.Fatalf("ls: %d %s", code, errb.String())
	}
	listed := map[string]time.Time{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var e struct {
			Path  string    `json:"path"`
			MTime time.Time `json:"mtime"`
		}
		if json.Unmarshal([]byte(line), &e) == nil && e.Path != "" {
			listed[e.Path] = e.MTime
		}
	}
	dst := filepath.Join(dir, "out")
	if code, e := lb(t, "restore", "--repo", repo, "latest", "--to", dst); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	for f, want := range times {
		if got := listed[f]; !got.Equal(want) {
			t.Errorf("ls lists %s at %v, want %v", f, got, want)
		}
		if got := mtimeOf(t, filepath.Join(dst, f)); !got.Equal(want) {
			t.Errorf("%s restored at %v, want %v", f, got, want)
		}
	}
}

// TestTimeTargetCannotHold: a file dated 3000 and one dated 1800 on a
// tmpfs (which holds them) restored into a folder on a filesystem that
// cannot (ext4 ends in 2446 and begins in 1901) are named in a warning
// with the time they got, and restore exits 3 (it was silent, exit 0).
func TestTimeTargetCannotHold(t *testing.T) {
	shm, err := os.MkdirTemp("/dev/shm", "lifeboat-times-")
	if err != nil {
		t.Skipf("no /dev/shm: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(shm) })
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, src := filepath.Join(dir, "repo"), filepath.Join(shm, "src")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	os.MkdirAll(src, 0o755)
	far, early := time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	for f, tm := range map[string]time.Time{"far.txt": far, "early.txt": early} {
		p := filepath.Join(src, f)
		os.WriteFile(p, []byte(f), 0o644)
		setMTime(t, p, tm)
		if !mtimeOf(t, p).Equal(tm) {
			t.Skipf("/dev/shm does not hold %v", tm)
		}
	}
	dst := filepath.Join(dir, "out")
	probe := filepath.Join(dir, "probe")
	os.WriteFile(probe, nil, 0o644)
	setMTime(t, probe, far)
	if mtimeOf(t, probe).Equal(far) {
		t.Skipf("the test folder's filesystem holds %v: nothing to show", far)
	}
	if code, e := lb(t, "backup", "--repo", repo, src); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	code, stderr := lb(t, "restore", "--repo", repo, "latest", "--to", dst)
	if code != exitPartial {
		t.Fatalf("restore: exit %d, want %d; stderr:\n%s", code, exitPartial, stderr)
	}
	for _, want := range []string{
		"lifeboat: warning: far.txt: modification time 3000-01-01T00:00:00Z: not kept by the target; it holds 2446-",
		"lifeboat: warning: early.txt: modification time 1800-01-01T00:00:00Z: not kept by the target; it holds 1901-",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dst, "far.txt")); err != nil || string(b) != "far.txt" {
		t.Errorf("far.txt not restored: %q %v", b, err)
	}
}
