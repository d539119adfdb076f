package cli

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// memHeadroom is the least room for new allocations that holdMemory
// leaves above the live heap; an eighth of the live heap when that is
// more. Most of a large live heap is the blob index, whose records hold
// no pointers and cost the collector next to nothing to mark, so a
// collection every memHeadroom of allocation stays cheap: 12 MiB cost
// no measurable CPU on 2 GiB of photos (23 collections instead of 12)
// and saved 11 MiB of peak memory there.
const memHeadroom = 12 << 20

// memHold is the one goroutine that moves the memory limit, shared by
// the backups and restores running in this process (tests run several at
// once). Restore's buffers are reused (repo's blob buffers, directio's),
// so what it allocates is mostly age's 64 KiB per read: held, 2 GiB of
// photos restored (256 KiB writes) in 65-68 MiB instead of 77-79, and
// 0.3 s less CPU.
var memHold struct {
	sync.Mutex
	holders int
	old     int64
	done    chan struct{}
	exited  chan struct{}
}

// holdMemory holds the garbage collector to a memory limit that follows
// the live heap (an eighth above it, and at least memHeadroom), instead
// of letting the heap reach twice the live size, until the returned func
// is called. A GOMEMLIMIT or GOGC in the environment is the user's
// choice and is left alone.
func holdMemory() (release func()) {
	if os.Getenv("GOMEMLIMIT") != "" || os.Getenv("GOGC") != "" {
		return func() {}
	}
	memHold.Lock()
	defer memHold.Unlock()
	if memHold.holders++; memHold.holders == 1 {
		memHold.old = debug.SetMemoryLimit(-1)
		memHold.done, memHold.exited = make(chan struct{}), make(chan struct{})
		go followHeap(memHold.done, memHold.exited)
	}
	return func() {
		memHold.Lock()
		defer memHold.Unlock()
		if memHold.holders--; memHold.holders == 0 {
			close(memHold.done)
			<-memHold.exited
			debug.SetMemoryLimit(memHold.old)
		}
	}
}

// followHeap sets the memory limit from the live heap every 50 ms until
// done is closed.
func followHeap(done <-chan struct{}, exited chan<- struct{}) {
	defer close(exited)
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		metrics.Read(s)
		live := s[0].Value.Uint64()
		// The limit counts all the runtime's memory: add what is not heap
		// (stacks, the runtime's own structures).
		var heap uint64
		for _, v := range s[2:] {
			heap += v.Value.Uint64()
		}
		other := s[1].Value.Uint64() - heap
		debug.SetMemoryLimit(int64(live + max(live/8, memHeadroom) + other))
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}
