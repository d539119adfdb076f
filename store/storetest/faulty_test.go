package storetest_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lifeboat-backup/lifeboat/store"
	"github.com/lifeboat-backup/lifeboat/store/storetest"
)

func newFaulty(t *testing.T) (*storetest.Faulty, string) {
	dir := t.TempDir()
	return storetest.NewFaulty(store.NewLocal(dir)), dir
}

// With no faults configured, Faulty is a conforming store.
func TestFaultyConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		f, _ := newFaulty(t)
		return f
	})
}

// call performs one operation of kind op against an object "index/a"
// (which exists) and returns its error.
func call(t *testing.T, f *storetest.Faulty, op storetest.Op) error {
	ctx := t.Context()
	switch op {
	case storetest.OpCreate:
		w, err := f.Create(ctx)
		if err == nil {
			w.Abort()
		}
		return err
	case storetest.OpWrite, storetest.OpCommit:
		w, err := f.Create(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		if _, err := w.Write([]byte("b")); err != nil || op == storetest.OpWrite {
			return err
		}
		return w.Commit("index/b")
	case storetest.OpOpen, storetest.OpReadAt:
		o, err := f.Open(ctx, "index/a")
		if err != nil || op == storetest.OpOpen {
			if err == nil {
				o.Close()
			}
			return err
		}
		defer o.Close()
		_, err = o.ReadAt(make([]byte, 1), 0)
		return err
	case storetest.OpLoad:
		_, err := f.Load(ctx, "index/a")
		return err
	case storetest.OpList:
		return f.List(ctx, "index", func(string, int64) error { return nil })
	case storetest.OpRemove:
		err := f.Remove(ctx, "index/a")
		if err == nil {
			if err := store.Save(ctx, f, "index/a", []byte("a")); err != nil {
				t.Fatal(err)
			}
		}
		return err
	case storetest.OpStat:
		_, err := f.Stat(ctx, "index/a")
		return err
	}
	t.Fatalf("no call for %v", op)
	return nil
}

var allOps = []storetest.Op{
	storetest.OpCreate, storetest.OpWrite, storetest.OpCommit, storetest.OpOpen,
	storetest.OpReadAt, storetest.OpLoad, storetest.OpList, storetest.OpRemove, storetest.OpStat,
}

func TestFaultyFailFirst(t *testing.T) {
	for _, op := range allOps {
		t.Run(op.String(), func(t *testing.T) {
			f, _ := newFaulty(t)
			if err := store.Save(t.Context(), f, "index/a", []byte("a")); err != nil {
				t.Fatal(err)
			}
			f.Fail(2, op)
			for i := range 2 {
				if err := call(t, f, op); !errors.Is(err, storetest.ErrInjected) {
					t.Fatalf("call %d: got %v, want ErrInjected", i, err)
				}
			}
			if err := call(t, f, op); err != nil {
				t.Fatalf("third call: %v", err)
			}
			// The other kinds were never failed.
			for _, other := range allOps {
				if err := call(t, f, other); err != nil {
					t.Errorf("%v after failing %v: %v", other, op, err)
				}
			}
		})
	}
}

func TestFaultyFailAlwaysAndReset(t *testing.T) {
	f, _ := newFaulty(t)
	f.Fail(-1, storetest.OpLoad, storetest.OpList)
	if err := store.Save(t.Context(), f, "index/a", []byte("a")); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if err := call(t, f, storetest.OpLoad); !errors.Is(err, storetest.ErrInjected) {
			t.Fatalf("Load: %v", err)
		}
		if err := call(t, f, storetest.OpList); !errors.Is(err, storetest.ErrInjected) {
			t.Fatalf("List: %v", err)
		}
	}
	if got := f.Calls(storetest.OpLoad); got != 5 {
		t.Errorf("Calls(OpLoad) = %d, want 5", got)
	}
	f.Reset()
	if err := call(t, f, storetest.OpLoad); err != nil {
		t.Errorf("Load after Reset: %v", err)
	}
	f.Fail(-1, storetest.OpStat)
	f.Fail(0, storetest.OpStat)
	if err := call(t, f, storetest.OpStat); err != nil {
		t.Errorf("Stat after Fail(0): %v", err)
	}
}

// A failed Commit leaves no object and nothing in tmp/.
func TestFaultyFailedCommitLeavesNothing(t *testing.T) {
	f, dir := newFaulty(t)
	f.Fail(1, storetest.OpCommit)
	err := store.Save(t.Context(), f, "data/ab/x", []byte("hello"))
	if !errors.Is(err, storetest.ErrInjected) {
		t.Fatalf("Save: %v", err)
	}
	if _, err := f.Load(t.Context(), "data/ab/x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Load after failed Commit: %v", err)
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(ents) != 0 {
		t.Errorf("tmp/ holds %d files after a failed Commit", len(ents))
	}
}

func TestFaultyFailWritesAfter(t *testing.T) {
	for _, tc := range []struct {
		name   string
		limit  int64
		writes []int
		want   []int // bytes each write accepts
		fails  bool  // some write fails, and so Commit
	}{
		{"one write over", 40, []int{100}, []int{40}, true},
		{"second write crosses", 40, []int{30, 30, 5}, []int{30, 10, 0}, true},
		{"zero", 0, []int{1}, []int{0}, true},
		{"exactly the limit", 60, []int{30, 30}, []int{30, 30}, false},
		{"off", -1, []int{1000, 1000}, []int{1000, 1000}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := newFaulty(t)
			f.FailWritesAfter(tc.limit)
			w, err := f.Create(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			failed := false
			for i, n := range tc.writes {
				got, err := w.Write(make([]byte, n))
				if got != tc.want[i] {
					t.Errorf("write %d of %d bytes wrote %d, want %d", i, n, got, tc.want[i])
				}
				if err != nil {
					if !errors.Is(err, storetest.ErrInjected) {
						t.Errorf("write %d: %v, want ErrInjected", i, err)
					}
					failed = true
				}
			}
			if failed != tc.fails {
				t.Errorf("a write failed: %v, want %v", failed, tc.fails)
			}
			err = w.Commit("data/00/obj")
			if (err != nil) != tc.fails {
				t.Errorf("Commit: %v, want failure %v", err, tc.fails)
			}
			_, err = f.Stat(t.Context(), "data/00/obj")
			if tc.fails != errors.Is(err, store.ErrNotFound) {
				t.Errorf("Stat after Commit: %v", err)
			}
		})
	}
}

func TestFaultyFlipByte(t *testing.T) {
	data := storetest.Data(7, 1000)
	for _, tc := range []struct {
		name   string
		prefix string
		off    int64
		obj    string
		want   int64 // flipped offset, -1 for none
	}{
		{"first byte", "", 0, "data/00/a", 0},
		{"middle", "data/", 500, "data/00/a", 500},
		{"last byte", "data/", -1, "data/00/a", 999},
		{"other prefix", "index/", 0, "data/00/a", -1},
		{"past the end", "", 1000, "data/00/a", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := newFaulty(t)
			if err := store.Save(t.Context(), f, tc.obj, data); err != nil {
				t.Fatal(err)
			}
			f.FlipByte(tc.prefix, tc.off)
			want := bytes.Clone(data)
			if tc.want >= 0 {
				want[tc.want] ^= 1
			}
			got, err := f.Load(t.Context(), tc.obj)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("Load: %v, flipped as wanted: %v", err, bytes.Equal(got, want))
			}
			o, err := f.Open(t.Context(), tc.obj)
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			for _, r := range [][2]int64{{0, 1000}, {0, 1}, {400, 200}, {990, 10}, {600, 300}} {
				p := make([]byte, r[1])
				if _, err := o.ReadAt(p, r[0]); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(p, want[r[0]:r[0]+r[1]]) {
					t.Errorf("ReadAt(%d, %d) does not match the flipped object", r[0], r[1])
				}
			}
			f.Reset()
			if got, err := f.Load(t.Context(), tc.obj); err != nil || !bytes.Equal(got, data) {
				t.Errorf("Load after Reset: stored bytes changed (%v)", err)
			}
		})
	}
}

// Injected failures are counted exactly under concurrent use.
func TestFaultyConcurrent(t *testing.T) {
	f, _ := newFaulty(t)
	if err := store.Save(t.Context(), f, "index/a", []byte("a")); err != nil {
		t.Fatal(err)
	}
	f.Fail(5, storetest.OpLoad)
	var failed atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10 {
				if _, err := f.Load(t.Context(), "index/a"); err != nil {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if failed.Load() != 5 {
		t.Errorf("%d loads failed, want 5", failed.Load())
	}
	if got := f.Calls(storetest.OpLoad); got != 80 {
		t.Errorf("Calls(OpLoad) = %d, want 80", got)
	}
}
