package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/lifeboat-backup/lifeboat/serve"
	"github.com/lifeboat-backup/lifeboat/status"
	"github.com/lifeboat-backup/lifeboat/store"
)

// pagesRun times whole pages through the server's handler, as a browser
// asks for them (server time only: no network, no rendering): each page
// cold (the first request after the server opened the repository) and
// warm (the same request again).
func (b *bench) pagesRun(ctx context.Context) error {
	r, _, err := b.open(ctx)
	if err != nil {
		return err
	}
	defer r.Close()
	snaps, _, err := r.Snapshots(ctx)
	if err != nil {
		return err
	}
	id := snaps[len(snaps)-1].ID.String()
	st := store.NewLocal(b.repo)
	const addr = "127.0.0.1:1"
	s, err := serve.New(r, addr, serve.Options{Token: "bench", Status: func(ctx context.Context) (*status.Report, error) {
		return status.Gather(ctx, r, st, status.Options{Now: time.Now()})
	}})
	if err != nil {
		return err
	}
	h := s.Handler()
	get := func(path string) error {
		req := httptest.NewRequest(http.MethodGet, "http://"+addr+path, nil).WithContext(ctx)
		req.AddCookie(&http.Cookie{Name: "lifeboat-1", Value: "bench"})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			return fmt.Errorf("GET %s: %d %.200s", path, w.Code, w.Body.String())
		}
		return nil
	}
	for _, page := range []struct{ name, path string }{
		{"overview page", "/"},
		{"contacts page", "/s/" + id + "/contacts/"},
		{"contacts search", "/s/" + id + "/contacts/?q=anna"},
		{"calendar page", "/s/" + id + "/calendar/"},
		{"photos page", "/s/" + id + "/photos/"},
	} {
		for _, step := range []string{"cold", "warm"} {
			if err := b.timed(page.name+", "+step, func() error { return get(page.path) }); err != nil {
				return err
			}
		}
	}
	return nil
}
