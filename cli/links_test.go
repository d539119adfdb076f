package cli

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// linkSource writes a source with a file hard-linked in two folders, a
// 100 MB sparse file with 2 MiB of data, and extended attributes on a file
// and a folder.
func linkSource(t *testing.T, src string) (sparseData []byte) {
	t.Helper()
	for _, d := range []string{"a", "b"} {
		if err := os.MkdirAll(filepath.Join(src, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(src, "a", "photo.jpg"), []byte("one inode, two names"), 0o644))
	must(os.Link(filepath.Join(src, "a", "photo.jpg"), filepath.Join(src, "b", "same.jpg")))
	must(os.Link(filepath.Join(src, "a", "photo.jpg"), filepath.Join(src, "a", "again.jpg")))
	f, err := os.Create(filepath.Join(src, "disk.img"))
	must(err)
	data := make([]byte, 1<<20)
	rand.NewChaCha8([32]byte{3}).Read(data)
	_, err = f.WriteAt(data, 0)
	must(err)
	_, err = f.WriteAt(data, 50<<20)
	must(err)
	must(f.Truncate(100 << 20))
	must(f.Close())
	must(unix.Setxattr(filepath.Join(src, "a", "photo.jpg"), "user.xdg.origin.url", []byte("https://example.com/p.jpg"), 0))
	must(unix.Setxattr(filepath.Join(src, "b"), "user.comment", []byte("holiday"), 0))
	must(unix.Setxattr(filepath.Join(src, "disk.img"), "user.empty", nil, 0))
	return data
}

func ino(t *testing.T, path string) uint64 {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	return st.Ino
}

func xattr(path, name string) (string, error) {
	buf := make([]byte, 256)
	n, err := unix.Getxattr(path, name, buf)
	if err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

// TestRestoreLinksHolesXAttrs: hard links come back as one inode, a sparse
// file comes back sparse, and extended attributes (user namespace) come
// back on files and folders; --no-xattrs leaves them out (links came back
// as separate files, the 100 MB sparse file took 100 MB, and attributes
// were dropped).
func TestRestoreLinksHolesXAttrs(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, src := filepath.Join(dir, "repo"), filepath.Join(dir, "src")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := unix.Setxattr(src, "user.probe", []byte("x"), 0); err != nil {
		t.Skipf("this filesystem has no user extended attributes: %v", err)
	}
	data := linkSource(t, src)
	if code, e := lb(t, "backup", "--repo", repo, src); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	out := filepath.Join(dir, "out")
	if code, e := lb(t, "restore", "--repo", repo, "latest", "--to", out); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	first := ino(t, filepath.Join(out, "a", "photo.jpg"))
	for _, p := range []string{"a/again.jpg", "b/same.jpg"} {
		if got := ino(t, filepath.Join(out, p)); got != first {
			t.Errorf("%s is not a hard link to a/photo.jpg (inode %d, want %d)", p, got, first)
		}
	}
	if b, err := os.ReadFile(filepath.Join(out, "b", "same.jpg")); err != nil || string(b) != "one inode, two names" {
		t.Errorf("b/same.jpg restored as %q, %v", b, err)
	}
	var st unix.Stat_t
	img := filepath.Join(out, "disk.img")
	if err := unix.Stat(img, &st); err != nil {
		t.Fatal(err)
	}
	if st.Size != 100<<20 || st.Blocks*512 > 8<<20 {
		t.Errorf("disk.img restored with size %d and %d bytes allocated, want 100 MiB in at most 8 MiB", st.Size, st.Blocks*512)
	}
	got, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]byte, 100<<20)
	copy(want, data)
	copy(want[50<<20:], data)
	if !bytes.Equal(got, want) {
		t.Error("disk.img restored with other bytes")
	}
	for _, x := range []struct{ path, name, want string }{
		{"a/photo.jpg", "user.xdg.origin.url", "https://example.com/p.jpg"},
		{"b/same.jpg", "user.xdg.origin.url", "https://example.com/p.jpg"},
		{"b", "user.comment", "holiday"},
		{"disk.img", "user.empty", ""},
	} {
		if v, err := xattr(filepath.Join(out, x.path), x.name); err != nil || v != x.want {
			t.Errorf("%s: %s = %q, %v; want %q", x.path, x.name, v, err, x.want)
		}
	}

	out2 := filepath.Join(dir, "out2")
	if code, e := lb(t, "restore", "--repo", repo, "latest", "--to", out2, "--no-xattrs"); code != 0 {
		t.Fatalf("restore --no-xattrs: %d %s", code, e)
	}
	for _, p := range []string{"a/photo.jpg", "b"} {
		if n, _ := unix.Listxattr(filepath.Join(out2, p), make([]byte, 256)); n != 0 {
			t.Errorf("--no-xattrs: %s has extended attributes", p)
		}
	}
}

// TestRestoreLinkIncluded: with --include naming the second name of a
// hard-linked file only, that name is restored as a file of its own.
func TestRestoreLinkIncluded(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, src := filepath.Join(dir, "repo"), filepath.Join(dir, "src")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	os.MkdirAll(filepath.Join(src, "a"), 0o755)
	os.MkdirAll(filepath.Join(src, "b"), 0o755)
	os.WriteFile(filepath.Join(src, "a", "x.txt"), []byte("linked"), 0o644)
	if err := os.Link(filepath.Join(src, "a", "x.txt"), filepath.Join(src, "b", "y.txt")); err != nil {
		t.Fatal(err)
	}
	if code, e := lb(t, "backup", "--repo", repo, src); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	out := filepath.Join(dir, "out")
	code, e := lb(t, "restore", "--repo", repo, "latest", "--to", out, "--include", "b/y.txt")
	if code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	if b, err := os.ReadFile(filepath.Join(out, "b", "y.txt")); err != nil || string(b) != "linked" {
		t.Errorf("b/y.txt: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(out, "a", "x.txt")); err == nil || strings.Contains(e, "warning") {
		t.Errorf("a/x.txt restored though not included, or a warning: %s", e)
	}
}

// TestRestoreXAttrsRefused: into a filesystem without extended attributes
// (ramfs, mounted in a mount namespace of the restore's own), restore
// writes everything, says once how many items lost their attributes, and
// exits 3; with --no-xattrs it exits 0.
func TestRestoreXAttrsRefused(t *testing.T) {
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("no unshare")
	}
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, src := filepath.Join(dir, "repo"), filepath.Join(dir, "src")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	os.MkdirAll(src, 0o755)
	if err := unix.Setxattr(src, "user.probe", []byte("x"), 0); err != nil {
		t.Skipf("this filesystem has no user extended attributes: %v", err)
	}
	linkSource(t, src)
	if code, e := lb(t, "backup", "--repo", repo, src); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	mnt := filepath.Join(dir, "ram")
	os.Mkdir(mnt, 0o700)
	restoreInRAM := func(extra ...string) (int, string) {
		script := `mount -t ramfs none "$1" || exit 99; shift; exec "$@"`
		args := append([]string{"-m", "--propagation", "private", "sh", "-c", script, "sh", mnt,
			os.Args[0], "restore", "--repo", repo, "latest", "--to", filepath.Join(mnt, "out")}, extra...)
		cmd := exec.Command(unshare, args...)
		cmd.Env = append(os.Environ(), "LIFEBOAT_TEST_MAIN=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Run()
		code := cmd.ProcessState.ExitCode()
		if code == 99 || strings.Contains(stderr.String(), "unshare failed") {
			t.Skipf("cannot mount a ramfs in a mount namespace: %s", stderr.String())
		}
		return code, stderr.String()
	}
	code, stderr := restoreInRAM()
	if code != exitPartial {
		t.Fatalf("restore into ramfs: exit %d, want %d; stderr:\n%s", code, exitPartial, stderr)
	}
	// a/again.jpg (the first name of a/photo.jpg's inode), b, disk.img
	want := "lifeboat: warning: a/again.jpg: extended attributes: not kept by the target (3 item(s)); --no-xattrs restores without them\n"
	if strings.Count(stderr, "extended attributes") != 1 || !strings.Contains(stderr, want) {
		t.Errorf("stderr, want one warning with %q:\n%s", want, stderr)
	}
	if code, stderr := restoreInRAM("--no-xattrs"); code != 0 {
		t.Errorf("restore --no-xattrs into ramfs: exit %d; stderr:\n%s", code, stderr)
	}
}

// TestRestoreDropsSetuid: setuid, setgid and sticky bits are not restored,
// on purpose; the permission bits are.
func TestRestoreDropsSetuid(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, src := filepath.Join(dir, "repo"), filepath.Join(dir, "src")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	os.MkdirAll(filepath.Join(src, "shared"), 0o755)
	os.WriteFile(filepath.Join(src, "tool"), []byte("#!/bin/sh\n"), 0o755)
	if err := os.Chmod(filepath.Join(src, "tool"), 0o755|os.ModeSetuid|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(src, "shared"), 0o775|os.ModeSticky|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	if code, e := lb(t, "backup", "--repo", repo, src); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	out := filepath.Join(dir, "out")
	if code, e := lb(t, "restore", "--repo", repo, "latest", "--to", out); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	for p, want := range map[string]os.FileMode{"tool": 0o755, "shared": os.ModeDir | 0o775} {
		fi, err := os.Stat(filepath.Join(out, p))
		if err != nil || fi.Mode() != want {
			t.Errorf("%s restored with mode %v (%v), want %v", p, fi.Mode(), err, want)
		}
	}
}

// TestRestoreDropsFileCaps: a program's file capabilities
// (security.capability, privileges like a setuid bit) are not restored,
// even by root.
func TestRestoreDropsFileCaps(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, src := filepath.Join(dir, "repo"), filepath.Join(dir, "src")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	os.MkdirAll(src, 0o755)
	tool := filepath.Join(src, "tool")
	os.WriteFile(tool, []byte("#!/bin/sh\n"), 0o755)
	// struct vfs_cap_data, revision 2, with CAP_NET_RAW (13) permitted and effective.
	// magic_etc 0x02000001 (revision 2, effective), permitted 1<<13, little-endian.
	caps := []byte{1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	if err := unix.Setxattr(tool, "security.capability", caps, 0); err != nil {
		t.Skipf("cannot set file capabilities here: %v", err)
	}
	if code, e := lb(t, "backup", "--repo", repo, src); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	out := filepath.Join(dir, "out")
	if code, e := lb(t, "restore", "--repo", repo, "latest", "--to", out); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	if _, err := xattr(filepath.Join(out, "tool"), "security.capability"); err == nil {
		t.Error("restore gave tool its file capabilities")
	}
}
