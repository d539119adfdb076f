// Package check verifies a repository: that every object is present and
// matches its name, and the config and keys their manifest (no key
// needed), that the index and snapshots open (write key), and with
// ReadData that every blob decrypts and every snapshot's tree is complete
// (identity).
package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"sync"

	"github.com/lifeboat-backup/lifeboat/crypto"
	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/store"
)

// Options configure a check.
type Options struct {
	// ReadData decrypts every pack and walks every snapshot; it needs the
	// identity.
	ReadData bool
}

// Report is what a check found.
type Report struct {
	Objects   int
	Bytes     int64
	Snapshots int
	Blobs     int
	// Problems name each damaged or missing object, sorted.
	Problems []string
	// Keyless is set when no write key was available, so only object
	// hashes were checked.
	Keyless bool
	// Stale names packs that an index file lists but that are gone, with
	// every blob they held in another pack: an index file from before a
	// prune (put back, or left by an interrupted prune). Nothing is lost;
	// the next prune removes such index files.
	Stale []string
}

// ErrProblems is returned when a check finds damage; it wraps
// repo.ErrDamaged.
var ErrProblems = fmt.Errorf("the repository has %w", repo.ErrDamaged)

// Run checks r.
func Run(ctx context.Context, r *repo.Repository, opts Options) (*Report, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := &checker{ctx: ctx, cancel: cancel, r: r, rep: &Report{Keyless: r.Keys() == nil}, present: map[string]bool{}}
	if err := c.keyObjects(); err != nil {
		return c.rep, err
	}
	if err := c.objects(); err != nil {
		return c.rep, err
	}
	if r.Keys() != nil {
		c.indexed()
		c.snapshots(opts.ReadData)
	}
	if opts.ReadData {
		c.packs()
	}
	if c.failed != nil {
		return c.rep, c.failed
	}
	if err := ctx.Err(); err != nil {
		return c.rep, err
	}
	sort.Strings(c.rep.Problems)
	if len(c.rep.Problems) > 0 {
		return c.rep, ErrProblems
	}
	return c.rep, nil
}

type checker struct {
	ctx     context.Context
	cancel  context.CancelFunc
	r       *repo.Repository
	mu      sync.Mutex
	rep     *Report
	present map[string]bool
	// failed is the first error that says the store stopped answering:
	// it ends the check, which cannot tell damage from then on.
	failed error
}

func (c *checker) problem(format string, args ...any) {
	c.mu.Lock()
	c.rep.Problems = append(c.rep.Problems, fmt.Sprintf(format, args...))
	c.mu.Unlock()
}

// readFailed reports err, met reading what ("" when err names it), as damage, unless it says
// the store stopped answering: then the check stops with that error
// rather than calling intact data damaged (and sending the user to
// repair it).
func (c *checker) readFailed(what string, err error) {
	if what != "" {
		err = fmt.Errorf("%s: %w", what, err)
	}
	if !store.Unavailable(err) {
		c.problem("%v", err)
		return
	}
	c.mu.Lock()
	if c.failed == nil && c.ctx.Err() == nil {
		c.failed = err
		c.cancel()
	}
	c.mu.Unlock()
}

// objects hashes every content-addressed object and compares it with its
// name. This needs no key.
func (c *checker) objects() error {
	st := c.r.Store()
	var names []string
	for _, dir := range []string{"data", "index", "snapshots", "catalog"} {
		err := st.List(c.ctx, dir, func(name string, size int64) error {
			names = append(names, name)
			c.present[name] = true
			c.rep.Bytes += size
			return nil
		})
		if err != nil {
			return fmt.Errorf("list %s: %w", dir, err)
		}
	}
	c.rep.Objects = len(names)
	c.parallel(names, func(name string) {
		id, ok := repo.ParseObjectName(name)
		if !ok {
			c.problem("%s: unexpected object name", name)
			return
		}
		if err := hashObject(c.ctx, st, name, id); err != nil {
			c.readFailed(name, err)
		}
	})
	return nil
}

var errHash = errors.New("content does not match its name (damaged)")

func hashObject(ctx context.Context, st store.Store, name string, id format.ID) error {
	if s, ok := st.(store.Streamer); ok {
		return hashStream(ctx, s, name, id)
	}
	obj, err := st.Open(ctx, name)
	if err != nil {
		return err
	}
	defer obj.Close()
	h := crypto.NewObjectHasher()
	buf := make([]byte, 1<<20)
	for off := int64(0); off < obj.Size(); {
		n := min(int64(len(buf)), obj.Size()-off)
		if _, err := obj.ReadAt(buf[:n], off); err != nil {
			return err
		}
		h.Write(buf[:n])
		off += n
	}
	if format.ID(h.Sum(nil)) != id {
		return errHash
	}
	return nil
}

// hashStream hashes an object read in one stream (one request on S3).
func hashStream(ctx context.Context, st store.Streamer, name string, id format.ID) error {
	rc, err := st.Stream(ctx, name)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := crypto.NewObjectHasher()
	if _, err := io.Copy(h, rc); err != nil {
		return err
	}
	if format.ID(h.Sum(nil)) != id {
		return errHash
	}
	return nil
}

// indexed checks that every pack the index lists is present, unless
// every blob it held is in another pack.
func (c *checker) indexed() {
	stale := map[format.ID]bool{}
	for _, p := range c.r.Index().Stale() {
		stale[p] = true
	}
	for _, p := range c.r.Index().Packs() {
		name := repo.PackName(p)
		switch {
		case c.present[name]:
		case stale[p]:
			c.rep.Stale = append(c.rep.Stale, name)
		default:
			c.problem("%s: missing (listed in the index)", name)
		}
	}
	sort.Strings(c.rep.Stale)
	c.rep.Blobs = c.r.Index().Len()
	for _, err := range c.r.Index().Damaged() {
		c.problem("%v", err)
	}
}

// snapshots opens every snapshot once and, with readData, walks its tree.
func (c *checker) snapshots(readData bool) {
	all, damaged, err := c.r.Snapshots(c.ctx)
	var gone *repo.GoneError
	switch {
	case errors.As(err, &gone):
		for _, g := range gone.Gone {
			c.problem("%s", g)
		}
	case errors.Is(err, repo.ErrRollback):
		c.problem("%v", err)
	case err != nil:
		c.readFailed("list snapshots", err)
	}
	for _, d := range append(damaged, c.r.CatalogDamaged()...) {
		c.problem("%v", d)
	}
	c.rep.Snapshots = len(all)
	if !readData {
		return
	}
	for _, s := range all {
		where := "snapshot " + s.ID.Short()
		newTreeWalker(c).dir(s.Root.Content, where)
		// What restore, ls and export refuse, check reports (a damaged
		// folder on the way is already reported by the walk above).
		if err := c.r.CheckTree(c.ctx, s.Root.Content); errors.Is(err, repo.ErrTooShared) {
			c.problem("%s: %v", where, err)
		}
	}
}

// packs decrypts every pack.
func (c *checker) packs() {
	var names []string
	for _, p := range c.r.Index().Packs() {
		if c.present[repo.PackName(p)] {
			names = append(names, p.String())
		}
	}
	c.parallel(names, func(s string) {
		id, _ := format.ParseID(s)
		if _, err := c.r.VerifyPack(c.ctx, id); err != nil {
			c.readFailed("", err)
		}
	})
}

func (c *checker) parallel(items []string, fn func(string)) {
	ch := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range ch {
				fn(it)
			}
		}()
	}
	for _, it := range items {
		if c.ctx.Err() != nil {
			break
		}
		ch <- it
	}
	close(ch)
	wg.Wait()
}
