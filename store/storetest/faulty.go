package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/lifeboat-backup/lifeboat/store"
)

// ErrInjected is the error every fault Faulty injects wraps.
var ErrInjected = errors.New("injected fault")

// Op is a kind of store operation that Faulty can fail.
type Op int

const (
	OpCreate Op = iota // Store.Create
	OpWrite            // Writer.Write
	OpCommit           // Writer.Commit
	OpOpen             // Store.Open
	OpReadAt           // Object.ReadAt
	OpLoad             // Store.Load
	OpList             // Store.List
	OpRemove           // Store.Remove
	OpStat             // Store.Stat
	numOps
)

var opNames = [numOps]string{"create", "write", "commit", "open", "read", "load", "list", "remove", "stat"}

func (o Op) String() string {
	if o < 0 || o >= numOps {
		return fmt.Sprintf("op(%d)", int(o))
	}
	return opNames[o]
}

// Faulty wraps a store and injects faults, for testing the code above a
// store (restic's errorBackend, kopia's FaultyStorage). With nothing
// configured it behaves exactly like the store it wraps. It is safe for
// concurrent use; faults may be configured while it is in use.
//
// The faults:
//
//   - Fail(op, n): the next n calls of op fail with ErrInjected without
//     reaching the wrapped store (n < 0: every call, until Reset). A failed
//     Write writes nothing; a failed Commit aborts the wrapped writer, so no
//     object appears.
//   - FailWritesAfter(k): each Writer created from then on accepts k bytes
//     in total; the Write that would pass k writes up to k and fails, as do
//     all later Writes, and Commit then fails and aborts, as when a
//     connection breaks mid-upload.
//   - FlipByte(prefix, off): Load and ReadAt of objects whose name starts
//     with prefix return the byte at offset off (off < 0 counts from the
//     end: -1 is the last byte) with its low bit flipped. The stored bytes
//     are not changed.
type Faulty struct {
	inner store.Store

	mu         sync.Mutex
	fail       [numOps]int // calls left to fail; < 0: all
	calls      [numOps]int
	writeLimit int64 // < 0: none
	flip       bool
	flipPrefix string
	flipOff    int64
}

var _ store.Store = (*Faulty)(nil)

// NewFaulty wraps s with no faults configured.
func NewFaulty(s store.Store) *Faulty {
	return &Faulty{inner: s, writeLimit: -1}
}

// Fail makes the next n calls of each op fail; n < 0 fails them all until
// Reset, n == 0 stops failing them.
func (f *Faulty) Fail(n int, ops ...Op) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, op := range ops {
		f.fail[op] = n
	}
}

// FailWritesAfter makes each Writer created from now on fail once k bytes
// have been written to it; k < 0 turns this off.
func (f *Faulty) FailWritesAfter(k int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.writeLimit = k
}

// FlipByte corrupts the byte at off of every object under prefix as it is
// read by Load or ReadAt ("" means every object).
func (f *Faulty) FlipByte(prefix string, off int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.flip, f.flipPrefix, f.flipOff = true, prefix, off
}

// Reset removes every configured fault. Call counts are kept.
func (f *Faulty) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = [numOps]int{}
	f.writeLimit = -1
	f.flip = false
}

// Calls returns how many times op was called, failed or not.
func (f *Faulty) Calls(op Op) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

// inject counts a call of op and returns the error to inject, if any.
func (f *Faulty) inject(op Op, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	switch n := f.fail[op]; {
	case n == 0:
		return nil
	case n > 0:
		f.fail[op] = n - 1
	}
	if name == "" {
		return fmt.Errorf("%s: %w", op, ErrInjected)
	}
	return fmt.Errorf("%s %s: %w", op, name, ErrInjected)
}

// flipAt returns the offset to corrupt in the object name of the given
// size, or -1.
func (f *Faulty) flipAt(name string, size int64) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.flip || len(name) < len(f.flipPrefix) || name[:len(f.flipPrefix)] != f.flipPrefix {
		return -1
	}
	off := f.flipOff
	if off < 0 {
		off += size
	}
	if off < 0 || off >= size {
		return -1
	}
	return off
}

// Location returns the wrapped store's location.
func (f *Faulty) Location() string { return f.inner.Location() }

// MakeRoot forwards to the wrapped store.
func (f *Faulty) MakeRoot() error { return store.MakeRoot(f.inner) }

// Create starts a new object.
func (f *Faulty) Create(ctx context.Context) (store.Writer, error) {
	if err := f.inject(OpCreate, ""); err != nil {
		return nil, err
	}
	w, err := f.inner.Create(ctx)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	limit := f.writeLimit
	f.mu.Unlock()
	return &faultyWriter{f: f, w: w, limit: limit}, nil
}

// Open opens an object; ReadAt on it can fail or flip a byte.
func (f *Faulty) Open(ctx context.Context, name string) (store.Object, error) {
	if err := f.inject(OpOpen, name); err != nil {
		return nil, err
	}
	o, err := f.inner.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	return &faultyObject{Object: o, f: f, name: name}, nil
}

// Load reads a whole object.
func (f *Faulty) Load(ctx context.Context, name string) ([]byte, error) {
	if err := f.inject(OpLoad, name); err != nil {
		return nil, err
	}
	b, err := f.inner.Load(ctx, name)
	if err != nil {
		return nil, err
	}
	if off := f.flipAt(name, int64(len(b))); off >= 0 {
		b[off] ^= 1
	}
	return b, nil
}

// List lists objects under dir.
func (f *Faulty) List(ctx context.Context, dir string, fn func(string, int64) error) error {
	if err := f.inject(OpList, dir); err != nil {
		return err
	}
	return f.inner.List(ctx, dir, fn)
}

// Remove deletes an object.
func (f *Faulty) Remove(ctx context.Context, name string) error {
	if err := f.inject(OpRemove, name); err != nil {
		return err
	}
	return f.inner.Remove(ctx, name)
}

// Stat returns an object's size.
func (f *Faulty) Stat(ctx context.Context, name string) (int64, error) {
	if err := f.inject(OpStat, name); err != nil {
		return 0, err
	}
	return f.inner.Stat(ctx, name)
}

type faultyWriter struct {
	f       *Faulty
	w       store.Writer
	limit   int64 // bytes this writer still accepts; < 0: no limit
	written int64
	broken  error // set once a write failed by injection
}

func (w *faultyWriter) Write(p []byte) (int, error) {
	if w.broken != nil {
		return 0, w.broken
	}
	if err := w.f.inject(OpWrite, ""); err != nil {
		w.broken = err
		return 0, err
	}
	if w.limit >= 0 && w.written+int64(len(p)) > w.limit {
		n, err := w.w.Write(p[:w.limit-w.written])
		w.written += int64(n)
		if err == nil {
			err = fmt.Errorf("write after %d bytes: %w", w.limit, ErrInjected)
		}
		w.broken = err
		return n, err
	}
	n, err := w.w.Write(p)
	w.written += int64(n)
	return n, err
}

func (w *faultyWriter) Commit(name string) error {
	err := w.broken
	if err == nil {
		err = w.f.inject(OpCommit, name)
	}
	if err != nil {
		w.w.Abort()
		return err
	}
	return w.w.Commit(name)
}

func (w *faultyWriter) Abort() { w.w.Abort() }

type faultyObject struct {
	store.Object
	f    *Faulty
	name string
}

func (o *faultyObject) ReadAt(p []byte, off int64) (int, error) {
	if err := o.f.inject(OpReadAt, o.name); err != nil {
		return 0, err
	}
	n, err := o.Object.ReadAt(p, off)
	if at := o.f.flipAt(o.name, o.Size()); at >= off && at < off+int64(n) {
		p[at-off] ^= 1
	}
	return n, err
}
