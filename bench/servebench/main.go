// Command servebench measures the server-side work of lifeboat serve on
// a repository (bench/serve.sh builds the 5,000-contact, 20,000-photo
// one): the photo grid's data of the newest snapshot cold and warm, a page
// of thumbnails cold and warm, the contacts' data cold and warm, and the
// process's peak RSS. It prints a Markdown table of medians over -runs.
//
// "Cold" is the first request after the server opened the repository
// (repo.Open is timed apart): nothing of the snapshot decoded yet. The
// page cache is dropped before each cold step only with -drop-caches
// (root; it affects the whole machine).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-backup/lifeboat/format"
	"github.com/lifeboat-backup/lifeboat/pim"
	"github.com/lifeboat-backup/lifeboat/repo"
	"github.com/lifeboat-backup/lifeboat/serve/photos"
	"github.com/lifeboat-backup/lifeboat/serve/thumb"
	"github.com/lifeboat-backup/lifeboat/store"
)

func main() {
	repoDir := flag.String("repo", "", "repository folder")
	identity := flag.String("identity", "", "identity file (default: lifeboat's)")
	runs := flag.Int("runs", 5, "runs; medians are printed")
	per := flag.Int("per", photos.DefaultPer, "thumbnails on a page")
	size := flag.Int("size", 256, "thumbnail size")
	drop := flag.Bool("drop-caches", false, "drop the page cache before each cold step (root)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the runs to this file")
	flag.Parse()
	if *repoDir == "" || *runs < 1 {
		fmt.Fprintln(os.Stderr, "usage: servebench -repo DIR [-identity FILE] [-runs N] [-per N] [-drop-caches]")
		os.Exit(2)
	}
	b := &bench{repo: *repoDir, keys: repo.Keys{IdentityFile: *identity, DefaultIdentityFile: repo.DefaultIdentityFile()},
		per: *per, size: *size, drop: *drop, times: map[string][]time.Duration{}}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "servebench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := b.run(context.Background(), *runs); err != nil {
		fmt.Fprintln(os.Stderr, "servebench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	b.report(os.Stdout)
}

type bench struct {
	repo  string
	keys  repo.Keys
	per   int
	size  int
	drop  bool
	times map[string][]time.Duration
	order []string
	notes []string
}

func (b *bench) record(name string, d time.Duration) {
	if _, ok := b.times[name]; !ok {
		b.order = append(b.order, name)
	}
	b.times[name] = append(b.times[name], d)
	fmt.Fprintf(os.Stderr, "  %-40s %8.1f ms\n", name, ms(d))
}

func (b *bench) timed(name string, f func() error) error {
	start := time.Now()
	err := f()
	b.record(name, time.Since(start))
	return err
}

func (b *bench) open(ctx context.Context) (*repo.Repository, format.Ref, error) {
	b.dropCaches()
	var r *repo.Repository
	err := b.timed("repo.Open (read-only, identity)", func() error {
		var err error
		r, err = repo.Open(ctx, store.NewLocal(b.repo), b.keys, repo.AccessRead)
		return err
	})
	if err != nil {
		return nil, format.Ref{}, err
	}
	snaps, _, err := r.Snapshots(ctx)
	if err != nil || len(snaps) == 0 {
		r.Close()
		return nil, format.Ref{}, fmt.Errorf("snapshots: %v (%d)", err, len(snaps))
	}
	return r, snaps[len(snaps)-1].Root.Content, nil
}

func (b *bench) dropCaches() {
	if !b.drop {
		return
	}
	if err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("3\n"), 0); err != nil {
		fmt.Fprintln(os.Stderr, "servebench: cannot drop caches:", err)
		b.drop = false
	}
}

func (b *bench) run(ctx context.Context, runs int) error {
	for i := 1; i <= runs; i++ {
		fmt.Fprintf(os.Stderr, "run %d/%d\n", i, runs)
		if err := b.photosRun(ctx, i == 1); err != nil {
			return err
		}
		if err := b.contactsRun(ctx, i == 1); err != nil {
			return err
		}
		if err := b.pagesRun(ctx); err != nil {
			return err
		}
	}
	return nil
}

// grid is what the photos page needs of a snapshot: its photos, by month,
// and the first page.
func grid(ctx context.Context, lib *photos.Library, root format.Ref, per int) ([]photos.Photo, []photos.Photo, int, error) {
	ps, err := lib.Photos(ctx, root)
	if err != nil {
		return nil, nil, 0, err
	}
	months := photos.ByMonth(ps)
	return ps, photos.Page(ps, 1, per), len(months), nil
}

func (b *bench) photosRun(ctx context.Context, first bool) error {
	r, root, err := b.open(ctx)
	if err != nil {
		return err
	}
	defer r.Close()
	lib := photos.NewLibrary(r)
	var ps, page []photos.Photo
	var months int
	if err := b.timed("photos data, cold", func() (err error) {
		ps, page, months, err = grid(ctx, lib, root, b.per)
		return err
	}); err != nil {
		return err
	}
	if err := b.timed("photos data, warm", func() (err error) {
		_, _, _, err = grid(ctx, lib, root, b.per)
		return err
	}); err != nil {
		return err
	}
	cache := thumb.NewCache(0)
	var jpegs, fromEXIF int
	b.dropCaches()
	for _, step := range []string{"cold", "warm"} {
		if err := b.timed(fmt.Sprintf("%d thumbnails, %s", len(page), step), func() error {
			jpegs = 0
			for _, p := range page {
				t, err := photos.Thumb(ctx, r, cache, p, b.size)
				if err != nil {
					return err
				}
				if t.Type == "image/jpeg" {
					jpegs++
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if first {
		for _, p := range ps {
			if p.DateFrom == "exif" {
				fromEXIF++
			}
		}
		n, bytes, _ := cache.Stats()
		b.notes = append(b.notes, fmt.Sprintf("newest snapshot: %d photos in %d months, %d dated by EXIF; "+
			"a page of %d: %d JPEG thumbnails, cache %d entries, %.1f KiB", len(ps), months, fromEXIF, len(page), jpegs, n, float64(bytes)/1024))
	}
	return nil
}

// contactsData is the contacts page's data of a snapshot.
//
// It is the work the contacts page stands on, without the server's cache:
// every vCard file of the snapshot read whole, cut into cards (pim.Split)
// and each card parsed (pim.ParseRecord), so "warm" is the same work
// again. pagesRun times the real page (serve/records, cached) beside it.
func contactsData(ctx context.Context, r *repo.Repository, root format.Ref) (int, error) {
	var files []format.Node
	err := r.Walk(ctx, root, func(rel string, n format.Node) error {
		if n.Type == format.NodeFile && n.Kind == uint8(pim.KindVCard) {
			files = append(files, n)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	var names []string
	for _, n := range files {
		data, err := r.ReadFile(ctx, n)
		if err != nil {
			return 0, err
		}
		for _, p := range pim.Split(pim.KindVCard, data) {
			if p.Kind != pim.RecContact {
				continue
			}
			rec, err := pim.ParseRecord(pim.RecContact, data[p.Off:p.Off+p.Len])
			if err != nil {
				continue
			}
			names = append(names, pim.SearchFold(rec.Name))
		}
	}
	slices.Sort(names)
	return len(names), nil
}

func (b *bench) contactsRun(ctx context.Context, first bool) error {
	r, root, err := b.open(ctx)
	if err != nil {
		return err
	}
	defer r.Close()
	var n int
	for _, step := range []string{"cold", "warm"} {
		if err := b.timed("contacts data, "+step+" (parse only, no cache)", func() (err error) {
			n, err = contactsData(ctx, r, root)
			return err
		}); err != nil {
			return err
		}
	}
	if first {
		b.notes = append(b.notes, fmt.Sprintf("contacts: %d cards parsed (pim.Split + pim.ParseRecord; without serve/records or its cache: the pages below are timed with both)", n))
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (b *bench) report(w *os.File) {
	fmt.Fprintf(w, "| step (repository %s) | median ms | min | max | runs |\n|---|---:|---:|---:|---:|\n", filepath.Base(b.repo))
	for _, name := range b.order {
		ds := b.times[name]
		fmt.Fprintf(w, "| %s | %.1f | %.1f | %.1f | %d |\n", name, ms(median(ds)), ms(slices.Min(ds)), ms(slices.Max(ds)), len(ds))
	}
	fmt.Fprintf(w, "\npeak RSS of servebench (VmHWM): %s\n", peakRSS())
	if !b.drop {
		fmt.Fprintln(w, "page cache: not dropped (cold = nothing decoded in the process; the files may be in the page cache)")
	}
	for _, n := range b.notes {
		fmt.Fprintln(w, "- "+n)
	}
}

func peakRSS() string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
