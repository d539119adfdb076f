package mirror

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// TestEachBound: each runs every name, never more than Parallel at once.
func TestEachBound(t *testing.T) {
	defer func(p int) { Parallel = p }(Parallel)
	Parallel = 3
	var running, peak, calls atomic.Int32
	names := make([]string, 40)
	for i := range names {
		names[i] = fmt.Sprint(i)
	}
	err := each(context.Background(), names, func(ctx context.Context, name string) error {
		n := running.Add(1)
		defer running.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		calls.Add(1)
		time.Sleep(time.Millisecond)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 40 {
		t.Errorf("%d calls, want 40", calls.Load())
	}
	if peak.Load() > 3 || peak.Load() < 2 {
		t.Errorf("at most %d ran at once, want 2 or 3", peak.Load())
	}
}

// TestEachStops: after an error no new call starts, the calls running
// finish before each returns, and the error is the first one.
func TestEachStops(t *testing.T) {
	defer func(p int) { Parallel = p }(Parallel)
	Parallel = 2
	boom := errors.New("boom")
	var calls, running atomic.Int32
	names := make([]string, 100)
	err := each(context.Background(), names, func(ctx context.Context, name string) error {
		running.Add(1)
		defer running.Add(-1)
		if calls.Add(1) == 5 {
			return boom
		}
		<-time.After(time.Millisecond)
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want boom", err)
	}
	if n := int(calls.Load()); n > 5+Parallel {
		t.Errorf("%d calls started after the error", n-5)
	}
	if running.Load() != 0 {
		t.Error("each returned while calls were still running")
	}
}
