package cli

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// memHeadroom is the least room for new allocations that holdMemory
// leaves above the live heap; a quarter of the live heap when that is
// more.
const memHeadroom = 24 << 20

// holdMemory holds the garbage collector to a memory limit that follows
// the live heap (a quarter above it, and at least memHeadroom), instead
// of letting the heap reach twice the live size, until the returned func
// is called. A GOMEMLIMIT or GOGC in the environment is the user's
// choice and is left alone.
func holdMemory() (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" || os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetMemoryLimit(-1)
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/total:bytes"},
			{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"},
			{Name: "/memory/classes/heap/free:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			live := s[0].Value.Uint64()
			// The limit counts all the runtime's memory: add what is not heap.
			var heap uint64
			for _, v := range s[2:] {
				heap += v.Value.Uint64()
			}
			other := s[1].Value.Uint64() - heap
			debug.SetMemoryLimit(int64(live + max(live/4, memHeadroom) + other))
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-exited
		debug.SetMemoryLimit(old)
	}
}
