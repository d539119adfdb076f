package cli

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestCronConditions runs init and backup as cron would: no terminal,
// an environment of only HOME and PATH, umask 000. backup --quiet prints
// nothing and exits 0, nothing waits for a prompt, and every file
// lifeboat writes is private (0600, folders 0700) whatever the umask.
func TestCronConditions(t *testing.T) {
	home := t.TempDir()
	src := filepath.Join(t.TempDir(), "phone")
	if err := copyTree(filepath.Join("..", "testdata", "phone"), src); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, string, string) {
		cmd := exec.Command("/bin/sh", append([]string{"-c", `umask 000; exec "$@"`, "sh", os.Args[0]}, args...)...)
		// LIFEBOAT_TEST_MAIN only makes the test binary act as lifeboat.
		cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin", "LIFEBOAT_TEST_MAIN=1"}
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr, cmd.Stdin = &out, &errb, nil
		cmd.Run()
		return cmd.ProcessState.ExitCode(), out.String(), errb.String()
	}
	if code, _, e := run("init", "--quiet"); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	for i := range 2 {
		code, out, e := run("backup", "--quiet", src)
		if code != 0 || out != "" || e != "" {
			t.Fatalf("backup %d under cron: exit %d, stdout %q, stderr %q", i, code, out, e)
		}
	}
	// A key it cannot prompt for is an error, not a wait.
	id := filepath.Join(home, ".config", "lifeboat", "identity.txt")
	if err := os.Rename(id, id+".away"); err != nil {
		t.Fatal(err)
	}
	if code, _, e := run("restore", "latest", "--to", filepath.Join(home, "out")); code == 0 || e == "" {
		t.Fatalf("restore without a key under cron: %d %q", code, e)
	}
	// Backups never need it: the identity can live off the machine.
	if code, out, e := run("backup", "--quiet", src); code != 0 || out != "" || e != "" {
		t.Fatalf("backup without the identity on the machine: exit %d, stdout %q, stderr %q", code, out, e)
	}
	os.Rename(id+".away", id)
	n := 0
	filepath.WalkDir(home, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, _ := d.Info()
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if p != home && fi.Mode().Perm()&^want != 0 {
			t.Errorf("%s: mode %v, want at most %v", p, fi.Mode().Perm(), want)
		}
		n++
		return nil
	})
	if n < 15 {
		t.Fatalf("only %d files and folders under HOME: where did the repository go?", n)
	}
}
