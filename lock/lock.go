// Package lock keeps two runs from writing one repository at once. A lock
// is a small object locks/NAME in the store, refreshed while its run
// lasts. A lock whose process is gone (same machine) or that was not
// refreshed for Expiry (a killed run elsewhere, a suspended laptop) is
// stale: the next run removes it. A run that finds its own lock stale or
// gone before it commits aborts instead, so prune never deletes data that
// a live run will still reference. docs/FORMAT.md states the rules.
package lock

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lifeboat-backup/lifeboat/store"
)

// Kind says what a run does, and so which other runs it excludes.
type Kind string

const (
	// Read runs (restore, export) exclude only Prune.
	Read Kind = "read"
	// Write runs (backup, sync, forget, key changes) exclude each other
	// and Prune.
	Write Kind = "write"
	// Prune deletes data and excludes every other run.
	Prune Kind = "prune"
)

// conflicts reports whether runs of kinds a and b cannot run together.
func conflicts(a, b Kind) bool {
	return a == Prune || b == Prune || (a == Write && b == Write)
}

// Expiry is how long a lock stays valid without a refresh; a run
// refreshes its lock every Expiry/6.
var Expiry = 30 * time.Minute

// Info is a lock's content. It is not encrypted: it names the machine,
// the process and the command, never anything backed up.
type Info struct {
	Kind    Kind   `json:"kind"`
	Command string `json:"command"`
	Host    string `json:"host"`
	Boot    string `json:"boot,omitempty"`  // the machine's boot id: a pid is only meaningful within one boot
	PIDNS   string `json:"pidns,omitempty"` // and within one pid namespace (containers share a boot id)
	PID     int    `json:"pid"`
	// Start is the process's start time (clock ticks after boot, from
	// /proc/PID/stat), so that a pid used again by another process after
	// the run died is not taken for the run.
	Start     uint64    `json:"start,omitempty"`
	User      string    `json:"user,omitempty"`
	Created   time.Time `json:"created"`
	Refreshed time.Time `json:"refreshed"`
}

// ErrLocked is returned when another run holds a conflicting lock.
var ErrLocked = errors.New("the repository is locked by another run")

// ErrLost is returned by Check when this run's lock expired or was
// removed: the run must not commit.
var ErrLost = errors.New("this run's lock expired or was removed (was the machine suspended?); nothing was committed")

// HeldError names the run that holds the lock.
type HeldError struct {
	Location string
	Holder   Info
}

func (e *HeldError) Error() string {
	h := e.Holder
	return fmt.Sprintf("%s: %v: %s (pid %d on %s, since %s)", e.Location, ErrLocked, h.Command, h.PID, h.Host,
		h.Created.Local().Format("2006-01-02 15:04:05"))
}

func (e *HeldError) Unwrap() error { return ErrLocked }

// Lock is a lock held by this process.
type Lock struct {
	st   store.Store
	name string

	mu       sync.Mutex
	info     Info
	lastOK   time.Time // last successful write, with its monotonic reading
	lost     bool
	released bool

	stop chan struct{}
	done chan struct{}
}

// Acquire takes a lock of kind on st for command. It returns a
// *HeldError (wrapping ErrLocked) when a live run holds a conflicting
// lock, and removes stale locks it finds on the way.
func Acquire(ctx context.Context, st store.Store, kind Kind, command string) (*Lock, error) {
	now := time.Now()
	l := &Lock{st: st, name: "locks/" + randomHex(), info: Info{Kind: kind, Command: command, Host: hostname(),
		Boot: bootID(), PIDNS: pidNS(), PID: os.Getpid(), User: userName(), Created: now.UTC(), Refreshed: now.UTC()}}
	if p, ok := readProc(os.Getpid()); ok {
		l.info.Start = p.start
	}
	if err := l.write(ctx); err != nil {
		return nil, fmt.Errorf("%s: write lock: %w", st.Location(), err)
	}
	if err := l.settle(ctx); err != nil {
		l.remove()
		return nil, err
	}
	l.stop, l.done = make(chan struct{}), make(chan struct{})
	go l.refresh()
	return l, nil
}

// settle decides between this lock and the others: the oldest
// conflicting lock wins. A newer one is given a moment to back off, since
// it may have looked before this lock existed and taken the repository.
func (l *Lock) settle(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		others, err := l.others(ctx)
		if err != nil {
			return err
		}
		var newer *Info
		for _, o := range others {
			if older(o.info, o.name, l.info, l.name) {
				return &HeldError{Location: l.st.Location(), Holder: o.info}
			}
			newer = &o.info
		}
		if newer == nil {
			return nil
		}
		if attempt == 5 {
			return &HeldError{Location: l.st.Location(), Holder: *newer}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

type named struct {
	name string
	info Info
}

// others returns the live locks that conflict with l, removing stale
// ones.
func (l *Lock) others(ctx context.Context) ([]named, error) {
	var names []string
	err := l.st.List(ctx, "locks", func(name string, _ int64) error {
		if name != l.name {
			names = append(names, name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: list locks: %w", l.st.Location(), err)
	}
	var out []named
	for _, name := range names {
		info, err := load(ctx, l.st, name)
		if errors.Is(err, store.ErrNotFound) {
			continue // released meanwhile
		}
		if err != nil {
			return nil, err
		}
		if Stale(info, time.Now()) {
			l.st.Remove(ctx, name) // best effort: the next run tries again
			continue
		}
		if conflicts(l.info.Kind, info.Kind) {
			out = append(out, named{name, info})
		}
	}
	return out, nil
}

// older orders locks by creation, then name.
func older(a Info, an string, b Info, bn string) bool {
	if !a.Created.Equal(b.Created) {
		return a.Created.Before(b.Created)
	}
	return an < bn
}

// Stale reports whether a lock no longer protects anything. On this
// machine (in this boot, in this pid namespace: two containers may share
// a hostname and a kernel) the process decides: gone (or its pid now
// another process's) is stale, running is live whatever the clocks say (a
// run whose clock is an hour off must not take over a live lock); only a
// stopped one (SIGSTOP, Ctrl-Z) goes by the times, as locks of other
// machines do: stale when not refreshed for Expiry, or refreshed more
// than Expiry in the future.
func Stale(info Info, now time.Time) bool {
	if info.Host == hostname() && info.Boot == bootID() && info.PIDNS == pidNS() && info.PID > 0 {
		if !alive(info.PID) {
			return true
		}
		if p, ok := readProc(info.PID); ok {
			if info.Start != 0 && p.start != info.Start {
				return true
			}
			if !p.stopped {
				return false
			}
		}
	}
	// A lock dated far in the future (a wrong clock, or planted) would
	// otherwise never expire.
	return now.Sub(info.Refreshed) > Expiry || info.Refreshed.Sub(now) > Expiry
}

// procInfo is what /proc/PID/stat says of a process.
type procInfo struct {
	stopped bool   // state T (stopped) or t (traced)
	start   uint64 // start time, clock ticks after boot
}

// readProc reads /proc/PID/stat; ok is false where there is none.
func readProc(pid int) (procInfo, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procInfo{}, false
	}
	// "pid (comm) state ppid ...": comm may hold spaces and parentheses.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return procInfo{}, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 {
		return procInfo{}, false
	}
	start, err := strconv.ParseUint(f[19], 10, 64)
	if err != nil {
		return procInfo{}, false
	}
	return procInfo{stopped: f[0] == "T" || f[0] == "t", start: start}, true
}

// maxLock bounds a lock file; lifeboat's own are a few hundred bytes.
const maxLock = 64 << 10

func load(ctx context.Context, st store.Store, name string) (Info, error) {
	// Size-checked before it is read: a huge file planted in locks/
	// must not cost its size in memory.
	b, err := store.LoadLimit(ctx, st, name, maxLock)
	if err != nil && !errors.Is(err, store.ErrTooLarge) {
		return Info{}, err
	}
	var info Info
	if err != nil || json.Unmarshal(b, &info) != nil {
		// Damaged, or not a lock: its age cannot be known, and a lock
		// that never expires would block every backup, so it is stale.
		return Info{Kind: Prune, Command: "unreadable lock " + name}, nil
	}
	return info, nil
}

func (l *Lock) write(ctx context.Context) error {
	l.mu.Lock()
	info := l.info
	l.mu.Unlock()
	b, err := json.Marshal(info)
	if err != nil {
		return err
	}
	if err := store.Save(ctx, l.st, l.name, b); err != nil {
		return err
	}
	l.mu.Lock()
	l.lastOK = time.Now()
	l.mu.Unlock()
	return nil
}

func randomHex() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

func bootID() string {
	b, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	return strings.TrimSpace(string(b))
}

// pidNS names this process's pid namespace ("pid:[4026531836]"), or is
// empty where there is no /proc.
func pidNS() string {
	ns, _ := os.Readlink("/proc/self/ns/pid")
	return ns
}

func userName() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}

// alive (alive_unix.go, alive_windows.go) reports whether a process
// exists.
