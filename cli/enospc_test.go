package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// smallDisk mounts a tmpfs of sizeMB at dir, which needs root (.ci/run
// runs as root). Without root the test skips, or fails under
// LIFEBOAT_REQUIRE_INTEGRATION=1.
func smallDisk(t *testing.T, dir string, sizeMB int) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%dm,mode=0700", sizeMB))
	if err != nil {
		if os.Getenv("LIFEBOAT_REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("cannot mount a small tmpfs (LIFEBOAT_REQUIRE_INTEGRATION=1): %v", err)
		}
		t.Skipf("cannot mount a small tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
}

// wantFull checks a run that hit a full disk: exit 1 with the cause and
// a hint, never "interrupted" (exit 130, which needs no action).
func wantFull(t *testing.T, what string, code int, stderr string) {
	t.Helper()
	if code != exitFatal || !strings.Contains(stderr, "no space left on device") ||
		!strings.Contains(stderr, "lifeboat: hint: the disk named above is full") || strings.Contains(stderr, "interrupted") {
		t.Fatalf("%s on a full disk: exit %d, want 1 with the cause and a hint:\n%s", what, code, stderr)
	}
}

// TestFullRepositoryDisk (issue 11, item 7): a backup into a repository on
// a full 8 MB disk exits 1 "no space left on device" with a hint (was
// "interrupted; nothing was committed", exit 130), leaves nothing in
// tmp/ nor a snapshot, and after space is freed (the disk remounted
// bigger) the next backup completes and check --read-data passes.
func TestFullRepositoryDisk(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	disk := filepath.Join(dir, "disk")
	smallDisk(t, disk, 8)
	repo := filepath.Join(disk, "repo")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	src := filepath.Join(dir, "src")
	bigSource(t, src, 6, 3<<20)
	code, e := lb(t, "backup", "--repo", repo, "--quiet", src)
	wantFull(t, "backup", code, e)
	if n := countFiles(filepath.Join(repo, "tmp")); n != 0 {
		t.Errorf("%d temporary files left in tmp/", n)
	}
	if n := countFiles(filepath.Join(repo, "snapshots")); n != 0 {
		t.Errorf("%d snapshots after a backup that failed", n)
	}
	// Space freed: the disk is remounted bigger.
	if err := exec.Command("mount", "-o", "remount,size=64m", disk).Run(); err != nil {
		t.Fatalf("remount: %v", err)
	}
	if code, e := lb(t, "backup", "--repo", repo, "--quiet", src); code != 0 {
		t.Fatalf("backup after space was freed: %d %s", code, e)
	}
	if code, e := lb(t, "check", "--repo", repo, "--read-data"); code != 0 {
		t.Fatalf("check --read-data: %d %s", code, e)
	}
}

// TestFullRestoreAndMirrorDisk (issue 11, item 7): a restore onto a full
// disk exits 1 with the cause and leaves no file under its final name
// that is not whole; a mirror on a full disk leaves the backup committed
// (exit 3), and sync completes it once there is space.
func TestFullRestoreAndMirrorDisk(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	disk := filepath.Join(dir, "disk")
	smallDisk(t, disk, 8)
	repo, mirror := filepath.Join(dir, "repo"), filepath.Join(disk, "mirror")
	if code, e := lb(t, "init", "--repo", repo, "--mirror", mirror); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	src := filepath.Join(dir, "src")
	bigSource(t, src, 4, 3<<20)
	if code, e := lb(t, "backup", "--repo", repo, "--mirror", mirror, "--quiet", src); code != exitPartial {
		t.Fatalf("backup with a full mirror: exit %d, want 3: %s", code, e)
	}
	if n := countFiles(filepath.Join(mirror, "tmp")); n != 0 {
		t.Errorf("%d temporary files left in the mirror's tmp/", n)
	}
	out := filepath.Join(disk, "out")
	code, e := lb(t, "restore", "latest", "--repo", repo, "--to", out)
	wantFull(t, "restore", code, e)
	entries, _ := os.ReadDir(filepath.Join(out, "DCIM"))
	for _, en := range entries {
		a, _ := os.ReadFile(filepath.Join(src, "DCIM", en.Name()))
		b, _ := os.ReadFile(filepath.Join(out, "DCIM", en.Name()))
		if string(a) != string(b) {
			t.Errorf("%s is under its final name but not whole", en.Name())
		}
	}
	os.RemoveAll(out)
	// Space freed: the disk is remounted bigger.
	if err := exec.Command("mount", "-o", "remount,size=64m", disk).Run(); err != nil {
		t.Fatalf("remount: %v", err)
	}
	if code, e := lb(t, "sync", "--repo", repo, "--mirror", mirror); code != 0 {
		t.Fatalf("sync after space was freed: %d %s", code, e)
	}
	if code, e := lb(t, "check", "--repo", mirror, "--read-data"); code != 0 {
		t.Fatalf("check --read-data of the mirror: %d %s", code, e)
	}
	if code, e := lb(t, "restore", "latest", "--repo", repo, "--to", out); code != 0 {
		t.Fatalf("restore after space was freed: %d %s", code, e)
	}
}

// TestUnwritableRepositoryFolder (issue 11, item 7): a data/ folder this
// user cannot write makes backup exit 1 with "permission denied" and a
// hint (was "interrupted; nothing was committed", exit 130). As root,
// which writes anywhere, the backup runs as nobody over a repository that
// nobody owns but for data/.
func TestUnwritableRepositoryFolder(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, src := filepath.Join(dir, "repo"), filepath.Join(dir, "src")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	bigSource(t, src, 2, 1<<20)
	data := filepath.Join(repo, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	var code int
	var stderr string
	if os.Geteuid() != 0 {
		os.Chmod(data, 0o500)
		defer os.Chmod(data, 0o700)
		code, stderr = lb(t, "backup", "--repo", repo, "--quiet", src)
	} else {
		code, stderr = backupAsNobody(t, dir, repo, src)
	}
	if code != exitFatal || !strings.Contains(stderr, "permission denied") ||
		!strings.Contains(stderr, "lifeboat: hint: this user cannot write") || strings.Contains(stderr, "interrupted") {
		t.Fatalf("backup into an unwritable data/: exit %d, want 1 with the cause and a hint:\n%s", code, stderr)
	}
}

// backupAsNobody runs a backup as uid 65534 with everything under dir
// owned by it except data/, which stays root's (mode 0755).
func backupAsNobody(t *testing.T, dir, repo, src string) (int, string) {
	t.Helper()
	bin := filepath.Join(dir, "lifeboat.test")
	b, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	for d := dir; d != "/" && d != filepath.Dir(d); d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.Mode().Perm()&0o005 != 0o005 && d != dir {
			os.Chmod(d, fi.Mode().Perm()|0o005) // t.TempDir's parent, 0700
		}
	}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && p != filepath.Join(repo, "data") {
			os.Lchown(p, 65534, 65534)
		}
		return nil
	})
	os.Chmod(filepath.Join(repo, "data"), 0o755)
	cmd := exec.Command(bin, "backup", "--repo", repo, "--quiet", src)
	cmd.Env = append(os.Environ(), "LIFEBOAT_TEST_MAIN=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.Run()
	return cmd.ProcessState.ExitCode(), stderr.String()
}
