package lock

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/store"
)

func newStore(t *testing.T) store.Store {
	s := store.NewLocal(t.TempDir())
	if err := store.MakeRoot(s); err != nil {
		t.Fatal(err)
	}
	return s
}

func count(t *testing.T, s store.Store) int {
	n := 0
	s.List(t.Context(), "locks", func(string, int64) error { n++; return nil })
	return n
}

func TestConflicts(t *testing.T) {
	for _, tc := range []struct {
		held, want Kind
		ok         bool
	}{
		{Write, Write, false}, {Write, Read, true}, {Read, Write, true}, {Read, Read, true},
		{Prune, Read, false}, {Read, Prune, false}, {Write, Prune, false}, {Prune, Write, false}, {Prune, Prune, false},
	} {
		s := newStore(t)
		a, err := Acquire(t.Context(), s, tc.held, "first")
		if err != nil {
			t.Fatal(err)
		}
		b, err := Acquire(t.Context(), s, tc.want, "second")
		if tc.ok != (err == nil) {
			t.Errorf("%s held, %s wanted: %v", tc.held, tc.want, err)
		}
		var he *HeldError
		if err != nil && (!errors.As(err, &he) || he.Holder.Command != "first" || !errors.Is(err, ErrLocked)) {
			t.Errorf("%s held, %s wanted: error %v does not name the holder", tc.held, tc.want, err)
		}
		if b != nil {
			b.Release()
		}
		a.Release()
		if n := count(t, s); n != 0 {
			t.Errorf("%d locks left after release", n)
		}
	}
}

// TestRace: runs that start at once end with exactly one holder.
func TestRace(t *testing.T) {
	for round := range 10 {
		s := newStore(t)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var won []*Lock
		lost := 0
		for range 6 {
			wg.Go(func() {
				l, err := Acquire(context.Background(), s, Write, "backup")
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					won = append(won, l)
				} else if errors.Is(err, ErrLocked) {
					lost++
				} else {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if len(won) != 1 || lost != 5 {
			t.Fatalf("round %d: %d runs took the lock, %d were refused", round, len(won), lost)
		}
		won[0].Release()
	}
}

func plant(t *testing.T, s store.Store, name string, info Info) {
	b, _ := json.Marshal(info)
	if err := store.Save(t.Context(), s, name, b); err != nil {
		t.Fatal(err)
	}
}

func TestStaleLocksAreTakenOver(t *testing.T) {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no true(1)")
	}
	dead := cmd.Process.Pid
	now := time.Now().UTC()
	for _, tc := range []struct {
		name string
		info Info
	}{
		{"dead process here", Info{Kind: Write, Host: hostname(), Boot: bootID(), PIDNS: pidNS(), PID: dead, Created: now, Refreshed: now}},
		{"not refreshed elsewhere", Info{Kind: Write, Host: "other-laptop", PID: 1, Created: now.Add(-2 * Expiry), Refreshed: now.Add(-Expiry - time.Minute)}},
		{"dated far ahead", Info{Kind: Prune, Host: "other-laptop", PID: 1, Created: now.AddDate(900, 0, 0), Refreshed: now.AddDate(900, 0, 0)}},
	} {
		s := newStore(t)
		plant(t, s, "locks/old", tc.info)
		l, err := Acquire(t.Context(), s, Write, "backup")
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if _, err := s.Stat(t.Context(), "locks/old"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: the stale lock is still there: %v", tc.name, err)
		}
		l.Release()
	}
	// Live ones are not: a fresh lock of another machine, and one of a
	// live process here (this one).
	for _, info := range []Info{
		{Kind: Write, Host: "other-laptop", PID: 1, Created: now, Refreshed: now},
		{Kind: Write, Host: hostname(), Boot: bootID(), PIDNS: pidNS(), PID: 1, Created: now.Add(-time.Hour), Refreshed: now},
		// A container with the same hostname on the same kernel: its pid
		// means nothing here, so only the expiry can make it stale.
		{Kind: Write, Host: hostname(), Boot: bootID(), PIDNS: "pid:[1]", PID: dead, Created: now, Refreshed: now},
	} {
		s := newStore(t)
		plant(t, s, "locks/live", info)
		if _, err := Acquire(t.Context(), s, Write, "backup"); !errors.Is(err, ErrLocked) {
			t.Errorf("a live lock of %s was not respected: %v", info.Host, err)
		}
	}
}

func TestUnreadableLockIsStale(t *testing.T) {
	s := newStore(t)
	if err := store.Save(t.Context(), s, "locks/junk", []byte("\x00not json")); err != nil {
		t.Fatal(err)
	}
	l, err := Acquire(t.Context(), s, Prune, "prune")
	if err != nil {
		t.Fatalf("an unreadable lock blocks: %v", err)
	}
	l.Release()
}

func TestLostLock(t *testing.T) {
	old := Expiry
	Expiry = 600 * time.Millisecond
	defer func() { Expiry = old }()

	// Removed by another run (a prune that found it stale).
	s := newStore(t)
	l, err := Acquire(t.Context(), s, Write, "backup")
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Check(t.Context()); err != nil {
		t.Fatalf("Check of a fresh lock: %v", err)
	}
	s.List(t.Context(), "locks", func(name string, _ int64) error { return s.Remove(t.Context(), name) })
	if err := l.Check(t.Context()); !errors.Is(err, ErrLost) {
		t.Fatalf("Check after the lock was removed: %v", err)
	}
	if n := count(t, s); n != 0 {
		t.Errorf("a lost lock was written back: %d locks", n)
	}
	l.Release()

	// Not refreshed for too long (the process was stopped).
	l, err = Acquire(t.Context(), s, Write, "backup")
	if err != nil {
		t.Fatal(err)
	}
	l.mu.Lock()
	l.lastOK = l.lastOK.Add(-Expiry)
	l.mu.Unlock()
	if err := l.Check(t.Context()); !errors.Is(err, ErrLost) {
		t.Fatalf("Check after a long stop: %v", err)
	}
	l.Release()
}

// TestRefresh: a lock stays fresh while its run lasts.
func TestRefresh(t *testing.T) {
	old := Expiry
	Expiry = 600 * time.Millisecond
	defer func() { Expiry = old }()
	s := newStore(t)
	l, err := Acquire(t.Context(), s, Write, "backup")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	time.Sleep(2 * Expiry)
	if err := l.Check(t.Context()); err != nil {
		t.Fatalf("a refreshed lock was lost: %v", err)
	}
	if _, err := Acquire(t.Context(), s, Write, "other"); !errors.Is(err, ErrLocked) {
		t.Fatalf("a refreshed lock was taken over: %v", err)
	}
}

// TestStaleByProcessHere (issue 11, item 10): on this machine a running
// process's lock is live whatever its times say (a run whose clock is an
// hour off does not take it over); its pid used by another process (a
// start time that differs) is stale; a stopped process goes by the times.
func TestStaleByProcessHere(t *testing.T) {
	now := time.Now().UTC()
	self, ok := readProc(os.Getpid())
	if !ok {
		t.Skip("no /proc")
	}
	here := func(pid int, start uint64, refreshed time.Time) Info {
		return Info{Kind: Write, Host: hostname(), Boot: bootID(), PIDNS: pidNS(), PID: pid, Start: start,
			Created: refreshed, Refreshed: refreshed}
	}
	for _, d := range []time.Duration{-time.Hour - Expiry, time.Hour + Expiry} {
		if Stale(here(os.Getpid(), self.start, now.Add(d)), now) {
			t.Errorf("the lock of a running process here, refreshed %v from now, is stale", d)
		}
	}
	if !Stale(here(os.Getpid(), self.start+1, now), now) {
		t.Error("a lock whose pid now belongs to a process started at another time is not stale")
	}
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep(1)")
	}
	defer cmd.Process.Kill()
	cmd.Process.Signal(syscall.SIGSTOP)
	for range 100 {
		if p, _ := readProc(cmd.Process.Pid); p.stopped {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	p, _ := readProc(cmd.Process.Pid)
	if !Stale(here(cmd.Process.Pid, p.start, now.Add(-Expiry-time.Minute)), now) {
		t.Error("the expired lock of a stopped process here is not stale")
	}
	if Stale(here(cmd.Process.Pid, p.start, now), now) {
		t.Error("the fresh lock of a stopped process here is stale")
	}
}
