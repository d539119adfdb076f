package cli

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestInterruptCommitsNothing: SIGINT during a backup exits 130 and leaves
// no new snapshot.
func TestInterruptCommitsNothing(t *testing.T) {
	// Keep the default action of SIGINT (exit) away from this test process
	// for the whole test, whatever run's own handler does.
	guard := make(chan os.Signal, 1)
	signal.Notify(guard, os.Interrupt)
	defer signal.Stop(guard)

	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	for i := range 40 {
		b := make([]byte, 4<<20)
		rand.NewChaCha8([32]byte{byte(i)}).Read(b)
		os.WriteFile(filepath.Join(src, "IMG_"+string(rune('a'+i%26))+string(rune('a'+i/26))+".jpg"), b, 0o644)
	}
	repoDir := filepath.Join(dir, "repo")
	var out, errb bytes.Buffer
	if code := Run([]string{"lifeboat", "init", "--repo", repoDir}, &out, &errb); code != 0 {
		t.Fatalf("init: %d %s", code, errb.String())
	}
	done := make(chan int, 1)
	go func() { done <- Run([]string{"lifeboat", "backup", "--repo", repoDir, src}, &out, &errb) }()
	time.Sleep(30 * time.Millisecond)
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	code := <-done
	if code != exitInterrupt {
		t.Fatalf("exit code %d, want %d; stderr: %s", code, exitInterrupt, errb.String())
	}
	if snaps, _ := filepath.Glob(filepath.Join(repoDir, "snapshots", "*")); len(snaps) != 0 {
		t.Fatalf("interrupted backup committed %d snapshot(s)", len(snaps))
	}
	if !bytes.Contains(errb.Bytes(), []byte("interrupted")) {
		t.Errorf("stderr does not say interrupted: %s", errb.String())
	}
}
