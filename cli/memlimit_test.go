package cli

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// waitLimit waits for the memory limit to leave math.MaxInt64.
func waitLimit(t *testing.T) int64 {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
			return l
		}
	}
	t.Fatal("the memory limit was never set")
	return 0
}

// TestHoldMemory: a backup's hold sets a limit above the live heap by at
// least memHeadroom, nested holds share it, and the last release puts
// back the limit there was.
func TestHoldMemory(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "")
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		t.Skipf("the process has a memory limit already (%d)", l)
	}
	release1 := holdMemory()
	release2 := holdMemory()
	l := waitLimit(t)
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if live := s[0].Value.Uint64(); l < int64(live)+memHeadroom {
		t.Fatalf("limit %d below the live heap %d plus %d", l, live, memHeadroom)
	}
	release1()
	time.Sleep(120 * time.Millisecond)
	if got := debug.SetMemoryLimit(-1); got == math.MaxInt64 {
		t.Fatal("the first release dropped the limit while a backup still holds it")
	}
	release2()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Fatalf("after the last release the limit is %d, want none", got)
	}
}

// TestHoldMemoryRespectsEnv: GOGC or GOMEMLIMIT in the environment leaves
// the limit alone.
func TestHoldMemoryRespectsEnv(t *testing.T) {
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(v, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", "")
			t.Setenv("GOGC", "")
			t.Setenv(v, "200")
			before := debug.SetMemoryLimit(-1)
			release := holdMemory()
			time.Sleep(120 * time.Millisecond)
			got := debug.SetMemoryLimit(-1)
			release()
			if got != before {
				t.Fatalf("with %s set the limit moved from %d to %d", v, before, got)
			}
		})
	}
}
