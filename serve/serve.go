// Package serve is lifeboat serve: a local web server that shows a
// repository's snapshots to the person who owns them (overview, timeline,
// files, diff) and hands back what they pick (a file, a folder as a zip,
// the phone-reset kit). It reads the repository only. Every request needs
// the token of the URL it printed (then a cookie) and a Host header that
// names the listening address; every response forbids external origins
// and caching. Pages are html/template, with templates and CSS embedded.
package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/serve/photos"
	"github.com/lifeboat-backup/lifeboat/serve/thumb"
	"github.com/lifeboat-backup/lifeboat/status"
)

// Options configure the server.
type Options struct {
	// Listen is the address to listen on; "" is 127.0.0.1 on a free port.
	Listen string
	// Token is the secret every request must carry; "" is 128 random bits.
	Token string
	// Status gathers what the overview shows of 'lifeboat status' (the
	// second location's state among it); nil gathers it without a mirror.
	Status func(ctx context.Context) (*status.Report, error)
	// Ready is called once the server listens, with the URL to open
	// (token included).
	Ready func(url string)
	// CacheBytes bounds the decoded trees kept in memory; 0 is 64 MiB.
	CacheBytes int64
	// ThumbBytes bounds the thumbnails kept in memory; 0 is
	// thumb.DefaultCacheBytes.
	ThumbBytes int64
}

// Server serves one repository.
type Server struct {
	r     *repo.Repository
	opts  Options
	token string
	// hosts are the Host headers accepted (the listening address).
	hosts map[string]bool
	// anyIPHost accepts any IP literal with this port (listening on an
	// unspecified address such as 0.0.0.0): DNS rebinding needs a name.
	anyIPHost string
	cookie    string
	dirs      *dirCache
	snaps     *snapList
	diffs     *diffCache
	photos    *photos.Library
	thumbs    *thumb.Cache
	photoIdx  photoIndex
	recs      recordCache
	pages     *pages
	mux       *http.ServeMux
}

// New makes a server for r that answers at addr (host:port, as
// listened on); Handler is what it serves.
func New(r *repo.Repository, addr string, opts Options) (*Server, error) {
	if opts.Token == "" {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("token: %w", err)
		}
		opts.Token = hex.EncodeToString(b)
	}
	if opts.CacheBytes == 0 {
		opts.CacheBytes = 64 << 20
	}
	if opts.Status == nil {
		opts.Status = func(ctx context.Context) (*status.Report, error) {
			return status.Gather(ctx, r, r.Store(), status.Options{MaxAge: 48 * time.Hour, MaxAgeText: "48h"})
		}
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("listen address %s: %w", addr, err)
	}
	s := &Server{r: r, opts: opts, token: opts.Token, hosts: map[string]bool{addr: true},
		cookie: "lifeboat-" + port, dirs: newDirCache(opts.CacheBytes), snaps: &snapList{r: r},
		diffs: newDiffCache(256), photos: photos.NewLibrary(r), thumbs: thumb.NewCache(opts.ThumbBytes), pages: p}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		s.hosts[net.JoinHostPort("localhost", port)] = true
	} else if ip != nil && ip.IsUnspecified() {
		s.anyIPHost = port
	}
	s.routes()
	return s, nil
}

// Handler is the server's whole handler, security checks first.
func (s *Server) Handler() http.Handler {
	return s.secure(s.mux)
}

// URL is the address to open, with the token, for a server at addr.
func (s *Server) URL(addr string) string {
	return "http://" + addr + "/?token=" + s.token
}

// Run listens on opts.Listen and serves r until ctx is done, then shuts
// the server down, letting requests under way finish for up to five
// seconds. It returns nil after a shutdown that ctx asked for.
func Run(ctx context.Context, r *repo.Repository, opts Options) error {
	addr := opts.Listen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	s, err := New(r, ln.Addr().String(), opts)
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	if opts.Ready != nil {
		at := ln.Addr().String()
		if host, port, err := net.SplitHostPort(at); err == nil {
			if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
				at = net.JoinHostPort("127.0.0.1", port) // every address: this machine's is one
			}
		}
		opts.Ready(s.URL(at))
	}
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
