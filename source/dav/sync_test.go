package dav_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-backup/lifeboat/internal/davtest"
	"github.com/lifeboat-backup/lifeboat/source/dav"
)

// seed PUTs the fixtures into the server's address book and calendar.
func seed(t *testing.T, s *davtest.Server) {
	t.Helper()
	files, _ := filepath.Glob("testdata/*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		coll := s.Calendar
		if strings.HasSuffix(f, ".vcf") {
			coll = s.AddressBook
		}
		if ok, err := s.Put(coll+filepath.Base(f), b); !ok || err != nil {
			t.Fatalf("PUT %s: %v %v", f, ok, err)
		}
	}
}

type counter struct {
	n  atomic.Int64
	rt http.RoundTripper
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.rt.RoundTrip(r)
}

// checkMirror asserts that every resource file holds what the server
// serves for its href.
func checkMirror(t *testing.T, s *davtest.Server, dir string, want int) int {
	t.Helper()
	n := 0
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		st, err := dav.ReadState(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for file, r := range st.Resources {
			got, err := os.ReadFile(filepath.Join(dir, e.Name(), file))
			if err != nil {
				t.Fatal(err)
			}
			served, err := s.Get(r.Href)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, served) {
				t.Errorf("%s: bytes differ from GET %s", file, r.Href)
			}
			n++
		}
	}
	if want >= 0 && n != want {
		t.Errorf("%d resources mirrored, want %d", n, want)
	}
	return n
}

func TestSyncServers(t *testing.T) {
	for _, start := range []func(testing.TB) *davtest.Server{davtest.Radicale, davtest.Xandikos} {
		s := start(t)
		t.Run(s.Name, func(t *testing.T) {
			seed(t, s)
			root := t.TempDir()
			for _, kind := range []string{dav.CardDAV, dav.CalDAV} {
				want := map[string]int{dav.CardDAV: 3, dav.CalDAV: 3}[kind]
				c := &counter{rt: http.DefaultTransport}
				opts := dav.Options{Source: s.Source(kind), Password: s.Password, StagingRoot: root, Transport: c}
				res, err := dav.Sync(context.Background(), opts)
				if err != nil {
					t.Fatalf("%s: %v", kind, err)
				}
				res.Release()
				if res.Fetched != want {
					t.Errorf("%s: fetched %d, want %d", kind, res.Fetched, want)
				}
				checkMirror(t, s, res.Dir, want)
				// Unchanged: one listing of the home set plus one
				// request per collection.
				c.n.Store(0)
				res, err = dav.Sync(context.Background(), opts)
				if err != nil {
					t.Fatal(err)
				}
				res.Release()
				if res.Fetched != 0 || res.Deleted != 0 {
					t.Errorf("%s unchanged: fetched %d, deleted %d", kind, res.Fetched, res.Deleted)
				}
				if got, max := c.n.Load(), int64(1+2*res.Collections); got > max {
					t.Errorf("%s unchanged: %d requests for %d collections, want at most %d", kind, got, res.Collections, max)
				}
				t.Logf("%s unchanged: %d requests, %d collections", kind, c.n.Load(), res.Collections)
			}
		})
	}
}

// stopAfter stops the server once n requests went through.
type stopAfter struct {
	n    atomic.Int64
	stop func()
}

func (s *stopAfter) RoundTrip(r *http.Request) (*http.Response, error) {
	if s.n.Add(-1) == 0 {
		s.stop()
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestSyncStaleTokenAndStop: a rejected sync token falls back to a full
// listing that downloads nothing; a server that stops in the middle is
// ErrServer.
func TestSyncStaleTokenAndStop(t *testing.T) {
	s := davtest.Radicale(t)
	seed(t, s)
	root := t.TempDir()
	opts := dav.Options{Source: s.Source(dav.CardDAV), Password: s.Password, StagingRoot: root}
	res, err := dav.Sync(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	// While a run holds the staging folder (from its download until its
	// backup is done), another run for the account waits.
	short, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	waited := 0
	second := opts
	second.Waiting = func() { waited++ }
	if _, err := dav.Sync(short, second); !errors.Is(err, context.DeadlineExceeded) || waited != 1 {
		t.Fatalf("a second run while the first holds the staging folder: %v, told %d times; want it to wait, told once", err, waited)
	}
	res.Release()
	state := filepath.Join(res.Dir, "contacts", dav.StateFile)
	b, _ := os.ReadFile(state)
	os.WriteFile(state, bytes.Replace(b, []byte(`"sync_token": "`), []byte(`"sync_token": "x`), 1), 0o600)
	res, err = dav.Sync(context.Background(), opts)
	if err != nil || res.FullListings != 1 || res.Fetched != 0 {
		t.Fatalf("stale token: %v, %+v; want one full listing and nothing fetched", err, res)
	}
	res.Release()
	checkMirror(t, s, res.Dir, 3)

	// Stop the server after the collection listing of a fresh account.
	stop := &stopAfter{stop: s.Stop}
	stop.n.Store(4)
	opts.StagingRoot, opts.Transport = t.TempDir(), stop
	if _, err := dav.Sync(context.Background(), opts); !errors.Is(err, dav.ErrServer) {
		t.Fatalf("server stopped: %v, want ErrServer", err)
	}
}

func TestSyncWrongPassword(t *testing.T) {
	s := davtest.Radicale(t)
	_, err := dav.Sync(context.Background(), dav.Options{Source: s.Source(dav.CalDAV), Password: "wrong", StagingRoot: t.TempDir()})
	if !errors.Is(err, dav.ErrAuth) {
		t.Fatalf("wrong password: %v, want ErrAuth", err)
	}
}
