package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-backup/lifeboat/store"
)

func testSaveLoad(t *testing.T, s store.Store) {
	for _, tc := range []struct {
		name string
		size int
	}{
		{"config", 0},
		{"keys/write.age", 1},
		{"index/0123abcd", 4097},
		{"data/ab/ab0123456789", 1 << 20},
	} {
		data := Data(uint64(tc.size), tc.size)
		save(t, s, tc.name, data)
		got, err := s.Load(t.Context(), tc.name)
		if err != nil {
			t.Fatalf("Load(%q): %v", tc.name, err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("Load(%q): got %d bytes, want the %d saved", tc.name, len(got), len(data))
		}
		size, err := s.Stat(t.Context(), tc.name)
		if err != nil || size != int64(tc.size) {
			t.Errorf("Stat(%q) = %d, %v; want %d", tc.name, size, err, tc.size)
		}
	}
}

func testOpenReadAt(t *testing.T, s store.Store) {
	const n = 10000
	data := Data(1, n)
	save(t, s, "data/00/obj", data)
	o, err := s.Open(t.Context(), "data/00/obj")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer o.Close()
	if o.Size() != n {
		t.Errorf("Size() = %d, want %d", o.Size(), n)
	}
	for _, tc := range []struct {
		name     string
		off, len int
		want     int  // bytes that must be read
		wantErr  bool // ReadAt must return an error (n < len)
	}{
		{"start", 0, 100, 100, false},
		{"middle", 4321, 1234, 1234, false},
		{"end", n - 100, 100, 100, false},
		{"whole", 0, n, n, false},
		{"across end", n - 50, 100, 50, true},
		{"at end", n, 10, 0, true},
		{"past end", n + 10, 10, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := make([]byte, tc.len)
			got, err := o.ReadAt(p, int64(tc.off))
			if got != tc.want {
				t.Errorf("ReadAt(%d bytes at %d) read %d, want %d", tc.len, tc.off, got, tc.want)
			}
			if (err != nil) != tc.wantErr {
				t.Errorf("ReadAt(%d bytes at %d) error = %v, want error %v", tc.len, tc.off, err, tc.wantErr)
			}
			if got > 0 && !bytes.Equal(p[:got], data[tc.off:tc.off+got]) {
				t.Errorf("ReadAt(%d bytes at %d) returned the wrong bytes", tc.len, tc.off)
			}
		})
	}
}

func testList(t *testing.T, s store.Store) {
	objs := map[string]int{
		"config":              3,
		"data/00/00aa":        10,
		"data/00/00bb":        11,
		"data/ff/ffcc":        12,
		"index/1234":          13,
		"snapshots/abcd":      14,
		"snapshots/deep/x/yz": 15,
	}
	for name, size := range objs {
		save(t, s, name, Data(uint64(size), size))
	}
	for _, tc := range []struct {
		dir  string
		want []string
	}{
		{"data", []string{"data/00/00aa", "data/00/00bb", "data/ff/ffcc"}},
		{"data/00", []string{"data/00/00aa", "data/00/00bb"}},
		{"data/ff", []string{"data/ff/ffcc"}},
		{"index", []string{"index/1234"}},
		{"snapshots", []string{"snapshots/abcd", "snapshots/deep/x/yz"}},
		{"keys", nil},
		{"data/0", nil},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			got := list(t, s, tc.dir)
			names := slices.Sorted(maps.Keys(got))
			if !slices.Equal(names, tc.want) {
				t.Fatalf("List(%q) = %q, want %q", tc.dir, names, tc.want)
			}
			for _, name := range names {
				if got[name] != int64(objs[name]) {
					t.Errorf("List(%q): %s has size %d, want %d", tc.dir, name, got[name], objs[name])
				}
			}
		})
	}
}

func testListEmpty(t *testing.T, s store.Store) {
	if got := list(t, s, "data"); len(got) != 0 {
		t.Errorf("List of a missing dir: %v", got)
	}
	save(t, s, "data/ab/x", []byte("x"))
	if err := s.Remove(t.Context(), "data/ab/x"); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"data", "data/ab"} {
		if got := list(t, s, dir); len(got) != 0 {
			t.Errorf("List(%q) after removing its only object: %v", dir, got)
		}
	}
}

// testListDotNames checks that a name a store accepts is listed: an object
// List cannot see is invisible to check and prune.
func testListDotNames(t *testing.T, s store.Store) {
	for _, name := range []string{"index/.x", ".keys/a"} {
		err := store.Save(t.Context(), s, name, []byte("x"))
		if errors.Is(err, store.ErrBadName) {
			continue
		}
		if err != nil {
			t.Fatalf("Save(%q): %v", name, err)
		}
		dir, _, _ := strings.Cut(name, "/")
		if got := list(t, s, dir); got[name] != 1 {
			t.Errorf("Save(%q) succeeded but List(%q) = %v", name, dir, got)
		}
	}
}

// testListStops checks that an error from fn ends List and is returned.
func testListStops(t *testing.T, s store.Store) {
	for i := range 5 {
		save(t, s, fmt.Sprintf("index/%d", i), []byte{byte(i)})
	}
	stop := errors.New("stop")
	calls := 0
	err := s.List(t.Context(), "index", func(string, int64) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) {
		t.Errorf("List returned %v, want fn's error", err)
	}
	if calls != 1 {
		t.Errorf("fn called %d times after it returned an error, want 1", calls)
	}
}

func testRemove(t *testing.T, s store.Store) {
	save(t, s, "snapshots/a", []byte("a"))
	save(t, s, "snapshots/b", []byte("b"))
	if err := s.Remove(t.Context(), "snapshots/a"); err != nil {
		t.Fatalf("Remove: %v", err)
	}
	_, err := s.Load(t.Context(), "snapshots/a")
	wantNotFound(t, "Load after Remove", err)
	if got := list(t, s, "snapshots"); len(got) != 1 || got["snapshots/b"] != 1 {
		t.Errorf("List after Remove = %v, want only snapshots/b", got)
	}
	wantNotFound(t, "second Remove", s.Remove(t.Context(), "snapshots/a"))
	if b, err := s.Load(t.Context(), "snapshots/b"); err != nil || string(b) != "b" {
		t.Errorf("Load of the other object = %q, %v", b, err)
	}
}

func testMissing(t *testing.T, s store.Store) {
	save(t, s, "data/00/present", []byte("here"))
	for _, tc := range []struct {
		name   string
		prefix bool // name is a prefix of an object, not an object
	}{
		{"config", false},
		{"data/00/absent", false},
		{"data/11/absent", false},
		{"nodir/x", false},
		{"data/00", true},
		{"data", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.prefix {
			}
			_, err := s.Load(t.Context(), tc.name)
			wantNotFound(t, "Load", err)
			o, err := s.Open(t.Context(), tc.name)
			if err == nil {
				o.Close()
			}
			wantNotFound(t, "Open", err)
			_, err = s.Stat(t.Context(), tc.name)
			wantNotFound(t, "Stat", err)
			wantNotFound(t, "Remove", s.Remove(t.Context(), tc.name))
		})
	}
	if b, err := s.Load(t.Context(), "data/00/present"); err != nil || string(b) != "here" {
		t.Errorf("Load of the present object = %q, %v", b, err)
	}
}

// testStream: a store that streams whole objects streams their exact
// bytes, and a missing object is ErrNotFound.
func testStream(t *testing.T, s store.Store) {
	st := s.(store.Streamer) // Run adds this test only for stores that stream
	data := Data(7, 3<<20+17)
	save(t, s, "data/00/big", data)
	rc, err := st.Stream(t.Context(), "data/00/big")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Stream read %d bytes (want %d), %v", len(got), len(data), err)
	}
	_, err = st.Stream(t.Context(), "data/00/absent")
	wantNotFound(t, "Stream", err)
}
