package dav

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestRetry: 503 and 429 are retried, waiting what Retry-After says
// (capped), at most maxAttempts times.
func TestRetry(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			w.Write([]byte("ok"))
		}
	}))
	defer srv.Close()
	c := newClient(nil, "", "")
	var waits []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	req, _ := http.NewRequest("GET", srv.URL, nil)
	resp, err := c.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", resp, err)
	}
	resp.Body.Close()
	if len(waits) != 2 || waits[0] != 7*time.Second || waits[1] != maxRetryWait {
		t.Errorf("waits %v, want [7s %v]", waits, maxRetryWait)
	}
	// Always 503: give up after maxAttempts with the 503.
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	n.Store(0)
	waits = nil
	resp, err = c.Do(req)
	if err != nil || resp.StatusCode != 503 || n.Load() != maxAttempts {
		t.Errorf("always 503: %v %v after %d attempts, want 503 after %d", resp, err, n.Load(), maxAttempts)
	}
}

func TestParseSource(t *testing.T) {
	for s, ok := range map[string]bool{
		"carddav+https://me@example.com/dav/": true,
		"caldav+http://me@127.0.0.1:5232/":    true,
		"caldav+http://me@[::1]:5232/":        true,
		"caldav+http://me@localhost/":         true,
		"caldav+http://me@example.com/":       false,
		"carddav+https://me:pw@example.com/":  false,
		"webdav+https://example.com/":         false,
		"carddav+ftp://example.com/":          false,
	} {
		a, err := ParseSource(s)
		if (err == nil) != ok {
			t.Errorf("%s: %v", s, err)
		}
		if err == nil && a.Name != s {
			t.Errorf("%s: name %q", s, a.Name)
		}
	}
	// Without a path, the server root: the same account, the same name.
	for s, want := range map[string]string{
		"carddav+https://me@example.com":    "carddav+https://me@example.com/",
		"caldav+http://me@127.0.0.1:5232":   "caldav+http://me@127.0.0.1:5232/",
		"carddav+https://me@example.com/x/": "carddav+https://me@example.com/x/",
	} {
		a, err := ParseSource(s)
		if err != nil || a.Name != want || a.URL.Path == "" {
			t.Errorf("%s: %v, name %q, path %q; want name %q", s, err, a.Name, a.URL.Path, want)
		}
	}
}
