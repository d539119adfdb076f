package store_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-backup/lifeboat/store"
	"github.com/lifeboat-backup/lifeboat/store/storetest"
)

func TestCheckName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
		bug  string // non-empty: a known bug makes CheckName answer wrongly
	}{
		{"config", true, ""},
		{"keys/write.age", true, ""},
		{"data/ab/ab0123", true, ""},
		{"a..b", true, ""},
		{"..a/b", false, ""}, // hidden components are refused
		{"", false, ""},
		{"/abs", false, ""},
		{"../x", false, ""},
		{"..", false, ""},
		{"a/../b", false, ""},
		{"a/..", false, ""},
		{"./a", false, ""},
		{"a/", false, ""},
		{"a//b", false, ""},
		{"a\x00b", false, ""},
		{".", false, `CheckName accepts "."`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := store.CheckName(tc.name)
			if tc.ok && err != nil {
				t.Errorf("CheckName(%q) = %v, want nil", tc.name, err)
			}
			if !tc.ok && !errors.Is(err, store.ErrBadName) {
				t.Errorf("CheckName(%q) = %v, want ErrBadName", tc.name, err)
			}
		})
	}
}

// Save aborts the write when Write or Commit fails, leaving nothing behind.
func TestSaveAborts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault func(f *storetest.Faulty)
	}{
		{"create", func(f *storetest.Faulty) { f.Fail(1, storetest.OpCreate) }},
		{"write", func(f *storetest.Faulty) { f.Fail(1, storetest.OpWrite) }},
		{"short write", func(f *storetest.Faulty) { f.FailWritesAfter(3) }},
		{"commit", func(f *storetest.Faulty) { f.Fail(1, storetest.OpCommit) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			f := storetest.NewFaulty(store.NewLocal(root))
			tc.fault(f)
			err := store.Save(t.Context(), f, "data/ab/x", []byte("hello"))
			if !errors.Is(err, storetest.ErrInjected) {
				t.Fatalf("Save: %v, want the injected error", err)
			}
			if _, err := f.Stat(t.Context(), "data/ab/x"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Stat after failed Save: %v", err)
			}
			if ents, _ := os.ReadDir(filepath.Join(root, "tmp")); len(ents) != 0 {
				t.Errorf("tmp/ holds %d files after a failed Save", len(ents))
			}
		})
	}
}
