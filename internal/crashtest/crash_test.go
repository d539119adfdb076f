package crashtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/backup"
	"github.com/lifeboat-backup/lifeboat/check"
	"github.com/lifeboat-backup/lifeboat/internal/testrepo"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// TestMain doubles as the child process that the test kills: with
// LIFEBOAT_CRASH_CHILD set, it runs one backup and exits.
func TestMain(m *testing.M) {
	if os.Getenv("LIFEBOAT_CRASH_CHILD") == "1" {
		os.Exit(child())
	}
	os.Exit(m.Run())
}

func child() int {
	k := repo.Keys{KeyDir: os.Getenv("LB_KEYDIR"), DefaultIdentityFile: "/nonexistent"}
	r, err := repo.Open(context.Background(), store.NewLocal(os.Getenv("LB_REPO")), k, repo.AccessWrite)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_, err = backup.Run(context.Background(), r, backup.Options{Source: os.Getenv("LB_SRC"), CacheDir: os.Getenv("LB_CACHE")})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func fill(t *testing.T, dir string, seed uint64, files int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, seed))
	for i := range files {
		b := make([]byte, 256<<10+rng.IntN(1<<20))
		rand.NewChaCha8([32]byte{byte(seed), byte(i), byte(i >> 8)}).Read(b)
		p := filepath.Join(dir, "DCIM", fmt.Sprintf("IMG_%d_%04d.jpg", seed, i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestKill9 kills a backup at several moments. After each kill, check
// passes, the earlier snapshot restores byte for byte, and in the end a
// backup completes.
func TestKill9(t *testing.T) {
	e := testrepo.New(t)
	src := filepath.Join(t.TempDir(), "src")
	fill(t, src, 1, 20)
	first := e.Backup(t, src)
	reference := e.Restore(t, first.ID)
	killed := 0
	for i, delay := range []time.Duration{2, 10, 25, 50, 80, 120} {
		delay *= time.Millisecond
		fill(t, src, uint64(10+i), 40) // new work for every run
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "LIFEBOAT_CRASH_CHILD=1", "LB_REPO="+e.Repo, "LB_SRC="+src,
			"LB_KEYDIR="+e.Keys.KeyDir, "LB_CACHE="+e.CacheDir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		t.Logf("killed after %v: %v", delay, err)
		if err != nil {
			killed++
		}

		r := e.Open(t, repo.AccessRead)
		if rep, err := check.Run(context.Background(), r, check.Options{ReadData: true}); err != nil {
			t.Fatalf("after kill at %v: check: %v %v", delay, err, rep.Problems)
		}
		testrepo.SameTree(t, reference, e.Restore(t, first.ID))
	}
	if killed < 3 {
		t.Fatalf("only %d of the backups were killed before they finished", killed)
	}
	last := e.Backup(t, src)
	testrepo.SameTree(t, src, e.Restore(t, last.ID))
	r := e.Open(t, repo.AccessRead)
	if rep, err := check.Run(context.Background(), r, check.Options{ReadData: true}); err != nil {
		t.Fatalf("final check: %v %v", err, rep.Problems)
	}
}
