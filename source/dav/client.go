package dav

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// ErrAuth is a server that refused the user name and password (HTTP 401).
var ErrAuth = errors.New("the server refused the user name and password (HTTP 401)")

// ErrServer is a server that cannot be reached or answered with an error.
var ErrServer = errors.New("CardDAV/CalDAV server failed")

const (
	maxConcurrent = 4
	maxAttempts   = 5
	maxRetryWait  = 30 * time.Second
	maxBody       = 64 << 20 // no resource or listing is larger
)

// client sends requests politely: at most maxConcurrent at once, retrying
// 429 and 503 with backoff (honouring Retry-After), never following
// redirects by itself (Go would turn a redirected PROPFIND into a GET).
// It implements go-webdav's HTTPClient.
type client struct {
	hc       *http.Client
	user     string
	password string
	sem      chan struct{}
	// sleep waits between attempts (replaced in tests).
	sleep func(context.Context, time.Duration) error
}

func newClient(rt http.RoundTripper, user, password string) *client {
	if rt == nil {
		rt = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   15 * time.Second,
			ResponseHeaderTimeout: 2 * time.Minute,
			MaxConnsPerHost:       maxConcurrent,
			MaxIdleConnsPerHost:   maxConcurrent,
			IdleConnTimeout:       90 * time.Second,
		}
	}
	hc := &http.Client{
		Transport: rt,
		Timeout:   5 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return &client{hc: hc, user: user, password: password, sem: make(chan struct{}, maxConcurrent), sleep: sleepCtx}
}

// Do sends req, waiting for a free slot and retrying 429 and 503. A 401
// is ErrAuth; other statuses are returned to the caller as they are.
func (c *client) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.sem }()
	for attempt := 1; ; attempt++ {
		r := req.Clone(ctx)
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r.Body = body
		}
		if c.password != "" {
			r.SetBasicAuth(c.user, c.password)
		}
		r.Header.Set("User-Agent", "lifeboat")
		resp, err := c.hc.Do(r)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("%s %s: %w: %w", req.Method, req.URL.Redacted(), ErrServer, unwrapURLError(err))
		}
		if resp.StatusCode == http.StatusUnauthorized {
			drain(resp)
			return nil, ErrAuth
		}
		retry := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable
		if !retry || attempt == maxAttempts {
			return resp, nil
		}
		wait := retryWait(resp.Header.Get("Retry-After"), attempt)
		drain(resp)
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func unwrapURLError(err error) error {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}

// retryWait is Retry-After (seconds or an HTTP date) or an exponential
// backoff, at most maxRetryWait.
func retryWait(header string, attempt int) time.Duration {
	wait := time.Duration(1<<(attempt-1)) * time.Second
	if header != "" {
		if s, err := strconv.Atoi(header); err == nil && s >= 0 {
			wait = time.Duration(s) * time.Second
		} else if t, err := http.ParseTime(header); err == nil {
			wait = time.Until(t)
		}
	}
	if wait < 0 {
		wait = 0
	}
	if wait > maxRetryWait {
		wait = maxRetryWait
	}
	return wait
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
}

// statusError is an unexpected HTTP status.
type statusError struct {
	method, url string
	code        int
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d %s", e.method, e.url, e.code, http.StatusText(e.code))
}

func (e *statusError) Unwrap() error { return ErrServer }
