package cli

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
)

// proc is lifeboat running as a process of its own.
type proc struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	start  time.Time
	took   time.Duration
	code   int
}

func startLB(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(os.Args[0], args...)}
	p.cmd.Env = append(append(os.Environ(), "LIFEBOAT_TEST_MAIN=1"), env...)
	p.cmd.Stderr = &p.stderr
	p.start = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *proc) wait() *proc {
	p.cmd.Wait()
	p.took = time.Since(p.start)
	p.code = p.cmd.ProcessState.ExitCode()
	return p
}

// bigSource writes n files of size bytes of random data.
func bigSource(t *testing.T, dir string, n, size int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "DCIM"), 0o700); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, size)
	for i := range n {
		rand.Read(b)
		if err := os.WriteFile(filepath.Join(dir, "DCIM", fmt.Sprintf("VID_%03d.mp4", i)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// waitFor polls until cond holds, for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func countFiles(dir string) int {
	n := 0
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

func lockSetup(t *testing.T) (dir, repo, src string) {
	dir = t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, src = filepath.Join(dir, "repo"), filepath.Join(dir, "src")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	bigSource(t, src, 40, 3<<20)
	return dir, repo, src
}

// TestLockTwoBackups: a backup started while another holds the lock exits
// 11 within a second, naming the holder; the holder then commits. The
// holder is stopped (SIGSTOP) while it holds the lock: started together,
// one of two backups could finish before the other began on a loaded
// machine, and both would rightly exit 0.
func TestLockTwoBackups(t *testing.T) {
	_, repo, src := lockSetup(t)
	locks := filepath.Join(repo, "locks")
	a := startLB(t, nil, "backup", "--repo", repo, "--no-cache", src)
	waitFor(t, "the first backup's lock", func() bool { return countFiles(locks) > 0 })
	a.cmd.Process.Signal(syscall.SIGSTOP)
	if countFiles(locks) == 0 {
		a.cmd.Process.Signal(syscall.SIGCONT)
		t.Fatal("the first backup finished before it could be stopped")
	}
	b := startLB(t, nil, "backup", "--repo", repo, "--no-cache", src).wait()
	a.cmd.Process.Signal(syscall.SIGCONT)
	a.wait()
	if a.code != 0 || b.code != exitLocked {
		t.Fatalf("exit codes %d and %d, want 0 and 11\n%s\n%s", a.code, b.code, a.stderr.String(), b.stderr.String())
	}
	if b.took > 2*time.Second {
		t.Errorf("the refused backup took %v: it waited for the lock", b.took)
	}
	msg := b.stderr.String()
	if !strings.Contains(msg, "locked by another run") || !strings.Contains(msg, fmt.Sprintf("pid %d", a.cmd.Process.Pid)) {
		t.Errorf("the refusal does not name the holder: %s", msg)
	}
	if n := countFiles(locks); n != 0 {
		t.Errorf("%d lock(s) left behind", n)
	}
	if n := countFiles(filepath.Join(repo, "snapshots")); n != 1 {
		t.Errorf("%d snapshots, want the holder's one", n)
	}
}

// TestLockKilledHolder: a backup killed with SIGKILL leaves its lock; the
// next backup takes it over without any manual unlock.
func TestLockKilledHolder(t *testing.T) {
	_, repo, src := lockSetup(t)
	a := startLB(t, nil, "backup", "--repo", repo, src)
	waitFor(t, "the lock", func() bool { return countFiles(filepath.Join(repo, "locks")) > 0 })
	a.cmd.Process.Signal(syscall.SIGKILL)
	a.wait()
	if n := countFiles(filepath.Join(repo, "locks")); n != 1 {
		t.Fatalf("%d locks after the kill, want the dead run's one", n)
	}
	if code, e := lb(t, "backup", "--repo", repo, "--quiet", src); code != 0 {
		t.Fatalf("backup after a killed one: %d %s", code, e)
	}
	if code, e := lb(t, "check", "--repo", repo, "--read-data"); code != 0 {
		t.Fatalf("check: %d %s", code, e)
	}
}

// TestLockStoppedBackupAndPrune: a backup stopped (SIGSTOP, a laptop
// asleep) past its lock's expiry while prune runs aborts when it wakes,
// commits nothing, and leaves a repository that check passes and whose
// snapshots restore.
func TestLockStoppedBackupAndPrune(t *testing.T) {
	dir, repo, src := lockSetup(t)
	small := filepath.Join(dir, "small")
	bigSource(t, small, 2, 1<<20)
	if code, e := lb(t, "backup", "--repo", repo, "--quiet", small); code != 0 {
		t.Fatalf("first backup: %d %s", code, e)
	}
	packs := countFiles(filepath.Join(repo, "data"))
	env := []string{"LIFEBOAT_TEST_LOCK_EXPIRY=2s"}
	b := startLB(t, env, "backup", "--repo", repo, src)
	waitFor(t, "the backup's first pack", func() bool { return countFiles(filepath.Join(repo, "data")) > packs })
	b.cmd.Process.Signal(syscall.SIGSTOP)
	time.Sleep(2500 * time.Millisecond)
	pr := startLB(t, env, "prune", "--repo", repo).wait()
	if pr.code != 0 {
		b.cmd.Process.Signal(syscall.SIGCONT)
		b.wait()
		t.Fatalf("prune beside a stopped backup: %d %s", pr.code, pr.stderr.String())
	}
	// Prune removed the stopped backup's packs: no snapshot uses them.
	if n := countFiles(filepath.Join(repo, "data")); n != packs {
		t.Errorf("%d packs after prune, want the first backup's %d", n, packs)
	}
	b.cmd.Process.Signal(syscall.SIGCONT)
	b.wait()
	if b.code == 0 || !strings.Contains(b.stderr.String(), "lock expired") {
		t.Fatalf("the woken backup: exit %d: %s", b.code, b.stderr.String())
	}
	if code, e := lb(t, "check", "--repo", repo, "--read-data"); code != 0 {
		t.Fatalf("check after: %d %s", code, e)
	}
	if n := countFiles(filepath.Join(repo, "snapshots")); n != 1 {
		t.Fatalf("%d snapshots, want only the first: the stopped backup committed", n)
	}
	out := filepath.Join(dir, "restored")
	if code, e := lb(t, "restore", "latest", "--repo", repo, "--to", out); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	a, _ := os.ReadFile(filepath.Join(small, "DCIM", "VID_000.mp4"))
	r, _ := os.ReadFile(filepath.Join(out, "DCIM", "VID_000.mp4"))
	if !bytes.Equal(a, r) {
		t.Fatal("the snapshot from before does not restore")
	}
	// The next backup runs normally.
	if code, e := lb(t, "backup", "--repo", repo, "--quiet", src); code != 0 {
		t.Fatalf("backup after: %d %s", code, e)
	}
}

// TestKillPrune kills prune at several moments: after each kill, check
// passes and the kept snapshot restores; a prune run to the end then
// frees what the forgotten snapshots used.
func TestKillPrune(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, src := filepath.Join(dir, "repo"), filepath.Join(dir, "src")
	if code, e := lb(t, "init", "--repo", repo); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	garbage := func() {
		for range 4 {
			os.RemoveAll(src)
			bigSource(t, src, 3, 700<<10)
			if code, e := lb(t, "backup", "--repo", repo, "--quiet", src); code != 0 {
				t.Fatalf("backup: %d %s", code, e)
			}
		}
		if code, e := lb(t, "forget", "--repo", repo, "--keep-last", "1", "--quiet"); code != 0 {
			t.Fatalf("forget: %d %s", code, e)
		}
	}
	// Kill at fractions of how long a whole prune takes here, so that most
	// kills land inside a prune on a fast machine and on a loaded one: the
	// shortest of three, since one slowed by a busy machine (208 ms against
	// 20 ms) put every kill after the prunes had finished.
	var whole time.Duration
	for i := range 3 {
		garbage()
		p := startLB(t, nil, "prune", "--repo", repo, "--quiet").wait()
		if p.code != 0 {
			t.Fatalf("prune: %d %s", p.code, p.stderr.String())
		}
		if i == 0 || p.took < whole {
			whole = p.took
		}
	}
	killed := 0
	for _, f := range []float64{0.3, 0.45, 0.6, 0.7, 0.8, 0.9} {
		garbage()
		p := startLB(t, nil, "prune", "--repo", repo)
		delay := time.Duration(f * float64(whole))
		time.Sleep(delay)
		p.cmd.Process.Signal(syscall.SIGKILL)
		if p.wait(); p.code != 0 {
			killed++
		}
		if code, e := lb(t, "check", "--repo", repo, "--read-data"); code != 0 {
			t.Fatalf("check after prune killed at %v: %d %s", delay, code, e)
		}
	}
	t.Logf("%d of 6 prunes killed (a whole prune took %v)", killed, whole)
	garbage()
	before := countFiles(filepath.Join(repo, "data"))
	if killed < 3 {
		t.Errorf("only %d prunes were killed before they finished", killed)
	}
	if code, e := lb(t, "prune", "--repo", repo, "--quiet"); code != 0 {
		t.Fatalf("prune: %d %s", code, e)
	}
	if code, e := lb(t, "check", "--repo", repo, "--read-data"); code != 0 {
		t.Fatalf("final check: %d %s", code, e)
	}
	if after := countFiles(filepath.Join(repo, "data")); after > before/3 {
		t.Errorf("%d packs before prune, %d after: little was freed", before, after)
	}
	out := filepath.Join(dir, "restored")
	if code, e := lb(t, "restore", "latest", "--repo", repo, "--to", out); code != 0 {
		t.Fatalf("restore: %d %s", code, e)
	}
	testrepo.SameBytes(t, src, out)
}

// TestPruneRepacks: a pack whose blobs are half unused is rewritten: its
// used blobs move to a new pack, the old one goes, the space comes back,
// and the mirror gets the same.
func TestPruneRepacks(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repo, usb, src := filepath.Join(dir, "repo"), filepath.Join(dir, "usb"), filepath.Join(dir, "src")
	if code, e := lb(t, "init", "--repo", repo, "--mirror", usb); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	bigSource(t, src, 6, 60<<10) // small: the session writes them as one pack
	if code, e := lb(t, "backup", "--repo", repo, "--mirror", usb, "--quiet", src); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	for i := range 4 {
		os.Remove(filepath.Join(src, "DCIM", fmt.Sprintf("VID_%03d.mp4", i)))
	}
	if code, e := lb(t, "backup", "--repo", repo, "--mirror", usb, "--quiet", src); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	size := func(d string) (n int64) {
		filepath.Walk(filepath.Join(d, "data"), func(_ string, fi os.FileInfo, err error) error {
			if err == nil && fi.Mode().IsRegular() {
				n += fi.Size()
			}
			return nil
		})
		return n
	}
	before := size(repo)
	oldIndex, _ := filepath.Glob(filepath.Join(usb, "index", "*"))
	saved := map[string][]byte{}
	for _, f := range oldIndex {
		saved[f], _ = os.ReadFile(f)
	}
	var out, errb bytes.Buffer
	code := Run([]string{"lifeboat", "forget", "--repo", repo, "--mirror", usb, "--keep-last", "1", "--prune"}, &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "mostly unused: their blobs in use were moved") {
		t.Fatalf("forget --prune: %d\n%s%s", code, out.String(), errb.String())
	}
	for _, d := range []string{repo, usb} {
		if after := size(d); after > before-(200<<10) || after < 120<<10 {
			t.Errorf("%s: %d bytes of packs before prune, %d after; want about 240 KiB less", d, before, after)
		}
	}
	if code, e := lb(t, "check", "--repo", repo, "--mirror", usb, "--read-data"); code != 0 {
		t.Fatalf("check: %d %s", code, e)
	}
	// A prune interrupted on the mirror left its old index files there
	// (naming packs that are gone): the next prune removes them too.
	for f, b := range saved {
		os.WriteFile(f, b, 0o600)
	}
	if code, e := lb(t, "prune", "--repo", repo, "--mirror", usb, "--quiet"); code != 0 {
		t.Fatalf("prune again: %d %s", code, e)
	}
	if left, _ := filepath.Glob(filepath.Join(usb, "index", "*")); len(left) != 1 {
		t.Errorf("%d index files on the mirror after prune, want 1", len(left))
	}
	if code, e := lb(t, "check", "--repo", repo, "--mirror", usb, "--read-data"); code != 0 {
		t.Fatalf("check after the second prune: %d %s", code, e)
	}
	restored := filepath.Join(dir, "out")
	if code, e := lb(t, "restore", "latest", "--repo", usb, "--to", restored); code != 0 {
		t.Fatalf("restore from the mirror: %d %s", code, e)
	}
	testrepo.SameBytes(t, src, restored)
}

// TestReadLock: a prune in progress (another machine's lock) keeps
// restore out with exit 11; a backup in progress does not.
func TestReadLock(t *testing.T) {
	dir, repo, _ := lockSetup(t)
	small := filepath.Join(dir, "small")
	bigSource(t, small, 1, 1000)
	if code, e := lb(t, "backup", "--repo", repo, "--quiet", small); code != 0 {
		t.Fatalf("backup: %d %s", code, e)
	}
	plant := func(kind string) {
		now := time.Now().UTC().Format(time.RFC3339)
		b := fmt.Sprintf(`{"kind":%q,"command":%q,"host":"elsewhere","pid":1,"created":%q,"refreshed":%q}`, kind, kind, now, now)
		if err := os.WriteFile(filepath.Join(repo, "locks", "0123456789abcdef0123456789abcdef"), []byte(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(repo, "locks"), 0o700)
	plant("prune")
	code, e := lb(t, "restore", "latest", "--repo", repo, "--to", filepath.Join(dir, "out1"))
	if code != exitLocked || !strings.Contains(e, "prune (pid 1 on elsewhere") {
		t.Fatalf("restore during a prune: %d %s", code, e)
	}
	plant("write")
	if code, e := lb(t, "restore", "latest", "--repo", repo, "--to", filepath.Join(dir, "out2")); code != 0 {
		t.Fatalf("restore during a backup: %d %s", code, e)
	}
	if code, e := lb(t, "backup", "--repo", repo, small); code != exitLocked || !strings.Contains(e, "hint: wait for that run") {
		t.Fatalf("backup during a backup: %d %s", code, e)
	}
}
