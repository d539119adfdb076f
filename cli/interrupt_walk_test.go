package cli

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/forge"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// TestInterruptLongWalk: a forged snapshot that names 3 million paths
// (60 folders that are one folder of 50,000 files: within the bounds
// walks accept) keeps ls and restore busy for long; SIGINT stops each
// within a second, with exit 130, and so does SIGTERM (a forged tree used to make check and
// ls ignore SIGINT and SIGTERM).
func TestInterruptLongWalk(t *testing.T) {
	dir := t.TempDir()
	homeEnv(t, filepath.Join(dir, "home"))
	repoDir := filepath.Join(dir, "repo")
	if code, e := lb(t, "init", "--repo", repoDir); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	ctx := context.Background()
	r, err := repo.Open(ctx, store.NewLocal(repoDir), repo.Keys{}, repo.AccessWrite)
	if err != nil {
		t.Fatal(err)
	}
	f := forge.New(ctx, r)
	wide, err := f.Wide(50_000)
	if err != nil {
		t.Fatal(err)
	}
	root, err := f.Copies(wide, 60)
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.Commit("/forged/long", root)
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sig  syscall.Signal
		args []string
	}{
		{syscall.SIGINT, []string{"ls", "--repo", repoDir, id.String()}},
		{syscall.SIGTERM, []string{"ls", "--repo", repoDir, id.String()}},
		{syscall.SIGINT, []string{"restore", "--repo", repoDir, id.String(), "--to", filepath.Join(dir, "out")}},
	} {
		args := c.args
		p := startLB(t, nil, args...)
		time.Sleep(time.Second)
		sent := time.Now()
		if err := p.cmd.Process.Signal(c.sig); err != nil {
			t.Fatalf("%s ended before the signal: %v", args[0], err)
		}
		p.wait()
		if took := time.Since(sent); p.code != exitInterrupt || took > time.Second {
			t.Errorf("%s: exit %d %s after %v, want %d within a second; stderr: %s",
				args[0], p.code, took.Round(time.Millisecond), c.sig, exitInterrupt, p.stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err != nil {
		t.Errorf("restore had not started: %v", err)
	}
}
