package dav

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Options configure one Sync.
type Options struct {
	// Source is carddav+https://user@host/path or caldav+...
	Source string
	// Password is the account's; empty sends no credentials.
	Password string
	// StagingRoot holds the staging folders (normally
	// $XDG_CACHE_HOME/lifeboat/dav).
	StagingRoot string
	// Transport, if set, sends the requests (tests count them).
	Transport http.RoundTripper
	// Waiting, if set, is called once when another run holds the
	// account's staging folder and this one waits for it.
	Waiting func()
}

// Result is what a Sync did.
type Result struct {
	// Dir is the staging folder: back it up.
	Dir string
	// Name is the source without any password, for the snapshot.
	Name        string
	Collections int
	Fetched     int // resources downloaded (new or changed)
	Deleted     int // resource files removed
	// FullListings counts collections that needed a full listing.
	FullListings int

	release func()
}

// Release lets other runs update the staging folder. Call it once the
// folder is backed up; Sync holds it from the start, so that nothing
// changes the folder between the download and the backup.
func (r *Result) Release() {
	if r != nil && r.release != nil {
		r.release()
		r.release = nil
	}
}

// syncer is one Sync run.
type syncer struct {
	acct      *Account
	c         *client
	base      *url.URL // scheme://host/
	dir       string
	stateFile string
	res       *Result
	mu        sync.Mutex
}

// Sync brings the account's staging folder up to date with the server:
// new and changed resources are downloaded (exact bytes), deleted ones
// removed, vanished collections' folders removed. Files are rewritten
// only when their bytes change. On error the folder may be partly
// updated; the next Sync completes it. The caller must Release the
// result once it has backed up the folder.
func Sync(ctx context.Context, opts Options) (*Result, error) {
	acct, err := ParseSource(opts.Source)
	if err != nil {
		return nil, err
	}
	dir := acct.StagingDir(opts.StagingRoot)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	release, err := lockStaging(ctx, dir, opts.Waiting)
	if err != nil {
		return nil, err
	}
	res, err := syncLocked(ctx, opts, acct, dir)
	if err != nil {
		release()
		return nil, err
	}
	res.release = release
	return res, nil
}

func syncLocked(ctx context.Context, opts Options, acct *Account, dir string) (*Result, error) {
	s := &syncer{acct: acct, c: newClient(opts.Transport, acct.User, opts.Password),
		base: &url.URL{Scheme: acct.URL.Scheme, Host: acct.URL.Host, Path: "/"},
		dir:  dir, stateFile: dir + ".json", res: &Result{Dir: dir, Name: acct.Name}}
	colls, err := s.collections(ctx)
	if err != nil {
		return nil, err
	}
	have, err := existing(dir)
	if err != nil {
		return nil, err
	}
	slugs := map[string]bool{}
	for _, slug := range have {
		slugs[strings.ToLower(slug)] = true
	}
	current := map[string]bool{}
	for _, coll := range colls {
		current[coll.href] = true
		slug, ok := have[coll.href]
		if !ok {
			slug = unique(safeName(lastSegment(coll.href)), "", slugs)
		}
		if err := s.syncCollection(ctx, filepath.Join(dir, slug), coll); err != nil {
			return nil, fmt.Errorf("%s: %w", coll.href, err)
		}
	}
	for href, slug := range have {
		if !current[href] {
			if err := os.RemoveAll(filepath.Join(dir, slug)); err != nil {
				return nil, err
			}
		}
	}
	s.res.Collections = len(colls)
	return s.res, nil
}

// syncCollection updates one collection folder.
func (s *syncer) syncCollection(ctx context.Context, dir string, coll collection) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	removeTemps(dir)
	st, err := ReadState(dir)
	if err != nil || st.Href != coll.href {
		st = &CollectionState{Href: coll.href, Resources: map[string]Resource{}}
	}
	st.Type, st.DisplayName = coll.typ, coll.name
	u := s.base.ResolveReference(&url.URL{Path: coll.href})
	ch, err := s.changes(ctx, u, coll.href, st.SyncToken)
	if err != nil {
		return err
	}
	byHref := map[string]string{}
	taken := map[string]bool{}
	for file, r := range st.Resources {
		byHref[r.Href] = file
		taken[strings.ToLower(file)] = true
	}
	ext := ".ics"
	if coll.typ == "addressbook" {
		ext = ".vcf"
	}
	var fetch []job
	seen := map[string]bool{}
	for _, e := range ch.updated {
		seen[e.href] = true
		file, known := byHref[e.href]
		if known && e.etag != "" && st.Resources[file].ETag == e.etag && exists(filepath.Join(dir, file)) {
			continue
		}
		if !known {
			file = resourceFile(e.href, ext, taken)
			byHref[e.href] = file
		}
		fetch = append(fetch, job{file: file, href: e.href, etag: e.etag})
	}
	gone := ch.deleted
	if ch.full {
		s.count(func(r *Result) { r.FullListings++ })
		for href := range byHref {
			if !seen[href] {
				gone = append(gone, href)
			}
		}
	}
	got, missing, err := s.fetchAll(ctx, dir, fetch)
	if err != nil {
		return err
	}
	for _, j := range got {
		st.Resources[j.file] = Resource{Href: j.href, ETag: j.etag}
	}
	for _, href := range append(gone, missing...) {
		if file, ok := byHref[href]; ok {
			if err := removeFile(filepath.Join(dir, file)); err != nil {
				return err
			}
			if _, had := st.Resources[file]; had {
				s.count(func(r *Result) { r.Deleted++ })
			}
			delete(st.Resources, file)
		}
	}
	st.SyncToken = ch.token
	return writeState(dir, st)
}

func exists(file string) bool {
	_, err := os.Stat(file)
	return err == nil
}

func (s *syncer) count(f func(*Result)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s.res)
}

// changeSet is what changed in a collection since the token, or (full)
// everything it holds.
type changeSet struct {
	updated []entry
	deleted []string
	token   string
	full    bool
}

// changes asks with sync-collection (RFC 6578) from the stored token (or
// none: everything); when the server lacks it or rejects the token, it
// lists the collection's ETags with PROPFIND instead.
func (s *syncer) changes(ctx context.Context, u *url.URL, href, token string) (*changeSet, error) {
	ms, at, err := s.c.xmlRequest(ctx, "REPORT", u, "", syncBody(token))
	if err == nil {
		ch := &changeSet{token: ms.SyncToken, full: token == ""}
		if err := ch.add(ms, at, href, true); err != nil {
			return nil, err
		}
		return ch, nil
	}
	if errors.Is(err, ErrAuth) || ctx.Err() != nil || !isHTTPStatus(err) {
		return nil, err
	}
	ms, at, err = s.c.xmlRequest(ctx, "PROPFIND", u, "1", propfindETags)
	if err != nil {
		return nil, err
	}
	ch := &changeSet{full: true}
	return ch, ch.add(ms, at, href, false)
}

// isHTTPStatus reports whether the server answered (with an unexpected
// status or an unreadable body), rather than failing to answer.
func isHTTPStatus(err error) bool {
	var se *statusError
	return errors.As(err, &se) || strings.Contains(err.Error(), "unreadable answer")
}

func (ch *changeSet) add(ms *multistatus, at *url.URL, href string, sync bool) error {
	for i := range ms.Responses {
		r := &ms.Responses[i]
		e, err := r.entry(at)
		if err != nil {
			return err
		}
		if e.dir || dirPath(e.href) == href {
			continue
		}
		if code := statusCode(r.Status); code == "404" || code == "410" {
			if sync {
				ch.deleted = append(ch.deleted, e.href)
			}
			continue
		}
		ch.updated = append(ch.updated, e)
	}
	return nil
}

// job is one resource to download into file.
type job struct {
	file, href, etag string
}

// fetchAll downloads the resources, maxConcurrent at once, and writes each
// file whose bytes changed. It returns the ones written or unchanged and
// the hrefs the server no longer has.
func (s *syncer) fetchAll(ctx context.Context, dir string, jobs []job) (got []job, missing []string, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan job)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var first error
	for w := 0; w < maxConcurrent; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				data, etag, found, err := s.c.get(ctx, s.base.ResolveReference(&url.URL{Path: j.href}))
				if err == nil && found {
					_, err = writeIfChanged(filepath.Join(dir, j.file), data)
				}
				mu.Lock()
				switch {
				case err != nil:
					if first == nil {
						first = err
						cancel()
					}
				case !found:
					missing = append(missing, j.href)
				default:
					if etag != "" {
						j.etag = etag
					}
					got = append(got, j)
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		ch <- j
	}
	close(ch)
	wg.Wait()
	if first != nil {
		return nil, nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	s.count(func(r *Result) { r.Fetched += len(got) })
	return got, missing, nil
}
