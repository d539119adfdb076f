package android

import (
	"context"
	"errors"
	"sync"

	"github.com/lifeboat-backup/lifeboat/source/android/adb"
)

// pool keeps the sync connections of one backup: backup's workers pull
// several files at once, each over a connection of its own, and a
// connection whose file was read to the end serves the next one.
type pool struct {
	ctx context.Context
	dev syncer

	mu     sync.Mutex
	idle   []*adb.Sync
	closed bool
}

// syncer opens sync connections.
type syncer interface {
	Sync(ctx context.Context) (*adb.Sync, error)
}

// maxIdle is how many connections the pool keeps open between files.
const maxIdle = 4

var errClosed = errors.New("the phone's tree is closed")

func (p *pool) get() (*adb.Sync, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, errClosed
	}
	if n := len(p.idle); n > 0 {
		s := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return s, nil
	}
	p.mu.Unlock()
	return p.dev.Sync(p.ctx)
}

// put gives a connection back; one that failed (err != nil) is closed:
// adbd ends a sync session after it answers FAIL (file_sync_service.cpp
// returns false from handle_sync_command), and a file closed early
// leaves data in flight.
func (p *pool) put(s *adb.Sync, err error) {
	if err != nil {
		s.Close()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(p.idle) >= maxIdle {
		s.Close()
		return
	}
	p.idle = append(p.idle, s)
}

func (p *pool) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, s := range idle {
		s.Close()
	}
}
