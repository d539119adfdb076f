// Package storetest is the conformance suite every store.Store must pass,
// and a fault-injecting wrapper (Faulty) for testing what sits on top of a
// store. It follows restic's internal/backend/test: one table of named
// subtests, run against a fresh store each.
package storetest

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/lifeboat-backup/lifeboat/store"
)

// Run runs the conformance suite. newStore must return an empty store that
// the test owns; it is called once per subtest.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"SaveLoad", testSaveLoad},
		{"OpenReadAt", testOpenReadAt},
		{"List", testList},
		{"ListEmpty", testListEmpty},
		{"ListStops", testListStops},
		{"ListDotNames", testListDotNames},
		{"Remove", testRemove},
		{"Missing", testMissing},
		{"AbortLeavesNothing", testAbort},
		{"InvisibleBeforeCommit", testInvisibleBeforeCommit},
		{"BadNames", testBadNames},
		{"Cancelled", testCancelled},
		{"ConcurrentSaves", testConcurrentSaves},
		{"ListWhileRemoving", testListWhileRemoving},
		{"SaveNew", testSaveNew},
	}
	if _, ok := newStore(t).(store.Streamer); ok {
		tests = append(tests, struct {
			name string
			fn   func(t *testing.T, s store.Store)
		}{"Stream", testStream})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			if err := store.MakeRoot(s); err != nil {
				t.Fatal(err)
			}
			if s.Location() == "" {
				t.Error("Location() is empty")
			}
			tc.fn(t, s)
		})
	}
}

// Data returns n pseudo-random bytes determined by seed.
func Data(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 0x6c696665))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func save(t *testing.T, s store.Store, name string, data []byte) {
	t.Helper()
	if err := store.Save(t.Context(), s, name, data); err != nil {
		t.Fatalf("Save(%q): %v", name, err)
	}
}

// list returns what List reports under dir, name → size.
func list(t *testing.T, s store.Store, dir string) map[string]int64 {
	t.Helper()
	got := map[string]int64{}
	err := s.List(t.Context(), dir, func(name string, size int64) error {
		if _, dup := got[name]; dup {
			t.Errorf("List(%q) reported %q twice", dir, name)
		}
		got[name] = size
		return nil
	})
	if err != nil {
		t.Fatalf("List(%q): %v", dir, err)
	}
	return got
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("%s: got error %v, want ErrNotFound", what, err)
	}
}
