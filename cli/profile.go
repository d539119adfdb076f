package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/urfave/cli/v2"
)

// profileFlags are the hidden top-level flags that write profiles of one
// run, for measuring: 'lifeboat --cpuprofile cpu.out --memprofile mem.out
// backup ...'. The heap profile is written when the live heap is at its
// largest (FILE) and again at exit (FILE.end, whose alloc_space counts
// the whole run).
func profileFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "cpuprofile", Hidden: true},
		&cli.StringFlag{Name: "memprofile", Hidden: true},
	}
}

// startProfiles starts the profiles the flags ask for; the returned
// profiler, kept in the app's metadata, stops them when Run closes it.
func startProfiles(c *cli.Context) error {
	cpu, mem := c.String("cpuprofile"), c.String("memprofile")
	if cpu == "" && mem == "" {
		return nil
	}
	p := &profiler{mem: mem, stop: make(chan struct{})}
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			return fmt.Errorf("cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("cpuprofile: %w", err)
		}
		p.cpu = f
	}
	if mem != "" {
		p.wg.Add(1)
		go p.watchHeap()
	}
	c.App.Metadata["profiler"] = p
	return nil
}

// profiler writes the profiles of one run.
type profiler struct {
	cpu  *os.File
	mem  string
	stop chan struct{}
	wg   sync.WaitGroup
}

// watchHeap writes the heap profile each time the live heap grows by a
// twentieth over the largest seen so far.
func (p *profiler) watchHeap() {
	defer p.wg.Done()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var top uint64
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
		}
		metrics.Read(s)
		if v := s[0].Value.Uint64(); v > top+top/20 {
			top = v
			writeHeap(p.mem) //nolint:errcheck // best effort while measuring
		}
	}
}

// Close stops the CPU profile and writes the heap profile at exit.
func (p *profiler) Close() error {
	close(p.stop)
	p.wg.Wait()
	var errs []error
	if p.cpu != nil {
		pprof.StopCPUProfile()
		errs = append(errs, p.cpu.Close())
	}
	if p.mem != "" {
		errs = append(errs, writeHeap(p.mem+".end"))
	}
	return errors.Join(errs...)
}

func writeHeap(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("memprofile: %w", err)
	}
	runtime.GC() // up-to-date inuse figures
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("memprofile: %w", err)
	}
	return f.Close()
}
