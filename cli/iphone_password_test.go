package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/iosgen"
)

// lbProcess runs the lifeboat command as a process of its own and gives
// its exit code, stdout and stderr.
func lbProcess(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "LIFEBOAT_TEST_MAIN=1"), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// TestIPhonePasswordErrors: an encrypted iPhone backup backed up by the
// lifeboat binary with no --ios-password-file (or an empty one), with a
// wrong password (given by flag or by LIFEBOAT_IOS_PASSWORD_FILE), or
// with the right one in a file others can read: exit 12 with a hint for
// the first ones, exit 2 with chmod's hint (ErrInsecureFile) for the last; nothing is committed, and no password
// (right or wrong) ever shows on stdout or stderr, even with -v.
func TestIPhonePasswordErrors(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	const right, wrong = "Correct-Horse-7781", "Wrong-Battery-5530"
	b := smokeBackup(t, filepath.Join(dir, "enc"), []byte(right))
	secret := func(name, pw string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(pw+"\n"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // past the umask
			t.Fatal(err)
		}
		return p
	}
	good, bad, open := secret("good", right, 0o600), secret("bad", wrong, 0o600), secret("open", right, 0o644)
	empty := secret("empty", "", 0o600)
	leaks := func(what, out, errs string) {
		for _, pw := range []string{right, wrong} {
			if strings.Contains(out, pw) || strings.Contains(errs, pw) {
				t.Errorf("%s: the password %q shows in the output:\n%s\n%s", what, pw, out, errs)
			}
		}
	}
	snapshots := func() string {
		code, out, e := lbProcess(t, nil, "snapshots", "--repo", repoDir, "--json")
		if code != 0 {
			t.Fatalf("snapshots: %d %s", code, e)
		}
		return out
	}

	// One backup with the right password, so that there is a list to keep.
	code, out, e := lbProcess(t, nil, "backup", "--repo", repoDir, "-v", "--ios-password-file", good, b.Dir)
	leaks("backup with the right password", out, e)
	if code != 0 {
		t.Fatalf("backup with the right password: %d\n%s", code, e)
	}
	before := snapshots()
	if !strings.Contains(before, b.Dir) {
		t.Fatalf("snapshots do not list %s: %s", b.Dir, before)
	}

	for _, c := range []struct {
		name     string
		env      []string
		args     []string
		code     int
		hintSays string
	}{
		{"no password file", nil, nil, exitWrongKey, "--ios-password-file"},
		{"wrong password", nil, []string{"--ios-password-file", bad}, exitWrongKey, "Encrypt local backup"},
		{"wrong password by env", []string{"LIFEBOAT_IOS_PASSWORD_FILE=" + bad}, nil, exitWrongKey, "Encrypt local backup"},
		{"empty password file", nil, []string{"--ios-password-file", empty}, exitWrongKey, "--ios-password-file"},
		{"password file 0644", nil, []string{"--ios-password-file", open}, exitUsage, "chmod 600"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append(append([]string{"backup", "--repo", repoDir, "-v"}, c.args...), b.Dir)
			code, out, e := lbProcess(t, c.env, args...)
			leaks(c.name, out, e)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, c.code, e)
			}
			var hint string
			for _, l := range strings.Split(e, "\n") {
				if h, ok := strings.CutPrefix(l, "lifeboat: hint: "); ok {
					hint = h
				}
			}
			if !strings.Contains(hint, c.hintSays) {
				t.Errorf("hint %q does not say %q; stderr:\n%s", hint, c.hintSays, e)
			}
			if after := snapshots(); after != before {
				t.Errorf("a refused backup changed the snapshots:\n%s\nwant\n%s", after, before)
			}
		})
	}
}

// TestIPhoneInterruptWhileUnlocking: SIGINT while the binary derives an
// encrypted iPhone backup's key (iOS's 10,000,000 rounds of
// PBKDF2-SHA256, seconds) ends it within a second with exit 130, and
// nothing is committed.
func TestIPhoneInterruptWhileUnlocking(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	pw := []byte("slow to unlock")
	b, err := iosgen.Write(filepath.Join(dir, "enc"), iosgen.Options{Password: pw, DPIC: 10_000_000, Files: iosgen.DefaultFiles()})
	if err != nil {
		t.Fatal(err)
	}
	pf := filepath.Join(dir, "pw")
	if err := os.WriteFile(pf, pw, 0o600); err != nil {
		t.Fatal(err)
	}
	p := startLB(t, nil, "backup", "--repo", repoDir, "--ios-password-file", pf, b.Dir)
	time.Sleep(500 * time.Millisecond)
	sent := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatalf("backup ended before the signal: %v", err)
	}
	p.wait()
	if took := time.Since(sent); p.code != exitInterrupt || took > time.Second {
		t.Errorf("exit %d after %v, want %d within a second; stderr: %s", p.code, took.Round(time.Millisecond), exitInterrupt, p.stderr.String())
	}
	if code, out, e := lbOut(t, "snapshots", "--repo", repoDir, "--json"); code != 0 || strings.Contains(out, b.Dir) {
		t.Errorf("snapshots after the interrupt: %d %s %s", code, out, e)
	}
}
