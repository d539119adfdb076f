package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/lifeboat-backup/lifeboat/store"
)

func testAbort(t *testing.T, s store.Store) {
	for _, tc := range []struct {
		name  string
		write []byte
	}{
		{"empty", nil},
		{"written", Data(2, 5000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := s.Create(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(tc.write); err != nil {
				t.Fatal(err)
			}
			w.Abort()
			w.Abort() // a second Abort is harmless
			if err := w.Commit("data/ab/aborted"); err == nil {
				t.Error("Commit after Abort succeeded")
			}
			_, err = s.Load(t.Context(), "data/ab/aborted")
			wantNotFound(t, "Load after Abort", err)
			if got := list(t, s, "data"); len(got) != 0 {
				t.Errorf("List after Abort: %v", got)
			}
		})
	}
}

func testInvisibleBeforeCommit(t *testing.T, s store.Store) {
	const name = "data/cd/pending"
	data := Data(3, 3000)
	w, err := s.Create(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	_, err = s.Load(t.Context(), name)
	wantNotFound(t, "Load before Commit", err)
	_, err = s.Stat(t.Context(), name)
	wantNotFound(t, "Stat before Commit", err)
	if got := list(t, s, "data"); len(got) != 0 {
		t.Errorf("List before Commit: %v", got)
	}
	if err := w.Commit(name); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	w.Abort() // a no-op after Commit
	got, err := s.Load(t.Context(), name)
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("Load after Commit and Abort: %d bytes, %v", len(got), err)
	}
}

// BadNames are object names every store must refuse.
var BadNames = []string{"", ".", "/abs", "../x", "..", "a/../b", "a/./b", "./a", "a/", "a//b", "a\x00b"}

func testBadNames(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, name := range BadNames {
		t.Run(fmt.Sprintf("%q", name), func(t *testing.T) {
			if name == "." {
			}
			check := func(op string, err error) {
				t.Helper()
				if !errors.Is(err, store.ErrBadName) {
					t.Errorf("%s(%q): got %v, want ErrBadName", op, name, err)
				}
			}
			check("Save", store.Save(ctx, s, name, []byte("x")))
			_, err := s.Load(ctx, name)
			check("Load", err)
			o, err := s.Open(ctx, name)
			if err == nil {
				o.Close()
			}
			check("Open", err)
			_, err = s.Stat(ctx, name)
			check("Stat", err)
			check("Remove", s.Remove(ctx, name))
			check("List", s.List(ctx, name, func(string, int64) error { return nil }))
		})
	}
}

func testCancelled(t *testing.T, s store.Store) {
	save(t, s, "index/a", []byte("a"))
	save(t, s, "index/b", []byte("b"))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	w, err := s.Create(ctx)
	if err == nil {
		w.Abort()
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Create with a cancelled context: %v", err)
	}
	err = s.List(ctx, "index", func(string, int64) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("List with a cancelled context: %v", err)
	}

	// Cancelling during List stops it.
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	calls := 0
	err = s.List(ctx, "index", func(string, int64) error {
		calls++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("List cancelled in fn: %d calls, %v; want 1 call and context.Canceled", calls, err)
	}

	t.Run("ListMissingDir", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		err := s.List(ctx, "nodir", func(string, int64) error { return nil })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("List of a missing dir with a cancelled context: %v", err)
		}
	})
}

func testConcurrentSaves(t *testing.T, s store.Store) {
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				name := fmt.Sprintf("data/%02x/obj-%d-%d", w, w, i)
				if err := store.Save(t.Context(), s, name, Data(uint64(w*each+i), 100+w*each+i)); err != nil {
					errs <- fmt.Errorf("Save(%s): %w", name, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := list(t, s, "data"); len(got) != workers*each {
		t.Errorf("List after concurrent saves: %d objects, want %d", len(got), workers*each)
	}
	for w := range workers {
		for i := range each {
			name := fmt.Sprintf("data/%02x/obj-%d-%d", w, w, i)
			got, err := s.Load(t.Context(), name)
			if err != nil || !bytes.Equal(got, Data(uint64(w*each+i), 100+w*each+i)) {
				t.Errorf("Load(%s): %d bytes, %v", name, len(got), err)
			}
		}
	}
}

// testListWhileRemoving: objects removed while a List runs (another
// run's lock released, say) are skipped, not an error.
func testListWhileRemoving(t *testing.T, s store.Store) {
	const n = 60
	for i := range n {
		save(t, s, fmt.Sprintf("locks/%02x/l%d", i%4, i), []byte{byte(i)})
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range n {
			s.Remove(t.Context(), fmt.Sprintf("locks/%02x/l%d", i%4, i))
		}
	})
	for range 3 {
		if err := s.List(t.Context(), "locks", func(string, int64) error { return nil }); err != nil {
			t.Errorf("List while objects are removed: %v", err)
		}
	}
	wg.Wait()
}

// testSaveNew: store.SaveNew stores a free name and refuses a taken one
// (ErrTaken) without changing it; of several racing for one name, exactly
// one wins where the store is a NewSaver.
func testSaveNew(t *testing.T, s store.Store) {
	ctx := t.Context()
	if err := store.SaveNew(ctx, s, "keys/claim", []byte("first")); err != nil {
		t.Fatalf("SaveNew of a free name: %v", err)
	}
	if err := store.SaveNew(ctx, s, "keys/claim", []byte("second")); !errors.Is(err, store.ErrTaken) {
		t.Fatalf("SaveNew of a taken name: %v, want ErrTaken", err)
	}
	if b, err := s.Load(ctx, "keys/claim"); err != nil || string(b) != "first" {
		t.Fatalf("after a refused SaveNew: %q, %v", b, err)
	}
	if _, ok := s.(store.NewSaver); !ok {
		return
	}
	var wg sync.WaitGroup
	wins := make(chan int, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if store.SaveNew(ctx, s, "config", []byte(fmt.Sprint(i))) == nil {
				wins <- i
			}
		}()
	}
	wg.Wait()
	close(wins)
	var won []int
	for i := range wins {
		won = append(won, i)
	}
	if len(won) != 1 {
		t.Fatalf("%d of 8 racing SaveNew calls won, want 1", len(won))
	}
	if b, _ := s.Load(ctx, "config"); string(b) != fmt.Sprint(won[0]) {
		t.Errorf("config holds %q, the winner wrote %d", b, won[0])
	}
}
